#!/usr/bin/env python3
"""Helpers of lateness.sh.

  lateness.py observe DB OUT DEADLINE
      Reads the server's SQLite file (read-only, WAL lets it read beside the writer) every 20 ms
      until the Unix time DEADLINE (or SIGTERM) and writes, for every event row it sees, the
      wall-clock time it first saw it: seq, conversation_id, state, at, created_at, seen_at.
      This is an outside witness of when each event was really in the log.

  lateness.py report DB OBSERVED PREFIX CHATS FIRST_EXPIRY SPREAD LOAD_START LOAD_END WRK_RESULT
      Lateness of the `expired` session.changed events of the measured chats (contacts whose
      wa_id starts with PREFIX): created_at − at as the server recorded it, and seen_at − at from
      the witness; whether every expected transition was emitted exactly once; and the ingest
      rate while they fell due (messages of the other contacts stored per second, by their
      created_at = time received, over [FIRST_EXPIRY, FIRST_EXPIRY + SPREAD]).
Dates in this SQLite schema are REAL Unix seconds (Fluent's SQLite encoding), ids TEXT.
"""
import signal, sqlite3, sys, time


def observe(db: str, out: str, deadline: float) -> None:
    stop = False

    def on_term(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_term)
    conn = None
    last, rows, gaps, previous = 0, [], [], None
    while not stop and time.time() < deadline:
        try:
            if conn is None:
                conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            fresh = conn.execute("select seq, conversation_id, state, at, created_at from events where seq > ? order by seq",
                                 (last,)).fetchall()
            seen = time.time()
            if previous is not None:
                gaps.append(seen - previous)
            previous = seen
            for row in fresh:
                rows.append((*row, seen))
            if fresh:
                last = fresh[-1][0]
        except sqlite3.Error:
            conn = None  # not created yet, or busy: try again
        time.sleep(0.02)
    with open(out, "w") as f:
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    gaps.sort()
    if gaps:
        f = open(out + ".gaps", "w")
        f.write(f"{len(gaps)} polls; interval p50 {1000 * gaps[len(gaps) // 2]:.0f} ms, "
                f"p99 {1000 * gaps[min(len(gaps) - 1, int(0.99 * len(gaps)))]:.0f} ms, max {1000 * gaps[-1]:.0f} ms\n")


def pct(sorted_values, p):
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


def stats(label, values):
    v = sorted(values)
    if not v:
        return f"{label}: none"
    over = sum(1 for x in v if x > 1.0)
    return (f"{label}: n={len(v)} min={1000 * v[0]:.0f} ms p50={1000 * pct(v, 50):.0f} ms p90={1000 * pct(v, 90):.0f} ms "
            f"p99={1000 * pct(v, 99):.0f} ms max={1000 * v[-1]:.0f} ms; over 1 s: {over}")


def report(db, observed, prefix, chats, first_expiry, spread, load_start, load_end, wrk_result):
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    measured = dict(conn.execute(
        "select c.id, c.expires_at from conversations c join contacts k on k.id = c.contact_id where k.wa_id like ?",
        (prefix + "%",)).fetchall())
    print(f"measured chats in the database: {len(measured)} of {chats}")
    per_chat = {}
    states = {}
    for seq, conv, state, at, created in conn.execute(
            "select seq, conversation_id, state, at, created_at from events where kind = 'session.changed' order by seq"):
        if conv not in measured:
            continue
        states[state] = states.get(state, 0) + 1
        if state == "expired":
            per_chat.setdefault(conv, []).append((seq, at, created))
    print("session.changed events of the measured chats by state: " + ", ".join(f"{k} {v}" for k, v in sorted(states.items())))
    once = sum(1 for v in per_chat.values() if len(v) == 1)
    dup = sum(1 for v in per_chat.values() if len(v) > 1)
    missing = len(measured) - len(per_chat)
    wrong_at = sum(1 for conv, v in per_chat.items() for (_, at, _) in v if abs(at - measured[conv]) > 1e-3)
    claims = conn.execute("select count(*) from transition_claims where to_state = 'expired'").fetchone()[0]
    print(f"expired transitions: emitted exactly once {once}, more than once {dup}, missing {missing} "
          f"(expected {chats}); 'at' differing from the chat's expiry: {wrong_at}; expired claims in the table: {claims}")
    recorded = [created - at for v in per_chat.values() for (_, at, created) in v]
    print(stats("lateness as recorded (created_at - at)", recorded))
    ticks = {}
    for v in per_chat.values():
        for (_, _, created) in v:
            ticks[created] = ticks.get(created, 0) + 1
    if ticks:
        print(f"scheduler ticks that emitted them (distinct created_at): {len(ticks)}; most in one tick: {max(ticks.values())}")
    seen_at = {}
    for line in open(observed):
        seq, conv, state, at, created, seen = line.rstrip("\n").split("\t")
        seen_at[int(seq)] = float(seen)
    witnessed = [seen_at[seq] - at for v in per_chat.values() for (seq, at, _) in v if seq in seen_at]
    print(stats("lateness as witnessed (first seen in the log by an outside reader - at)", witnessed))
    try:
        print("witness polling: " + open(observed + ".gaps").read().strip())
    except OSError:
        pass
    # Per due second: how long after its due second did the last chat of that second get its event?
    by_second = {}
    for v in per_chat.values():
        for (seq, at, created) in v:
            if seq in seen_at:
                by_second[int(at)] = max(by_second.get(int(at), 0), seen_at[seq] - at)
    if by_second:
        worst = sorted(by_second.items(), key=lambda kv: -kv[1])[:3]
        print("due seconds with the latest last event (witnessed): " +
              ", ".join(f"+{s - first_expiry}s: {1000 * d:.0f} ms" for s, d in worst))
    last_seen = max((seen_at[seq] for v in per_chat.values() for (seq, _, _) in v if seq in seen_at), default=0)
    after_load = sum(1 for v in per_chat.values() for (seq, _, _) in v if seen_at.get(seq, 0) > load_end)
    print(f"last measured transition seen {last_seen - (first_expiry + spread):+.1f} s after the span's end (first expiry + spread; "
          f"the last window closes 1 s before it); "
          f"seen after the load stopped: {after_load}")
    window_end = first_expiry + spread
    load_messages = conn.execute(
        "select count(*) from messages m join conversations c on c.id = m.conversation_id join contacts k on k.id = c.contact_id "
        "where k.wa_id not like ? and m.created_at >= ? and m.created_at < ?", (prefix + "%", first_expiry, window_end)).fetchone()[0]
    print(f"ingest while transitions fell due: {load_messages / spread:.0f} inbound messages stored/s "
          f"(received in [first expiry, +{spread} s]); load ran {load_start - first_expiry:+.1f} s to "
          f"{load_end - window_end:+.1f} s around that span; wrk: {wrk_result}")
    if last_seen > first_expiry:
        busy = conn.execute(
            "select count(*) from messages m join conversations c on c.id = m.conversation_id join contacts k on k.id = c.contact_id "
            "where k.wa_id not like ? and m.created_at >= ? and m.created_at < ?", (prefix + "%", first_expiry, last_seen)).fetchone()[0]
        print(f"ingest from the first window's close to the last transition seen: {busy / (last_seen - first_expiry):.0f} inbound messages stored/s")


if __name__ == "__main__":
    if sys.argv[1] == "observe":
        observe(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    elif sys.argv[1] == "report":
        a = sys.argv[2:]
        report(a[0], a[1], a[2], int(a[3]), int(a[4]), int(a[5]), float(a[6]), float(a[7]), a[8])
