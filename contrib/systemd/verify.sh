#!/bin/sh
# Renders systemd units with the Cron module (via the CronTests verify suite), then runs
# `systemd-analyze verify` on them and on the contrib templates, and `systemd-analyze calendar`
# on every OnCalendar= line. Usage: contrib/systemd/verify.sh [output-dir]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$(mktemp -d /tmp/makini-sync-units.XXXXXX)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
analyze=$(command -v systemd-analyze || true)
if [ -z "$analyze" ]; then
    echo "systemd-analyze not found; install it with: apt-get install -y systemd" >&2
    exit 69
fi
echo "== $("$analyze" --version | head -n 1)"
echo "== rendering units into $out (swift test --filter SystemdVerifyTests)"
cd "$root"
if ! MAKINI_SYSTEMD_RENDER_DIR="$out" swift test --filter SystemdVerifyTests > "$out/swift-test.log" 2>&1; then
    tail -n 40 "$out/swift-test.log"
    echo "FAIL: the verify suite failed (full log: $out/swift-test.log)"
    exit 1
fi
grep -E "Test run with|passed|failed|skipped" "$out/swift-test.log" | tail -n 1

status=0
xdg=$(mktemp -d /tmp/makini-sync-xdg.XXXXXX)
for dir in system user templates; do
    [ -d "$out/$dir" ] || continue
    if [ "$dir" = user ]; then mode="--user"; else mode=""; fi
    echo "== systemd-analyze ${mode:+$mode }verify $out/$dir/*"
    # shellcheck disable=SC2086
    if result=$(XDG_RUNTIME_DIR="$xdg" "$analyze" $mode verify "$out/$dir"/* 2>&1) && [ -z "$result" ]; then
        for unit in "$out/$dir"/*; do echo "ok  $(basename "$unit")"; done
    else
        echo "$result"
        echo "FAIL: $dir units"
        status=1
    fi
done
echo "== systemd-analyze calendar (OnCalendar= lines)"
calendars=$(grep -h '^OnCalendar=' "$out"/system/*.timer "$out"/templates/*.timer | sort -u)
set -f
old_ifs=$IFS
IFS='
'
for line in $calendars; do
    expression=${line#OnCalendar=}
    normalised=$("$analyze" calendar "$expression" 2>&1 | sed -n 's/^ *Normalized form: //p')
    if [ -n "$normalised" ]; then
        echo "ok  $expression  ->  $normalised"
    else
        echo "FAIL: $expression"
        status=1
    fi
done
IFS=$old_ifs
set +f
echo "== sample: $out/system/makini-sync-plant-floor.service"
cat "$out/system/makini-sync-plant-floor.service"
echo "== sample: $out/system/makini-sync-payroll.timer"
cat "$out/system/makini-sync-payroll.timer"
rm -rf "$xdg"
[ "$status" -eq 0 ] && echo "== all units verified" || echo "== verification FAILED"
exit "$status"
