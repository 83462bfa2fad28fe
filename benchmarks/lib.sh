# Shared by benchmarks/run.sh and benchmarks/peers/run.sh (sourced, not run): checking the tools, building
# tapebench, and measuring a command on given cores with GNU time. The caller sets `me` (its name in
# messages), `root` (the repository), `work` (a folder for timings) and `repeats` (runs per measurement).

fail() { echo "$me: error: $*" >&2; exit 2; }
log() { echo "$me: $*" >&2; }

# taskset and gzip, and GNU time, installed with apt-get when missing and we are root: GNU time reports the
# peak RSS of the child; bash's `time` keyword does not.
require_tools() {
    command -v taskset >/dev/null || fail "taskset is missing (util-linux)"
    command -v gzip >/dev/null || fail "gzip is missing"
    if [ ! -x /usr/bin/time ]; then
        { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; } || fail "/usr/bin/time is missing: install GNU time (apt-get install time)"
        log "installing GNU time"
        apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq time >/dev/null; } ||
            fail "apt-get install time failed"
    fi
}

# Sets bin to a release build of tapebench from this checkout, or to $TAPEBENCH_BIN when set (a binary built
# elsewhere, e.g. a copy of an earlier commit's, to compare before and after on the same data).
build_tapebench() {
    if [ -n "${TAPEBENCH_BIN:-}" ]; then
        [ -x "$TAPEBENCH_BIN" ] || fail "TAPEBENCH_BIN=$TAPEBENCH_BIN is not an executable"
        bin=$TAPEBENCH_BIN
        log "using $bin (TAPEBENCH_BIN)"
        return
    fi
    # Built as we ship it (deploy/kubernetes/Dockerfile): with the Swift runtime and Foundation linked in
    # statically, start-up takes about 16 instead of 25 ms of CPU (no dynamic symbol binding for them) and
    # calls into the runtime skip the PLT. Its own scratch folder, so the plain release build is not redone.
    log "building tapebench (release, --static-swift-stdlib, in .build-static)"
    (cd "$root" && swift build -c release --product tapebench --static-swift-stdlib --scratch-path .build-static >/dev/null) ||
        fail "swift build -c release --static-swift-stdlib failed (it needs libcurl4-openssl-dev: bash .ci/setup)"
    bin="$(cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)/tapebench"
}

# CPU seconds all processes of the machine have used since boot (user, nice, system, irq, softirq).
busy_seconds() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8) / hz }' /proc/stat; }

# measure LABEL CPUS CMD...: runs CMD `repeats` times under `taskset -c CPUS` and GNU time; sets cpu (the
# lowest user + sys of the runs, s), wall (of that run, s), others (CPU seconds the rest of the machine used
# during that run: a measurement that shared its cores shows here) and rss (the highest peak RSS, MB). With
# best_by=wall the run with the lowest wall time is kept instead (for speed-ups on several cores). CMD's
# stdout is kept in WORK/time/LABEL.stdout (of the last run), its stderr in LABEL.stderr.
best_by=cpu
# A prefix for every measured command: empty, or `chrt -f 10` (run.sh --fifo) so that other processes on a
# shared machine do not take the cores during a wall-time measurement.
priority=()
measure() {
    local label=$1 cpus=$2; shift 2
    local out="$work/time/$label" best="" best_wall="" best_others="" max_rss=0 i e u s m c before after o
    mkdir -p "$work/time"
    for ((i = 1; i <= repeats; i++)); do
        before=$(busy_seconds)
        if ! "${priority[@]}" taskset -c "$cpus" /usr/bin/time -f '%e %U %S %M' -o "$out" "$@" >"$out.stdout" 2>"$out.stderr"; then
            tail -20 "$out.stderr" >&2
            fail "$label: '$*' failed"
        fi
        after=$(busy_seconds)
        read -r e u s m <"$out"
        c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        o=$(awk -v a="$after" -v b="$before" -v c="$c" 'BEGIN { o = a - b - c; printf "%.2f", o < 0 ? 0 : o }')
        local key=$c best_key=$best
        [ "$best_by" = wall ] && { key=$e; best_key=$best_wall; }
        if [ -z "$best" ] || awk -v k="$key" -v b="$best_key" 'BEGIN { exit !(k < b) }'; then best=$c; best_wall=$e; best_others=$o; fi
        [ "$m" -gt "$max_rss" ] && max_rss=$m
    done
    cpu=$best
    wall=$best_wall
    others=$best_others
    rss=$(awk -v k="$max_rss" 'BEGIN { printf "%.0f", k / 1024 }')
    log "$label: cpu ${cpu} s, wall ${wall} s, peak RSS ${rss} MB; other processes ${others} CPU s meanwhile"
}

# Numbers for the tables: 1.04 M / 98 k bars; a rate in bars/s from bars and seconds; a ratio as 2.41×.
fmt_bars() { awk -v b="$1" 'BEGIN { if (b >= 1e6) printf "%.2f M", b / 1e6; else printf "%.0f k", b / 1e3 }'; }
rate() { awk -v b="$1" -v c="$2" 'BEGIN { if (c <= 0) { print "–"; exit } r = b / c; if (r >= 1e6) printf "%.2f M", r / 1e6; else printf "%.1f k", r / 1e3 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "–"; else printf "%.2f×", a / b }'; }

# The machine and the checkout, as Markdown list items.
describe_machine() {
    echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory; load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
    echo "- tapebench $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- Sources Package.swift 2>/dev/null || echo ' with uncommitted changes'), release build; $(swift --version 2>&1 | head -1)"
}

commands=()
note_command() { commands+=("$*"); }
print_commands() {
    echo "Commands (each run $repeats time(s); \`tapebench\` is $bin):"
    echo
    echo '```'
    printf '%s\n' "${commands[@]}"
    echo '```'
}
