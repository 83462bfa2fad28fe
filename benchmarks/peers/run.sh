#!/usr/bin/env bash
# Tapebench against backtrader, backtesting.py and nautilus_trader on the same order tape (issue 11):
#
#   bash benchmarks/peers/run.sh [--days N] [--repeats N] [--work DIR]
#
# 1. Generates one ticker × N trading days (default 1260, ≈ 500 k bars) of Polygon flat files with
#    `tapebench dataset synth`.
# 2. Makes the pinned Python environment (.ci/python-env benchmarks/peers: requirements.txt beside this file,
#    every package at an exact version; the first build downloads the wheels).
# 3. Turns a 10/30-bar SMA cross into an order tape (peers.py tape): market orders of 10 shares.
# 4. Replays the tape through Tapebench (`kind: order_tape`, `seed` fills, every report written) and through each
#    peer (peers.py: Cerebro with a PandasData feed; Backtest; BacktestEngine with Bar data), each reading the
#    day files itself; and decompresses the files with `gzip -dc`, the floor.
# 5. Prints one Markdown table (also WORK/results.md): CPU time, bars/s, peak RSS, each tool's CPU time over
#    Tapebench's, and the orders each filled. A tool that filled other than every order of the tape fails the
#    run: a benchmark where a peer does nothing is worthless.
#
# One core (`taskset -c 0`), each tool a process of its own, end to end: start-up, imports, reading, the replay,
# its own end-of-run work. bars = rows in the files; Tapebench replays only their regular-hours bars (97 %),
# the peers run every row through their strategy. Best of --repeats (default 1: backtrader alone takes a minute).
# Exit status: 0 ok; 2 a missing tool, a failed command or a peer that did not fill every order; 77 no Python or
# no package registry (the environment could not be made).
set -euo pipefail

days=1260
repeats=1
work="${TAPEBENCH_BENCH_DIR:-/tmp/tapebench-bench}/peers"
while [ $# -gt 0 ]; do
    case "$1" in
        --days) days=$2; shift 2 ;;
        --repeats) repeats=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "peers/run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done
for value in "$days" "$repeats"; do
    case "$value" in ''|*[!0-9]*|0) echo "peers/run.sh: --days and --repeats take whole numbers ≥ 1" >&2; exit 2 ;; esac
done

me=peers/run.sh
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=benchmarks/lib.sh
source "$root/benchmarks/lib.sh"
require_tools
build_tapebench
mkdir -p "$work"
work=$(cd "$work" && pwd)

log "making the Python environment (.ci/python-env benchmarks/peers)"
status=0
python=$(bash "$root/.ci/python-env" benchmarks/peers) || status=$?
[ "$status" = 0 ] || exit "$status"
peers="$root/benchmarks/peers/peers.py"

data="$work/data"
synth="dataset synth --ticker-count 1 --days $days --seed 1 --start 2024-03-04"
if [ "$(cat "$data.synth" 2>/dev/null)" != "$synth" ]; then
    log "generating 1 ticker × $days days"
    rm -rf "$data" "$data.synth"
    # shellcheck disable=SC2086
    "$bin" $synth --out "$data" >/dev/null || fail "tapebench $synth failed"
    echo "$synth" >"$data.synth"
fi
mapfile -t files < <(find "$data" -name '*.csv.gz' | sort)
bars=$(( $(gzip -dc "${files[@]}" | wc -l) - ${#files[@]} ))

"$python" "$peers" tape "$data" "$work/orders.csv" >&2 || fail "making the order tape failed"
orders=$(( $(wc -l <"$work/orders.csv") - 1 ))
[ "$orders" -gt 0 ] || fail "the SMA cross made no orders"
cat >"$work/peers.yaml" <<YAML
# Written by benchmarks/peers/run.sh: the SMA-cross order tape on the generated ticker, seed fills.
name: peers
data:
  paths: [data]
  tickers: [T00001]
agents:
  - id: sma-cross
    kind: order_tape
    params: {file: orders.csv}
fill_model: seed
YAML


main() {
    echo "# Tapebench and its peers on one order tape"
    echo
    describe_machine
    echo "- data: 1 ticker × $days trading days of generated Polygon flat files ($(fmt_bars "$bars") bars in ${#files[@]} day files); $orders market orders from a 10/30-bar SMA cross"
    echo "- one core, end to end (start-up, imports, reading the files, the replay, each tool's own end-of-run work); best of $repeats run(s)"
    echo
    echo "| tool | CPU | bars/s | CPU ÷ Tapebench's | peak RSS | orders filled |"
    echo "|---|---|---|---|---|---|"
    note_command "taskset -c 0 /usr/bin/time -f '%e %U %S %M' gzip -dc $data/…/*.csv.gz > /dev/null   # ${#files[@]} day files"
    measure gzip 0 gzip -dc "${files[@]}"
    local gz_cpu=$cpu gz_rss=$rss
    note_command "taskset -c 0 /usr/bin/time -f '%e %U %S %M' tapebench run $work/peers.yaml --out $work/out --quiet"
    measure tapebench 0 "$bin" run "$work/peers.yaml" --out "$work/out" --quiet
    local tb_cpu=$cpu
    local tb_filled
    tb_filled=$(tail -n +2 "$work/out/fills.csv" | cut -d, -f1 | sort -u | wc -l)
    [ "$tb_filled" = "$orders" ] || fail "Tapebench filled $tb_filled of $orders orders"
    echo "| \`gzip -dc\` (the floor) | ${gz_cpu} s | $(rate "$bars" "$gz_cpu") | $(ratio "$gz_cpu" "$tb_cpu") | ${gz_rss} MB | – |"
    echo "| Tapebench | ${cpu} s | $(rate "$bars" "$cpu") | 1.00× | ${rss} MB | $tb_filled |"
    for tool in backtrader backtesting nautilus; do
        note_command "taskset -c 0 /usr/bin/time -f '%e %U %S %M' ${python#"$root"/} benchmarks/peers/peers.py $tool $data $work/orders.csv"
        # numpy under the machine's OPENBLAS_* settings may pick slower kernels: unset for the peers alone.
        measure "$tool" 0 env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$peers" "$tool" "$data" "$work/orders.csv"
        local filled seen version package=$tool
        filled=$(awk '$1 == "filled" { print $2 }' "$work/time/$tool.stdout")
        seen=$(awk '$1 == "bars" { print $2 }' "$work/time/$tool.stdout")
        [ "$seen" = "$bars" ] || fail "$tool saw $seen bars, expected $bars"
        [ "$filled" = "$orders" ] || fail "$tool filled ${filled:-no} orders of $orders"
        [ "$tool" = nautilus ] && package=nautilus_trader
        version=$(grep -i "^$package==" "$root/benchmarks/peers/requirements.txt" | cut -d= -f3)
        local name=$package
        [ "$tool" = backtesting ] && name=backtesting.py
        echo "| $name $version | ${cpu} s | $(rate "$bars" "$cpu") | $(ratio "$cpu" "$tb_cpu") | ${rss} MB | $filled |"
    done
    echo
    echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    print_commands
}

main | tee "$work/results.md"
