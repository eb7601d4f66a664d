# Shared shell for the bench/ scripts. Source it: `. "$(dirname "$0")/lib.sh"`.
#
# What it gives a script:
#   bench_machine_info        prints cpu model, cores, RAM, OS, kernel, swift and PostgreSQL versions, date
#   bench_build_release       swift build -c release (both products; BENCH_SKIP_BUILD=1 skips it); sets SYNC_BIN, SIM_BIN
#   bench_ensure_time         makes sure GNU time (/usr/bin/time -v) exists (apt-get install time as root)
#   bench_pg_start            a fresh throwaway PostgreSQL cluster on a Unix socket in a temp dir; sets PG_URL, PG_DIR
#   bench_sim_start ARGS...   starts `makini-sim serve --port 0 ARGS`, waits for "listening on"; sets SIM_URL, SIM_PID
#   bench_timed OUT CMD...    runs CMD under /usr/bin/time -v, its report in OUT; sets WALL_S and PEAK_RSS_KB
#   bench_on_exit CMD         registers a cleanup command (run in reverse order on exit, also on failure/^C)
#
# PostgreSQL settings of the throwaway cluster (the same as Sources/LocalPostgres/ThrowawayPostgres.swift, plus a
# larger WAL budget so a 1M-row load is not dominated by checkpoints): fsync=off, synchronous_commit=off,
# full_page_writes=off, shared_buffers=256MB, max_wal_size=4GB, checkpoint_timeout=30min, max_connections=300.
# BENCH_PG_OPTS adds server options (e.g. "-c session_preload_libraries=auto_explain -c auto_explain.log_min_duration=100").
# Secrets: the simulator's tokens are passed to makini-sync through environment variables only; nothing here prints them.

set -euo pipefail

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${PG_BIN:-$( (pg_config --bindir 2>/dev/null) || echo /usr/lib/postgresql/15/bin)}"
[ -x "$PG_BIN/initdb" ] || PG_BIN=/usr/lib/postgresql/15/bin
BENCH_WORK="$(mktemp -d /tmp/makini-bench-XXXXXX)"
chmod 755 "$BENCH_WORK"
_BENCH_CLEANUPS=()

bench_on_exit() { _BENCH_CLEANUPS+=("$1"); }

_bench_cleanup() {
    local i
    for ((i = ${#_BENCH_CLEANUPS[@]} - 1; i >= 0; i--)); do eval "${_BENCH_CLEANUPS[$i]}" >/dev/null 2>&1 || true; done
    rm -rf "$BENCH_WORK"
}
trap _bench_cleanup EXIT
trap 'exit 130' INT TERM

bench_log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

bench_machine_info() {
    local cpu cores mem os swiftv pgv
    cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    cores="$(nproc)"
    mem="$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    os="$( (. /etc/os-release && echo "$PRETTY_NAME") 2>/dev/null || uname -s)"
    swiftv="$(swift --version 2>/dev/null | grep -o 'Swift version [^ ]*' | head -1)"
    pgv="$("$PG_BIN/postgres" --version 2>/dev/null)"
    echo "machine: ${cpu:-unknown cpu}, ${cores} cores, ${mem} RAM, ${os}, kernel $(uname -r)"
    echo "toolchain: ${swiftv:-swift ?}; ${pgv:-postgres ?}; date $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine: other processes may compete)"
}

bench_build_release() {
    if [ "${BENCH_SKIP_BUILD:-0}" = 1 ]; then
        bench_log "BENCH_SKIP_BUILD=1: using the release binaries already built"
    else
        bench_log "building release (swift build -c release) ..."
        (cd "$BENCH_ROOT" && swift build -c release --product makini-sync >&2 && swift build -c release --product makini-sim >&2)
    fi
    local bin
    bin="$(cd "$BENCH_ROOT" && swift build -c release --show-bin-path)"
    SYNC_BIN="${BENCH_SYNC_BIN:-$bin/makini-sync}"  # BENCH_SYNC_BIN: another makini-sync binary, for before/after runs
    SIM_BIN="$bin/makini-sim"
    # BENCH_SQL_DIR: the migrations of that other binary (its checkout's sql/), when they differ from these.
    export MAKINI_SQL_DIR="${BENCH_SQL_DIR:-$BENCH_ROOT/sql}"
}

bench_ensure_time() {
    if ! /usr/bin/time -v true >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ]; then
            bench_log "installing GNU time (apt-get install time)"
            (apt-get install -y -q time >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null))
        else
            echo "GNU time (/usr/bin/time -v) is missing: apt-get install time" >&2
            exit 1
        fi
    fi
}

# Runs a command as the cluster owner (postgres when we are root).
_bench_pg_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bench_pg_start() {
    PG_DIR="$BENCH_WORK/pg"
    mkdir -p "$PG_DIR/socket"
    [ "$(id -u)" = 0 ] && chown -R postgres "$PG_DIR"
    _bench_pg_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >/dev/null
    bench_on_exit "_bench_pg_owner '$PG_BIN/pg_ctl' -D '$PG_DIR/data' -m immediate -w stop"
    _bench_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-k $PG_DIR/socket -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
            -c shared_buffers=256MB -c max_wal_size=4GB -c checkpoint_timeout=30min -c max_connections=300 ${BENCH_PG_OPTS:-}" \
        start >/dev/null
    PG_URL="postgresql:///postgres?host=$PG_DIR/socket&user=postgres"
    export PGHOST="$PG_DIR/socket" PGUSER=postgres PGDATABASE=postgres
}

bench_psql() { psql -X -q -v ON_ERROR_STOP=1 -At "$@"; }

bench_sim_start() {
    local log="$BENCH_WORK/sim.log"
    "$SIM_BIN" serve --port 0 --log-level warning "$@" >"$log" 2>&1 &
    SIM_PID=$!
    bench_on_exit "kill $SIM_PID"
    local i
    for i in $(seq 1 3000); do
        grep -q "listening on" "$log" 2>/dev/null && break
        kill -0 "$SIM_PID" 2>/dev/null || { cat "$log" >&2; echo "makini-sim exited" >&2; exit 1; }
        sleep 0.1
    done
    SIM_URL="$(grep -o 'http://[0-9.:]*' "$log" | head -1)"
    [ -n "$SIM_URL" ] || { echo "makini-sim did not start" >&2; exit 1; }
}

# A simulator configuration with one connection `jde-plant-a` (token sim-jde-plant-a) holding N work orders.
bench_one_connection_config() {
    local n="$1" file="$BENCH_WORK/sim-one.json"
    cat >"$file" <<JSON
{"connections": [{"id": "jde-plant-a", "platform": "jde-world", "token": "sim-jde-plant-a", "seed": 42,
  "counts": {"work-orders": $n}}]}
JSON
    echo "$file"
}

# A job syncing only work-orders of the given connections; token from MAKINI_TOKEN_<ID> (upper case, - as _).
bench_job() {
    local dir="$1" name="$2"; shift 2
    mkdir -p "$dir"
    {
        echo "name: $name"
        echo "api:"
        echo "  page_size: ${BENCH_PAGE_SIZE:-500}"
        echo "  max_requests_per_second: 1000"
        echo "  allow_insecure_http: true"
        echo "connections:"
        local id
        for id in "$@"; do
            echo "  - id: $id"
            echo "    platform: jde-world"
            echo "    token_env: MAKINI_TOKEN_$(echo "$id" | tr 'a-z-' 'A-Z_')"
        done
        echo "streams:"
        for entity in ${BENCH_ENTITIES:-work-orders}; do
            echo "  - entity: $entity"
            echo "    mode: incremental"
            if [ -n "${BENCH_HISTORY:-}" ]; then echo "    history: $BENCH_HISTORY"; fi
        done
    } >"$dir/$name.yaml"
}

# bench_timed OUT CMD...: runs CMD under GNU time; sets WALL_S (seconds, from a nanosecond clock around the command)
# PEAK_RSS_KB (GNU time's maximum resident set size) and CPU_S (user + system CPU seconds). CMD's stdout/stderr go to OUT.log.
bench_timed() {
    local out="$1"; shift
    local status=0 start end
    start="$(date +%s.%N)"
    /usr/bin/time -v -o "$out" "$@" >"$out.log" 2>&1 || status=$?
    end="$(date +%s.%N)"
    WALL_S="$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b-a}')"
    PEAK_RSS_KB="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out")"
    CPU_S="$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$out")"
    if [ "$status" != 0 ]; then echo "command failed (exit $status): $1; its output:" >&2; tail -20 "$out.log" >&2; fi
    return $status
}

# CPU seconds (user + system, reaped children included) of a process so far: the postmaster's figure includes the
# backends that have exited, so deltas around a run give PostgreSQL's CPU for it.
bench_proc_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15 + $16 + $17) / hz }' "/proc/$1/stat"
}
bench_pg_pid() { head -1 "$PG_DIR/data/postmaster.pid"; }

bench_mib() { awk -v kb="$1" 'BEGIN {printf "%.1f", kb/1024}'; }
bench_rate() { awk -v n="$1" -v s="$2" 'BEGIN {if (s > 0) printf "%.0f", n/s; else print "inf"}'; }
bench_ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "inf"}'; }

# Compares a table's rows of one connection with the simulator's snapshot of the entity: every record's `raw`
# (jsonb, so key order does not matter) and its deletion. Prints "content: N rows equal the source, hash H" and
# returns non-zero on any difference. The hash (md5 of the rows' md5(raw) in id order) is the same for any build that
# stores the same content, so it compares runs and builds.
bench_content_check() {
    local connection="$1" entity="$2" table="$3"
    local snapshot="$BENCH_WORK/snapshot-$connection-$entity.jsonl"
    curl -sf -o "$snapshot" "$SIM_URL/_sim/snapshot?connection=$connection&entity=$entity"
    chmod a+r "$snapshot"
    bench_psql -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS bench_snapshot" -c "CREATE UNLOGGED TABLE bench_snapshot (raw jsonb)"
    # CSV with quote and delimiter bytes that JSON text never holds: every line is loaded as it is.
    bench_psql -c "\\copy bench_snapshot (raw) FROM '$snapshot' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
    local result
    result="$(bench_psql -F ' ' -c "
        SELECT (SELECT count(*) FROM bench_snapshot),
               (SELECT count(*) FROM bench_snapshot s FULL JOIN (SELECT * FROM makini.$table WHERE connection_id = '$connection') w
                    ON w.id = s.raw ->> 'id'
                WHERE s.raw IS NULL OR w.id IS NULL OR s.raw IS DISTINCT FROM w.raw
                   OR (s.raw ->> '_deletedAt' IS NOT NULL) IS DISTINCT FROM (w.deleted_at IS NOT NULL)),
               (SELECT md5(string_agg(md5(raw::text), '' ORDER BY id)) FROM makini.$table WHERE connection_id = '$connection')")"
    bench_psql -c "DROP TABLE bench_snapshot"
    local rows differ hash
    read -r rows differ hash <<<"$result"
    if [ "$differ" != 0 ]; then
        echo "  content: $differ of $rows rows differ from the source (hash $hash)"
        return 1
    fi
    echo "  content: $rows rows equal the source, hash $hash"
}
