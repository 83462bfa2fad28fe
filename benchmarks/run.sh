#!/usr/bin/env bash
# End-to-end benchmark of the built `tapebench` binary (issue 11), rerunnable by anyone:
#
#   bash benchmarks/run.sh [--repeats N] [--sections e2e,growth,cores,big] [--work DIR] [--fifo]
#
# Generates Polygon flat files (per-day .csv.gz) with `tapebench dataset synth`, writes one scenario per case
# (the default VWAP agent, `seed` fills, every report written), and measures each command with GNU time:
# CPU time (user + sys), wall time, peak resident memory (RSS) of the process. bars/s = rows in the files
# (every bar read, in and out of regular hours) / CPU seconds. `× gzip` = CPU time / CPU time of
# `gzip -dc` of the same files in the same run: the floor no reader of those files can beat on one core.
# Best of N (lowest CPU time; its wall time beside it); peak RSS is the highest of the N runs.
#
# Sections: e2e    — 200 tickers × 13 days (≈ 1 M bars) and 500 × 26 (≈ 5 M), end to end and reading alone
#                    (`data inspect`), one core (`taskset -c 0`);
#           growth — how CPU time and peak RSS grow with days (×1, ×4), tickers (50, 500), fill-model
#                    variants (1, 6) and agents (1, 3), one core;
#           cores  — 6 variants and a 100-point sweep of scenarios/default.yaml on 1 core and on 2 (wall time);
#           big    — 50 M bars (2 000 tickers × 65 days, ≈ 800 MB of data), once: not in the default sections.
#
# --fifo runs each measured command at real-time priority (`chrt -f 10`, root only): on a machine others are
# using, their processes then wait while a measurement runs, and the cores section's wall times are the
# program's own. CPU times do not depend on it.
#
# Prints Markdown (also saved as WORK/results.md). Data and scenarios are kept in WORK (default
# /tmp/tapebench-bench/e2e) and regenerated only when the synth command changes. Wall-clock and CPU time are
# read here, by GNU time, never by the code under test. Other load on the machine inflates wall time first:
# the header prints the load average before and after. Exit status: 0 ok, 2 a missing tool or a failed command.
set -euo pipefail

repeats=3
sections="e2e,growth,cores"
work="${TAPEBENCH_BENCH_DIR:-/tmp/tapebench-bench}/e2e"
fifo=0
while [ $# -gt 0 ]; do
    case "$1" in
        --repeats) repeats=$2; shift 2 ;;
        --sections) sections=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --fifo) fifo=1; shift ;;
        -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
case "$repeats" in ''|*[!0-9]*|0) echo "run.sh: --repeats takes a whole number ≥ 1" >&2; exit 2 ;; esac
for section in ${sections//,/ }; do
    case "$section" in e2e|growth|cores|big) ;; *) echo "run.sh: unknown section '$section' (e2e, growth, cores, big)" >&2; exit 2 ;; esac
done

me=run.sh
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=benchmarks/lib.sh
source "$root/benchmarks/lib.sh"
require_tools
if [ "$fifo" = 1 ]; then
    { [ "$(id -u)" = 0 ] && command -v chrt >/dev/null; } || fail "--fifo needs root and chrt (util-linux)"
    priority=(chrt -f 10)
fi
build_tapebench
mkdir -p "$work/data" "$work/scenarios" "$work/out" "$work/time"
work=$(cd "$work" && pwd)

# MARK: - data and scenarios

# dataset NAME TICKERS DAYS: Polygon flat files under WORK/data/NAME, made once per synth command.
dataset() {
    local name=$1 tickers=$2 days=$3 dir="$work/data/$1"
    local cmd="dataset synth --ticker-count $tickers --days $days --seed 1 --start 2024-03-04"
    if [ "$(cat "$dir.synth" 2>/dev/null)" != "$cmd" ]; then
        log "generating $name ($tickers tickers × $days days)"
        rm -rf "$dir" "$dir.synth"
        # shellcheck disable=SC2086
        "$bin" $cmd --out "$dir" >/dev/null || fail "tapebench $cmd failed"
        echo "$cmd" >"$dir.synth"
    fi
}

# The day files of a dataset, in date order (the order gzip and the readers see them).
day_files() { find "$work/data/$1" -name '*.csv.gz' | sort; }

# Rows in a dataset's files, headers not counted: the bars every reader has to get through.
bars_in() {
    local name=$1 cache="$work/data/$1.bars"
    if [ ! -s "$cache" ] || [ "$cache" -ot "$work/data/$name.synth" ]; then
        local files lines
        mapfile -t files < <(day_files "$name")
        lines=$(gzip -dc "${files[@]}" | wc -l)
        echo $((lines - ${#files[@]})) >"$cache"
    fi
    cat "$cache"
}

tickers_yaml() { seq -f 'T%05g' 1 "$1" | paste -sd, - | sed 's/,/, /g'; }

# scenario NAME DATASET TICKERS AGENTS VARIANTS: a scenario over the whole dataset.
scenario() {
    local name=$1 data=$2 tickers=$3 agents=$4 variants=$5 file="$work/scenarios/$1.yaml"
    {
        echo "# Written by benchmarks/run.sh: $tickers tickers, $agents agent(s), $variants fill model(s), every report."
        echo "name: $name"
        echo "data:"
        echo "  paths: [../data/$data]"
        echo "  tickers: [$(tickers_yaml "$tickers")]"
        echo "seed: 7"
        echo "agents:"
        echo "  - id: vwap-mr"
        echo "    kind: vwap_mean_reversion"
        if [ "$agents" -ge 3 ]; then
            echo "  - id: volume-surge"
            echo "    kind: volume_surge"
            echo "  - id: breakout"
            echo "    kind: breakout"
        fi
        if [ "$variants" -ge 6 ]; then
            echo "fill_models:"
            echo "  - seed"
            echo "  - conservative"
            echo "  - backtrader"
            echo "  - {name: seed-late, preset: seed, market_timing: {latency_bars: 1}}"
            echo "  - {name: seed-5bp, preset: seed, slippage: {bps: 5}}"
            echo "  - {name: seed-sqrt, preset: seed, slippage: {sqrt_impact: 1}}"
        else
            echo "fill_model: seed"
        fi
    } >"$file"
}

# MARK: - measuring

# run_case LABEL SCENARIO CPUS: `tapebench run` with every report, into WORK/out/LABEL.
run_case() {
    local label=$1 scenario=$2 cpus=$3
    note_command "taskset -c $cpus /usr/bin/time -f '%e %U %S %M' tapebench run $work/scenarios/$scenario.yaml --out $work/out/$label --quiet"
    measure "$label" "$cpus" "$bin" run "$work/scenarios/$scenario.yaml" --out "$work/out/$label" --quiet
}

# gzip_floor LABEL DATASET: `gzip -dc` of the dataset's day files, one core.
gzip_floor() {
    local files
    mapfile -t files < <(day_files "$2")
    note_command "taskset -c 0 /usr/bin/time -f '%e %U %S %M' gzip -dc $work/data/$2/…/*.csv.gz > /dev/null   # ${#files[@]} day files"
    measure "$1" 0 gzip -dc "${files[@]}"
}

header() {
    echo "# Tapebench end-to-end benchmark"
    echo
    describe_machine
    echo "- best of $repeats run(s) (lowest CPU time); peak RSS the highest of them; bars = rows in the files"
    [ "$fifo" = 0 ] || echo "- every measured command ran at real-time priority (--fifo: chrt -f 10)"
}

# MARK: - e2e

section_e2e() {
    dataset t200d13 200 13
    dataset t500d26 500 26
    scenario e2e-200x13 t200d13 200 1 1
    scenario e2e-500x26 t500d26 500 1 1
    echo
    echo "## End to end, one core"
    echo
    echo "Default VWAP agent, \`seed\` fills, every report written (report.md, .html, .json, fills.csv, trades.csv, equity.csv, run.sqlite)."
    echo
    echo "| case | bars | \`gzip -dc\` CPU | Tapebench CPU | wall | bars/s | × gzip | peak RSS |"
    echo "|---|---|---|---|---|---|---|---|"
    for spec in "200 tickers × 13 days|t200d13|e2e-200x13" "500 tickers × 26 days|t500d26|e2e-500x26"; do
        IFS='|' read -r title data scen <<<"$spec"
        bars=$(bars_in "$data")
        gzip_floor "gzip-$data" "$data"; gz=$cpu
        run_case "$scen" "$scen" 0
        echo "| $title | $(fmt_bars "$bars") | ${gz} s | ${cpu} s | ${wall} s | $(rate "$bars" "$cpu") | $(ratio "$cpu" "$gz") | ${rss} MB |"
        note_command "taskset -c 0 /usr/bin/time -f '%e %U %S %M' tapebench data inspect $work/data/$data > /dev/null"
        measure "inspect-$data" 0 "$bin" data inspect "$work/data/$data"
        echo "| reading alone (\`data inspect\`), $title | $(fmt_bars "$bars") | ${gz} s | ${cpu} s | ${wall} s | $(rate "$bars" "$cpu") | $(ratio "$cpu" "$gz") | ${rss} MB |"
    done
}

# MARK: - growth

section_growth() {
    dataset t50d13 50 13
    dataset t50d52 50 52
    dataset t500d13 500 13
    scenario growth-base t50d13 50 1 1
    scenario growth-days4 t50d52 50 1 1
    scenario growth-tickers500 t500d13 500 1 1
    scenario growth-variants6 t50d13 50 1 6
    scenario growth-agents3 t50d13 50 3 1
    cases=("base: 50 tickers × 13 days, 1 agent, 1 variant|t50d13|growth-base"
           "days ×4 (52)|t50d52|growth-days4"
           "tickers 500|t500d13|growth-tickers500"
           "variants 6|t50d13|growth-variants6"
           "agents 3|t50d13|growth-agents3")
    echo
    echo "## Cost growth, one core"
    echo
    echo "One dimension changed at a time from the base. × base: CPU time and peak RSS over the base's."
    echo
    echo "| case | bars | CPU | bars/s | CPU × base | peak RSS | RSS × base |"
    echo "|---|---|---|---|---|---|---|"
    base_cpu="" base_rss=""
    for spec in "${cases[@]}"; do
        IFS='|' read -r title data scen <<<"$spec"
        bars=$(bars_in "$data")
        run_case "$scen" "$scen" 0
        [ -n "$base_cpu" ] || { base_cpu=$cpu; base_rss=$rss; }
        echo "| $title | $(fmt_bars "$bars") | ${cpu} s | $(rate "$bars" "$cpu") | $(ratio "$cpu" "$base_cpu") | ${rss} MB | $(ratio "$rss" "$base_rss") |"
    done
}

# MARK: - cores

section_cores() {
    dataset t50d13 50 13
    scenario growth-variants6 t50d13 50 1 6
    echo
    echo "## Cores: wall time on 1 core and on 2"
    echo
    echo "Best of $repeats by wall time. \"others\": CPU seconds the rest of the machine used during the 2-core run;"
    echo "more than a few tenths means the second core was not free and the speed-up is understated."
    echo
    echo "| case | 1 core: CPU | 1 core: wall | 2 cores: wall | speed-up (wall) | 2 cores: CPU | others |"
    echo "|---|---|---|---|---|---|---|"
    best_by=wall
    run_case cores-variants6-1 growth-variants6 0; c1=$cpu; w1=$wall
    run_case cores-variants6-2 growth-variants6 0,1; w2=$wall; c2=$cpu
    echo "| 6 variants, 50 tickers × 13 days | ${c1} s | ${w1} s | ${w2} s | $(ratio "$w1" "$w2") | ${c2} s | ${others} s |"
    sweep=(sweep "$root/scenarios/default.yaml" --param slippage.bps=0:99:1 --quiet)
    for cores in 1 2; do
        cpus=0; [ "$cores" = 2 ] && cpus=0,1
        note_command "taskset -c $cpus /usr/bin/time -f '%e %U %S %M' tapebench sweep scenarios/default.yaml --param slippage.bps=0:99:1 --quiet --out $work/out/sweep-$cores"
        measure "sweep-$cores" "$cpus" "$bin" "${sweep[@]}" --out "$work/out/sweep-$cores"
        if [ "$cores" = 1 ]; then c1=$cpu; w1=$wall; else w2=$wall; c2=$cpu; fi
    done
    # A sweep that replayed fewer points would look fast: sweep.csv has a header and one row per point.
    [ "$(grep -c . "$work/out/sweep-1/sweep.csv")" -eq 101 ] || fail "the sweep did not write 100 points"
    echo "| 100-point sweep of scenarios/default.yaml | ${c1} s | ${w1} s | ${w2} s | $(ratio "$w1" "$w2") | ${c2} s | ${others} s |"
    best_by=cpu
}

# MARK: - big

section_big() {
    dataset t2000d65 2000 65
    scenario big-2000x65 t2000d65 2000 1 1
    local bars
    bars=$(bars_in t2000d65)
    echo
    echo "## 50 M bars, one core, once"
    echo
    echo "| case | bars | CPU | wall | bars/s | peak RSS |"
    echo "|---|---|---|---|---|---|"
    local saved=$repeats
    repeats=1
    run_case big-2000x65 big-2000x65 0
    repeats=$saved
    echo "| 2 000 tickers × 65 days | $(fmt_bars "$bars") | ${cpu} s | ${wall} s | $(rate "$bars" "$cpu") | ${rss} MB |"
}

footer() {
    echo
    echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    print_commands
}

main() {
    header
    for section in e2e growth cores big; do
        if [[ ",$sections," == *,$section,* ]]; then "section_$section"; fi
    done
    footer
}

main | tee "$work/results.md"
