"""Markdown tables from the package benchmarks' threshold export (benchmarks/stages.sh runs both).

    python3 benchmarks/stages.py FOLDER     FOLDER holds Tapebench.<n>_<name>.p90.json files

Each benchmark streams the same 1 000 000 bars through one stage more than the one before (see
Benchmarks/Tapebench/Tapebench.swift), so the difference between two neighbours is the cost of a stage. The
`metricP90AbsoluteThresholds` export is the one that keeps raw values (ns, counts, bytes per iteration of 1 M
bars) for iterations longer than a second (the JMH export drops them: the framework's own throughput is whole
iterations per second, 0 here). p90 of 3 samples is the slowest of them: a conservative figure.
Python 3 standard library only.
"""

import glob
import json
import os
import re
import sys

BARS = 1_000_000
STAGES = {
    1: "decompress (gzip: ISA-L)",
    2: "parse the CSV rows into bars",
    3: "validate, merge into replay order",
    4: "replay: calendar, clock, windows, statistics (no agent)",
    5: "the agent's scans (VWAP, never signalling)",
    6: "orders, fills, risk checks, ledger",
    7: "reports written (md, html, json, csv, sqlite)",
}


def load(folder):
    rows = {}
    for path in glob.glob(os.path.join(folder, "*.p90.json")):
        name = os.path.basename(path)[: -len(".p90.json")].split(".", 1)[-1].replace("_", " ")
        match = re.match(r"(\d+) (.*)", name)
        if not match:
            continue
        metrics = json.load(open(path))
        rows[int(match.group(1))] = {
            "name": match.group(2),
            "cpu": metrics["cpuTotal"] / 1e9,  # s per 1 M bars
            "mallocs": metrics["mallocCountTotal"],
            "rss": metrics["peakMemoryResident"] / 1e6,
            "rss_delta": metrics["peakMemoryResidentDelta"] / 1e6,
        }
    return rows


def main(path):
    rows = load(path)
    if not rows:
        sys.exit(f"stages.py: no Tapebench.<n>_<name>.p90.json files in {path}")
    print("| benchmark (1 M bars, one lane) | CPU | bars/s | mallocs | mallocs per bar | peak RSS | RSS Δ |")
    print("|---|---|---|---|---|---|---|")
    for number, row in sorted(rows.items()):
        print(f"| {number} {row['name']} | {row['cpu']:.2f} s | {BARS / row['cpu'] / 1e3:,.0f} k | {row['mallocs']:,.0f} | "
              f"{row['mallocs'] / BARS:.3f} | {row['rss']:.0f} MB | {row['rss_delta']:.0f} MB |")
    if 7 not in rows:
        return  # the stages' shares need the end-to-end benchmark (a --filter left it out)
    print()
    total = rows[7]["cpu"]
    print(f"| stage (the difference from the benchmark before) | CPU per bar | share of end to end ({total:.2f} s) | mallocs per bar |")
    print("|---|---|---|---|")
    for number, stage in STAGES.items():
        if number not in rows or (number > 1 and number - 1 not in rows):
            continue
        before = rows.get(number - 1, {"cpu": 0.0, "mallocs": 0})
        cpu = rows[number]["cpu"] - before["cpu"]
        mallocs = rows[number]["mallocs"] - before["mallocs"]
        print(f"| {stage} | {cpu / BARS * 1e9:.0f} ns | {cpu / total:.0%} | {mallocs / BARS:.3f} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
