#!/usr/bin/env bash
# The package benchmarks (ordo-one/benchmark, this folder's Package.swift) and their Markdown summary:
#
#   bash benchmarks/stages.sh [--work DIR] [BENCHMARK OPTIONS...]   e.g. --filter '^[67] '
#
# Runs `swift package benchmark` (release build of the benchmarks and of Tapebench; the first build takes
# minutes) with the raw-value export into WORK (default /tmp/tapebench-bench/stages), then prints two Markdown
# tables on stdout (also WORK/results.md): per benchmark CPU time, bars/s, mallocs in total and per bar, peak
# RSS; per stage the difference from the benchmark before and its share of the end-to-end time. Needs python3 (standard library only). Exit status: 0 ok, 2 a failed step.
set -euo pipefail
work="${TAPEBENCH_BENCH_DIR:-/tmp/tapebench-bench}/stages"
if [ "${1:-}" = --work ]; then work=$2; shift 2; fi
case "${1:-}" in -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -f "$work"/*.p90.json
(cd "$here" && swift package --allow-writing-to-directory "$work" benchmark --no-progress --format metricP90AbsoluteThresholds --path "$work" "$@") >&2 ||
    { echo "stages.sh: error: swift package benchmark failed" >&2; exit 2; }
{
    echo "# Tapebench stages: 1 M bars, one lane, in process (ordo-one/benchmark)"
    echo
    echo "- $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; tapebench $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo
    python3 "$here/stages.py" "$work"
} | tee "$work/results.md"
