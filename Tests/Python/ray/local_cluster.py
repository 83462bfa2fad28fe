"""Starts a local Ray cluster (`ray start --head`), runs deploy/ray/driver.py against it, stops the cluster.

usage: local_cluster.py DRIVER CPUS DRIVER-ARGUMENT...   exits with the driver's code; prints the driver's
stdout, and on stderr the time the cluster took to start and the driver's wall time.
"""
import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    # `ray stop` ends every Ray process of the machine, so two test runs on one machine (two checkouts, say)
    # would stop each other's clusters: one cluster at a time, the others wait here. In /tmp, not the
    # temporary folder: two runs may have different TMPDIRs (CI gives the tests one of their own).
    lock = open("/tmp/tapebench-ray-cluster.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        return run_cluster()
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def run_cluster() -> int:
    driver, cpus, arguments = sys.argv[1], sys.argv[2], sys.argv[3:]
    bin_folder = os.path.dirname(sys.executable)
    ray = os.path.join(bin_folder, "ray")
    port = free_port()
    # A short temporary folder: Ray's sockets live under it, and a Unix socket path has at most 107 bytes.
    temp = tempfile.mkdtemp(prefix="tbray-", dir="/tmp")
    env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
    started = time.monotonic()
    head = subprocess.run([ray, "start", "--head", f"--port={port}", f"--num-cpus={cpus}", "--include-dashboard=false",
                           "--disable-usage-stats", f"--temp-dir={temp}", "--object-store-memory=100000000"],
                          env=env, capture_output=True, text=True)
    if head.returncode != 0:
        print(f"ray start --head failed: {head.stderr.strip()[-2000:]}", file=sys.stderr)
        return 3
    print(f"cluster: started in {time.monotonic() - started:.2f} s", file=sys.stderr)
    try:
        begun = time.monotonic()
        done = subprocess.run([sys.executable, driver, "--address", f"127.0.0.1:{port}", *arguments], env=env)
        print(f"driver: {time.monotonic() - begun:.2f} s", file=sys.stderr)
        return done.returncode
    finally:
        # `ray stop` ends this machine's Ray processes: the cluster this script started.
        subprocess.run([ray, "stop", "--force"], env=env, capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
