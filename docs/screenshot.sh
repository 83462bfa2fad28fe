#!/usr/bin/env bash
# Makes docs/images/report.png, the README's picture of report.html: the fill-models scenario (one agent under
# five fill models) replayed with the debug build, and the top of its report.html rendered by headless Chromium
# in a 1280×1200 viewport. Run from anywhere: bash docs/screenshot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tapebench=".build/debug/tapebench"
[ -x "$tapebench" ] || swift build --product tapebench
chromium=""
for name in chromium-headless-shell chromium chromium-browser google-chrome headless_shell; do
    if command -v "$name" >/dev/null; then chromium=$(command -v "$name"); break; fi
done
[ -n "$chromium" ] || { echo "error: no headless Chromium on PATH; bash .ci/setup installs chromium-headless-shell" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tapebench" run scenarios/fill-models.yaml --out "$work/run" --quiet >/dev/null
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-extensions \
    --disable-background-networking --user-data-dir="$work/profile" --window-size=1280,1200 \
    --screenshot="$work/report.png" "file://$work/run/report.html" >/dev/null 2>&1
mkdir -p docs/images
cp "$work/report.png" docs/images/report.png
echo "wrote docs/images/report.png ($(wc -c < docs/images/report.png) bytes)"
