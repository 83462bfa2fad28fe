"""A bounded load test of `tapebench serve` on loopback: N requests over C keep-alive connections.

    python3 load.py PORT [--requests 20000] [--connections 4] [--seconds 60] [--agent vwap-mr]

Standard library only (asyncio streams, HTTP/1.1 keep-alive). Each connection sends its next request when
the last answer is read; the routes are the dashboard's polling mix (agents, account, positions, 20 orders,
20 trades, performance, eligibility) in turn. Stops at N requests or after --seconds, whichever comes first,
and prints the rate held, latency percentiles and the status counts as one JSON object. Traffic goes to
127.0.0.1 only.
"""
import argparse
import asyncio
import json
import time

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("--requests", type=int, default=20_000)
parser.add_argument("--connections", type=int, default=4)
parser.add_argument("--seconds", type=float, default=60.0)
parser.add_argument("--agent", default="vwap-mr")
parser.add_argument("--only", help="one path to request every time (e.g. /api/paper-trading/agents/vwap-mr/account) instead of the mix")
args = parser.parse_args()
if not (1 <= args.requests <= 1_000_000 and 1 <= args.connections <= 64 and 0 < args.seconds <= 600):
    raise SystemExit("load.py: --requests 1..1e6, --connections 1..64, --seconds up to 600")

a = args.agent
ROUTES = [
    "/api/paper-trading/agents",
    f"/api/paper-trading/agents/{a}/account",
    f"/api/paper-trading/agents/{a}/positions",
    f"/api/paper-trading/agents/{a}/orders?limit=20",
    f"/api/paper-trading/agents/{a}/trades?limit=20",
    f"/api/paper-trading/agents/{a}/performance",
    f"/api/agents/{a}/graduation/eligibility",
]

if args.only:
    ROUTES = [args.only]

issued = 0
latencies = []
statuses = {}
body_bytes = 0


async def read_answer(reader):
    global body_bytes
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    body_bytes += length
    return status


async def connection(deadline):
    global issued
    reader, writer = await asyncio.open_connection("127.0.0.1", args.port)
    try:
        while issued < args.requests and time.perf_counter() < deadline:
            path = ROUTES[issued % len(ROUTES)]
            issued += 1
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            status = await read_answer(reader)
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def main():
    start = time.perf_counter()
    await asyncio.gather(*(connection(start + args.seconds) for _ in range(args.connections)))
    elapsed = time.perf_counter() - start
    ordered = sorted(latencies)
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)
    print(json.dumps({
        "requests": len(latencies), "connections": args.connections, "routes": ROUTES if args.only else "dashboard mix", "seconds": round(elapsed, 3),
        "requests_per_second": round(len(latencies) / elapsed, 1), "mb_per_second": round(body_bytes / elapsed / 1e6, 2),
        "latency_ms": {"p50": pick(0.50), "p90": pick(0.90), "p99": pick(0.99), "max": pick(1.0)},
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
    }, sort_keys=True))


asyncio.run(main())
