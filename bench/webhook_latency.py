"""Driver of bench/webhook-latency: mutates work orders at a steady rate, polls PostgreSQL for each record version,
and reports the latency from each mutation to its version being visible.

Standard library only; PostgreSQL is read with `psql` (PGHOST/PGUSER/PGDATABASE from bench/lib.sh)."""
import argparse
import calendar
import json
import subprocess
import threading
import time
import urllib.request


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def get(url):
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.loads(response.read())


def iso_seconds(text):
    return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))


class Poller(threading.Thread):
    """Queries every work order stamped at or after `since`; notes the first wall time each (connection, id, stamp)
    was seen. One query about every 50 ms in one psql session (plus the query's own time: the resolution printed)."""

    def __init__(self, since):
        super().__init__(daemon=True)
        self.since = since
        self.seen = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.polls = 0
        self.gaps = []

    def run(self):
        query = ("SELECT connection_id, id, extract(epoch FROM updated_at)::bigint FROM makini.work_orders "
                 f"WHERE updated_at >= to_timestamp({self.since});")
        # One psql session for the whole run (no process start per poll): each poll sends the query and an end marker.
        psql = subprocess.Popen(["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, bufsize=1)
        last = None
        while not self.stop.is_set():
            psql.stdin.write(query + "\n\\echo __poll_end__\n")
            psql.stdin.flush()
            lines = []
            while True:
                line = psql.stdout.readline()
                if not line:
                    raise RuntimeError("psql ended")
                line = line.rstrip("\n")
                if line == "__poll_end__":
                    break
                lines.append(line)
            now = time.time()
            if last is not None:
                self.gaps.append(now - last)
            last = now
            with self.lock:
                for line in lines:
                    connection, record, stamp = line.split("\t")
                    self.seen.setdefault((connection, record), {}).setdefault(int(stamp), now)
                self.polls += 1
            self.stop.wait(0.05)
        psql.stdin.close()
        psql.wait()

    def first_seen(self, connection, record, stamp):
        """First time that version, or a later one of the same record, was seen."""
        with self.lock:
            times = [t for s, t in self.seen.get((connection, record), {}).items() if s >= stamp]
        return min(times) if times else None


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sim", required=True)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", required=True, help="space-separated connection ids")
    parser.add_argument("--out", required=True)
    parser.add_argument("--drain-seconds", type=int, default=30, help="how long to wait for the last versions")
    args = parser.parse_args()
    connections = args.connections.split()
    start = int(time.time())
    poller = Poller(start)
    poller.start()

    ticks = args.seconds * 10
    per_tick = args.rate / 10
    owed = 0.0
    began = time.monotonic()
    behind = 0
    for tick in range(ticks):
        owed += per_tick
        count = int(owed)
        owed -= count
        if count:
            post(f"{args.sim}/_sim/mutate", {"connection": connections[tick % len(connections)], "entity": "work-orders",
                                             "updates": count, "wallClock": True})
        wait = began + (tick + 1) / 10 - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        else:
            behind += 1
    mutating = time.monotonic() - began

    sent = [e for e in get(f"{args.sim}/_sim/webhooks/sent") if not e["duplicate"] and e["entity"] == "work-orders"]
    versions = [(e["connection"], e["record_id"], iso_seconds(e["updated_at"]), e["mutated_at"]) for e in sent]
    deadline = time.time() + args.drain_seconds
    while time.time() < deadline:
        if all(poller.first_seen(c, r, s) is not None for c, r, s, _ in versions):
            break
        time.sleep(0.2)
    poller.stop.set()
    poller.join()
    latencies, missing = [], 0
    for connection, record, stamp, mutated in versions:
        seen = poller.first_seen(connection, record, stamp)
        if seen is None:
            missing += 1
        else:
            latencies.append(max(0.0, seen - mutated))
    statuses = {}
    for entry in get(f"{args.sim}/_sim/webhooks/sent"):
        key = str(entry.get("status") or entry.get("error") or "pending")
        statuses[key] = statuses.get(key, 0) + 1
    gaps = poller.gaps or [0.0]
    with open(args.out, "w") as out:
        out.write(f"  mutations: {len(versions)} in {mutating:.1f} s ({len(versions) / mutating:.1f}/s; {behind} of {ticks} ticks late)\n")
        if latencies:
            out.write(f"  latency mutation -> row visible in PostgreSQL: p50 {percentile(latencies, 50) * 1000:.0f} ms, "
                      f"p99 {percentile(latencies, 99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms "
                      f"(poll resolution: median {percentile(gaps, 50) * 1000:.0f} ms between polls, {poller.polls} polls)\n")
        out.write(f"  missing: {missing} versions never seen within {args.drain_seconds} s after the last mutation\n")
        out.write(f"  webhook deliveries by daemon answer: {json.dumps(statuses, sort_keys=True)}\n")


if __name__ == "__main__":
    main()
