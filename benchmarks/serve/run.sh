#!/usr/bin/env bash
# Load test of `tapebench serve` on loopback (see load.py): replays the default scenario into a temporary
# folder, serves its run.sqlite on a free port, runs load.py against it, stops the server.
#
#   bash benchmarks/serve/run.sh [--release] [load.py options, e.g. --requests 20000 --connections 4]
#
# --release builds and serves the release binary (the rate to quote); without it, the debug build.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
configuration=debug
if [ "${1:-}" = "--release" ]; then configuration=release; shift; fi
swift build -c "$configuration" --product tapebench >/dev/null
bin="$(swift build -c "$configuration" --show-bin-path)/tapebench"
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$bin" run scenarios/default.yaml --out "$work/run" --quiet >/dev/null
"$bin" serve "$work/run/run.sqlite" --port 0 --registry "$work/agents.sqlite" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do grep -q '^serving' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port="$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$work/serve.out")"
[ -n "$port" ] || { echo "serve did not start: $(cat "$work/serve.err")" >&2; exit 2; }
echo "tapebench serve ($configuration) on port $port; $(nproc) cores"
python3 "$root/benchmarks/serve/load.py" "$port" "$@"
