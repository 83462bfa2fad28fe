#!/usr/bin/env bash
# Before/after measurements of two (or more) tapebench binaries on benchmarks/run.sh's datasets: what a change
# to the engine is judged by. Build each binary as benchmarks/lib.sh does (release, --static-swift-stdlib) and copy
# it aside; generate the datasets once with `bash benchmarks/run.sh --sections e2e,growth`.
#
#   bash benchmarks/compare.sh ratio N SCENARIO DATA_DIR BIN...
#       N interleaved rounds on one core (taskset -c 0): CPU time (user + sys) of `gzip -dc` of DATA_DIR's
#       .csv.gz files, then of each BIN's `run SCENARIO`; best and median of each, and each ÷ gzip's.
#   bash benchmarks/compare.sh cores N BIN...
#       N interleaved rounds of growth-variants6 (6 fill models) on 1 core and on 2: wall time, best and median,
#       and the speed-up; plus the CPU other processes took meanwhile (a busy host shows there).
#   bash benchmarks/compare.sh bytes OLD_BIN NEW_BIN
#       Both binaries on 200 × 13 (1 and 4 threads), 500 × 26, 6 variants (2 threads), 3 agents, the growth base
#       and scenarios/default.yaml, then `data inspect` and `data validate`: `diff -r` of the output folders
#       (run.sqlite compared by `sqlite3 .dump` and by its bytes), SAME or DIFF per case; exit 1 on any DIFF.
#   bash benchmarks/compare.sh instructions BIN [SCENARIO...]
#       Instructions executed (valgrind --tool=cachegrind, --threads 1), which a noisy host does not move; default
#       scenario e2e-200x13.
#
# Datasets and scenarios are read from $TAPEBENCH_BENCH_DIR/e2e (default /tmp/tapebench-bench/e2e); outputs go
# to a temporary folder, removed at the end.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bench="${TAPEBENCH_BENCH_DIR:-/tmp/tapebench-bench}/e2e"
scenarios="$bench/scenarios"

fail() { echo "compare.sh: $*" >&2; exit 2; }
usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
need_scenario() { [ -f "$1" ] || fail "$1 is missing: make the datasets with bash benchmarks/run.sh --sections e2e,growth"; }
need_bins() { for b in "$@"; do [ -x "$b" ] || fail "$b is not an executable"; done; }
need_count() { case "$1" in ''|*[!0-9]*|0) fail "the number of rounds must be a whole number ≥ 1, not '$1'" ;; esac; }
# Best and median of the numbers in a file, one a line.
best_median() { sort -n "$1" | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.3f %.3f", a[1], m}'; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ratio() {
    [ $# -ge 4 ] || usage 2
    local rounds=$1 scenario=$2 data=$3; shift 3
    need_count "$rounds"; need_scenario "$scenario"; need_bins "$@"
    [ -d "$data" ] || fail "$data is not a folder"
    local bins=("$@") files
    mapfile -t files < <(find "$data" -name '*.csv.gz' | sort)
    [ ${#files[@]} -gt 0 ] || fail "no .csv.gz files under $data"
    cpu() { /usr/bin/time -f '%U %S' -o "$tmp/t" taskset -c 0 "$@" >/dev/null 2>&1; awk '{printf "%.3f\n", $1+$2}' "$tmp/t"; }
    for ((r = 1; r <= rounds; r++)); do
        cpu gzip -dc "${files[@]}" >>"$tmp/gzip"
        for i in "${!bins[@]}"; do
            rm -rf "$tmp/out"; cpu "${bins[$i]}" run "$scenario" --out "$tmp/out" --quiet >>"$tmp/bin$i"
        done
    done
    local gb gm b m
    read -r gb gm < <(best_median "$tmp/gzip")
    echo "gzip -dc: best $gb s, median $gm s"
    for i in "${!bins[@]}"; do
        read -r b m < <(best_median "$tmp/bin$i")
        awk -v n="${bins[$i]}" -v b="$b" -v m="$m" -v gb="$gb" -v gm="$gm" \
            'BEGIN { printf "%s: best %.3f s (%.2fx gzip), median %.3f s (%.2fx gzip)\n", n, b, b/gb, m, m/gm }'
    done
}

cores() {
    [ $# -ge 2 ] || usage 2
    local rounds=$1; shift
    need_count "$rounds"; need_bins "$@"
    local scenario="$scenarios/growth-variants6.yaml" bins=("$@")
    need_scenario "$scenario"
    busy() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz }' /proc/stat; }
    one() {
        local cpus=$1 bin=$2 file=$3 before after e u s
        rm -rf "$tmp/out"; before=$(busy)
        taskset -c "$cpus" /usr/bin/time -f '%e %U %S' -o "$tmp/t" "$bin" run "$scenario" --out "$tmp/out" --quiet >/dev/null 2>&1
        after=$(busy); read -r e u s <"$tmp/t"; echo "$e" >>"$file"
        awk -v a="$after" -v b="$before" -v u="$u" -v s="$s" 'BEGIN { o = a - b - u - s; printf "%.2f\n", o < 0 ? 0 : o }' >>"$tmp/others"
    }
    for ((r = 1; r <= rounds; r++)); do
        for i in "${!bins[@]}"; do one 0 "${bins[$i]}" "$tmp/one$i"; one 0,1 "${bins[$i]}" "$tmp/two$i"; done
    done
    local b1 m1 b2 m2
    for i in "${!bins[@]}"; do
        read -r b1 m1 < <(best_median "$tmp/one$i"); read -r b2 m2 < <(best_median "$tmp/two$i")
        awk -v n="${bins[$i]}" -v b1="$b1" -v m1="$m1" -v b2="$b2" -v m2="$m2" \
            'BEGIN { printf "%s: 1 core %.3f/%.3f s, 2 cores %.3f/%.3f s (best/median); speed-up %.2fx best, %.2fx median\n", n, b1, m1, b2, m2, b1/b2, m1/m2 }'
    done
    echo "other processes' CPU a run: $(sort -n "$tmp/others" | awk '{a[NR]=$1} END { printf "median %.2f s, most %.2f s", a[int((NR+1)/2)], a[NR] }')"
}

bytes() {
    [ $# -eq 2 ] || usage 2
    need_bins "$1" "$2"
    command -v sqlite3 >/dev/null || fail "sqlite3 is needed (apt-get install sqlite3)"
    local cases=("t200-1|$scenarios/e2e-200x13.yaml|1" "t200-4|$scenarios/e2e-200x13.yaml|4" "t500|$scenarios/e2e-500x26.yaml|1"
                 "variants6|$scenarios/growth-variants6.yaml|2" "agents3|$scenarios/growth-agents3.yaml|1"
                 "base|$scenarios/growth-base.yaml|1" "default|$root/scenarios/default.yaml|1")
    local spec name scenario threads side bin status=0
    for spec in "${cases[@]}"; do IFS='|' read -r name scenario threads <<<"$spec"; need_scenario "$scenario"; done
    for side in old new; do
        bin=$1; [ "$side" = new ] && bin=$2
        mkdir -p "$tmp/$side"
        for spec in "${cases[@]}"; do
            IFS='|' read -r name scenario threads <<<"$spec"
            # Run from the scenario's folder, and its output paths shown relative: both sides print the same.
            (cd "$(dirname "$scenario")" && "$bin" run "$(basename "$scenario")" --threads "$threads" --out "$tmp/$side/$name" --quiet \
                >"$tmp/$side/$name.stdout" 2>"$tmp/$side/$name.stderr"; echo "exit $?" >>"$tmp/$side/$name.stdout")
            sed -i "s#$tmp/$side#OUT#g" "$tmp/$side/$name.stdout" "$tmp/$side/$name.stderr"
            [ -f "$tmp/$side/$name/run.sqlite" ] && sqlite3 "$tmp/$side/$name/run.sqlite" .dump >"$tmp/$side/$name.dump"
        done
        "$bin" data inspect "$bench/data/t200d13" >"$tmp/$side/inspect.txt" 2>&1
        "$bin" data validate "$bench/data/t200d13" >"$tmp/$side/validate.txt" 2>&1
    done
    same() { diff -r "$tmp/old/$1" "$tmp/new/$1" >/dev/null 2>&1; }
    for spec in "${cases[@]}"; do
        IFS='|' read -r name _ _ <<<"$spec"
        # The folder (run.sqlite's bytes among its files), the database's rows and schema, what was printed.
        if same "$name" && same "$name.dump" && same "$name.stdout" && same "$name.stderr"; then
            echo "SAME  $name"
        else
            echo "DIFF  $name"; diff -rq "$tmp/old/$name" "$tmp/new/$name" | head -5; status=1
        fi
    done
    for name in inspect.txt validate.txt; do
        if same "$name"; then echo "SAME  $name"; else echo "DIFF  $name"; status=1; fi
    done
    return "$status"
}

instructions() {
    [ $# -ge 1 ] || usage 2
    local bin=$1; shift
    need_bins "$bin"
    command -v valgrind >/dev/null || fail "valgrind is needed (apt-get install valgrind)"
    local list=("$@"); [ ${#list[@]} -eq 0 ] && list=("$scenarios/e2e-200x13.yaml")
    # A copy without debug information: valgrind's reader gives up on the static binary's.
    cp "$bin" "$tmp/tapebench"; strip --strip-debug "$tmp/tapebench"
    local scenario name
    for scenario in "${list[@]}"; do
        need_scenario "$scenario"; name=$(basename "$scenario" .yaml)
        (cd "$(dirname "$scenario")" && valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$tmp/$name.cg" \
            "$tmp/tapebench" run "$scenario" --threads 1 --out "$tmp/out-$name" --quiet >/dev/null 2>"$tmp/$name.valgrind") ||
            fail "valgrind failed on $scenario (see its output: rerun by hand)"
        echo "$name: $(awk '/^summary:/ {print $2}' "$tmp/$name.cg") instructions"
    done
}

command=${1:-}; [ $# -gt 0 ] && shift
case "$command" in
    ratio) ratio "$@" ;;
    cores) cores "$@" ;;
    bytes) bytes "$@" ;;
    instructions) instructions "$@" ;;
    -h|--help|"") usage 0 ;;
    *) echo "compare.sh: unknown command '$command' (ratio, cores, bytes, instructions)" >&2; exit 2 ;;
esac
