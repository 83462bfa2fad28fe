"""Runs a tapebench sweep or check on a Ray cluster: one Ray task per shard, then `tapebench merge`.

    python driver.py --shards 8 --workdir /shared --out reports/default-sweep \\
        -- sweep scenarios/default.yaml --param slippage.bps=0:19:1

Each task runs the `tapebench` binary (--tapebench, default: on PATH) on a worker with `--shard I/N` and
`--out shards/<kind>-I` under --workdir, a folder every node sees (NFS, an object-store mount). The driver
waits for all N, then runs `tapebench merge` over the N folders into --out, and exits with merge's code:
0, 1 (a check found a regression) or 2 (a shard failed, or merge refused the shards). --address is the
cluster's (default: RAY_ADDRESS, or `auto` for the cluster this machine joined).
"""
import argparse
import os
import subprocess
import sys
import time

import ray


@ray.remote(num_cpus=1)
def run_shard(tapebench: str, workdir: str, arguments: list, index: int, count: int, out: str) -> dict:
    """One shard, as a subprocess on whichever node Ray placed the task; its exit code and output come back."""
    started = time.monotonic()
    command = [tapebench, *arguments, "--shard", f"{index}/{count}", "--out", out, "--quiet", "--no-wait"]
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True)
    return {"index": index, "status": done.returncode, "stdout": done.stdout, "stderr": done.stderr,
            "seconds": time.monotonic() - started, "node": ray.get_runtime_context().get_node_id()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shards", type=int, required=True, help="N, the number of shards (and Ray tasks)")
    parser.add_argument("--workdir", required=True, help="the shared folder commands run in")
    parser.add_argument("--out", required=True, help="the merged output folder (relative to --workdir)")
    parser.add_argument("--tapebench", default="tapebench", help="the tapebench binary, the same path on every node")
    parser.add_argument("--address", default=os.environ.get("RAY_ADDRESS", "auto"))
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- sweep|check ARGUMENTS (without --shard/--out)")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command or command[0] not in ("sweep", "check") or args.shards < 1:
        parser.error("give --shards N ≥ 1 and, after --, a sweep or check command line")
    kind = command[0]

    ray.init(address=args.address, logging_level="ERROR", log_to_driver=False)
    folders = [f"shards/{kind}-{i}" for i in range(1, args.shards + 1)]
    started = time.monotonic()
    futures = [run_shard.remote(args.tapebench, args.workdir, command, i, args.shards, folders[i - 1])
               for i in range(1, args.shards + 1)]
    results = sorted(ray.get(futures), key=lambda r: r["index"])
    shard_seconds = time.monotonic() - started
    ray.shutdown()

    # A check shard exits 1 on a regression in its slice and still wrote its folder; merge decides.
    failed = [r for r in results if r["status"] not in ((0, 1) if kind == "check" else (0,))]
    for r in results:
        print(f"shard {r['index']}/{args.shards}: exit {r['status']}, {r['seconds']:.2f} s", file=sys.stderr)
    if failed:
        for r in failed:
            line = (r["stderr"].strip().splitlines() or ["(no message)"])[-1]
            print(f"error: shard {r['index']}/{args.shards} failed (exit {r['status']}): {line}", file=sys.stderr)
        return 2
    merge = subprocess.run([args.tapebench, "merge", *folders, "--out", args.out], cwd=args.workdir)
    print(f"shards: {shard_seconds:.2f} s on the cluster; merge: exit {merge.returncode}", file=sys.stderr)
    return merge.returncode


if __name__ == "__main__":
    sys.exit(main())
