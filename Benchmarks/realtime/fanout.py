#!/usr/bin/env python3
"""Helper of fanout.sh: opens CLIENTS WebSocket connections to /api/v1/stream as an admin, posts
signed inbound messages from EVENTS new contacts (each new chat records one session.changed
event, sent to every admin client), and measures each event's arrival at every client.

  fanout.py PORT SERVER_PID DB CLIENTS EVENTS RATE WORKERS EMAIL PASSWORD SECRET
RATE = deliveries per second, paced evenly (one POST every 1/RATE s, one keep-alive connection);
RATE = 0 posts all EVENTS at once from 16 threads (a burst).
The clients are spread over WORKERS processes (asyncio + the `websockets` library); each
records time.time() as soon as a message is handed to it. Arrival times are compared with the
POST's start (the webhook was sent) and with the event row's created_at (the server recorded it,
REAL Unix seconds in the SQLite file). All on one machine, one wall clock.
"""
import asyncio, http.client, json, multiprocessing as mp, os, resource, sqlite3, sys, threading, time
from concurrent.futures import ThreadPoolExecutor

sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from deliveries import delivery  # noqa: E402

PREFIX = "57330"


def rss(pid):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields["VmRSS"], fields["VmHWM"], fields["Threads"], len(os.listdir(f"/proc/{pid}/fd"))


def worker(index, port, token, count, target, ready, done, stop, out):
    """Opens `count` clients, reports how many connected, receives until told to stop; tells
    `done` once every one of its clients has `target` messages (set by the main process once it
    knows how many events the new chats recorded)."""
    from websockets.asyncio.client import connect

    async def run():
        received = [[] for _ in range(count)]
        failures = []
        sockets = [None] * count
        gate = asyncio.Semaphore(50)

        async def open_one(i):
            async with gate:
                try:
                    sockets[i] = await connect(f"ws://127.0.0.1:{port}/api/v1/stream", compression=None,
                                               additional_headers={"Authorization": f"Bearer {token}"},
                                               open_timeout=120, ping_interval=None, max_queue=None)
                except Exception as error:  # noqa: BLE001
                    failures.append(repr(error)[:200])

        await asyncio.gather(*(open_one(i) for i in range(count)))

        async def listen(i):
            ws, log = sockets[i], received[i]
            try:
                async for message in ws:
                    log.append((time.time(), message))
            except Exception as error:  # noqa: BLE001
                failures.append("closed: " + repr(error)[:200])

        async def watch():
            while not stop.is_set():
                if target.value > 0 and all(len(r) >= target.value for r, s in zip(received, sockets) if s is not None):
                    done.put(index)
                    return
                await asyncio.sleep(0.05)

        listeners = [asyncio.create_task(listen(i)) for i in range(count) if sockets[i] is not None]
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        watcher = asyncio.create_task(watch())
        ready.put((index, sum(s is not None for s in sockets), failures[:3]))
        while not stop.is_set():
            await asyncio.sleep(0.1)
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        for ws in sockets:
            if ws is not None:
                await ws.close()
        for task in listeners + [watcher]:
            task.cancel()
        result = {"received": [[(t, json.loads(m)["seq"]) for t, m in r] for r in received],
                  "failures": failures,
                  "cpu": (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)}
        with open(out, "w") as f:
            json.dump(result, f)

    asyncio.run(run())


def login(port, email, password):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1/auth/login", json.dumps({"email": email, "password": password}),
                 {"Content-Type": "application/json"})
    response = conn.getresponse()
    assert response.status == 200, (response.status, response.read())
    return json.loads(response.read())["token"]


def pct(values, p):
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(-(-p * len(v) // 100)) - 1))
    return v[k]


def ms(x):
    return f"{1000 * x:.0f} ms"


def main():
    port, server, db = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    clients, events, rate, workers = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    email, password, secret = sys.argv[8], sys.argv[9], sys.argv[10].encode()
    outdir = os.path.dirname(os.path.abspath(db))
    token = login(port, email, password)
    print("server before clients: VmRSS %s, VmHWM %s, threads %s, open fds %d" % rss(server))

    ctx = mp.get_context("fork")
    ready, done, stop, target = ctx.Queue(), ctx.Queue(), ctx.Event(), ctx.Value("i", 0)
    shares = [clients // workers + (1 if i < clients % workers else 0) for i in range(workers)]
    procs = [ctx.Process(target=worker, args=(i, port, token, shares[i], target, ready, done, stop, f"{outdir}/clients-{i}.json"))
             for i in range(workers)]
    t0 = time.time()
    for p in procs:
        p.start()
    connected = 0
    for _ in procs:
        index, n, failures = ready.get(timeout=600)
        connected += n
        if failures:
            print(f"worker {index}: connection failures, e.g. {failures}")
    connected_at = time.time()
    print(f"{connected} of {clients} clients connected in {connected_at - t0:.1f} s ({workers} client processes)")
    time.sleep(2)
    print("server with %d clients connected: VmRSS %s, VmHWM %s, threads %s, open fds %d" % ((connected,) + rss(server)))

    # New contacts, windows open (timestamp a minute ago): each new chat records one session.changed.
    now = int(time.time())
    bodies = [delivery(f"{PREFIX}{i:07d}", f"wamid.rtfan{i:09d}", now - 60, i, secret) for i in range(events)]
    posted = {}
    local = threading.local()

    def post(i):
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        signature, raw = bodies[i]
        start = time.time()
        local.conn.request("POST", "/webhooks/whatsapp", raw.encode(),
                           {"Content-Type": "application/json", "X-Hub-Signature-256": signature})
        response = local.conn.getresponse()
        response.read()
        posted[f"{PREFIX}{i:07d}"] = (start, time.time(), response.status)

    post_start = time.time()
    if rate > 0:
        for i in range(events):
            delay = post_start + i / rate - time.time()
            if delay > 0:
                time.sleep(delay)
            post(i)
    else:
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(post, range(events)))
    post_end = time.time()
    statuses = [s for (_, _, s) in posted.values()]
    print(f"posted {len(posted)} deliveries in {post_end - post_start:.1f} s "
          f"({'paced ' + str(rate) + '/s' if rate > 0 else 'burst, 16 threads'}); non-200 answers: {sum(s != 200 for s in statuses)}")

    # How many events did the new chats record? (One session.changed each is expected.) Wait until
    # the count stops growing, then tell the clients how many to wait for.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def recorded():
        return conn.execute("select count(*) from events e join conversations c on c.id = e.conversation_id "
                            "join contacts k on k.id = c.contact_id where k.wa_id like ?", (PREFIX + "%",)).fetchone()[0]

    count, settled = recorded(), time.time()
    while time.time() - settled < 1.0 and time.time() < post_end + 30:
        time.sleep(0.1)
        if recorded() != count:
            count, settled = recorded(), time.time()
    target.value = count
    finished = 0
    deadline = time.time() + 30
    while finished < workers and time.time() < deadline:
        try:
            done.get(timeout=max(0.1, deadline - time.time()))
            finished += 1
        except Exception:  # noqa: BLE001
            break
    time.sleep(2)  # a duplicate would arrive within a feed poll or two
    print("server after the events: VmRSS %s, VmHWM %s, threads %s, open fds %d" % rss(server))
    stop.set()
    stopped_at = time.time()
    for p in procs:
        p.join(timeout=60)
    time.sleep(3)
    print("server 3 s after the clients disconnected: VmRSS %s, VmHWM %s, threads %s, open fds %d" % rss(server))
    print(f"every client had all {target.value} events" if finished == workers
          else f"NOT every client had all {target.value} events within 30 s")

    results = [json.load(open(f"{outdir}/clients-{i}.json")) for i in range(workers)]
    received = [r for res in results for r in res["received"]]
    client_cpu = sum(res["cpu"] for res in results)
    failures = [f for res in results for f in res["failures"]]

    rows = conn.execute(
        "select e.seq, e.state, e.created_at, k.wa_id from events e join conversations c on c.id = e.conversation_id "
        "join contacts k on k.id = c.contact_id where k.wa_id like ? order by e.seq", (PREFIX + "%",)).fetchall()
    expected = [seq for seq, *_ in rows]
    created = {seq: c for seq, _, c, _ in rows}
    sent_at = {seq: posted[wa][0] for seq, _, _, wa in rows}
    states = sorted({s for _, s, _, _ in rows})
    print(f"events recorded for the {events} new chats: {len(rows)} (states: {', '.join(states)})")
    all_seqs = [seq for (seq,) in conn.execute("select seq from events where seq >= ?", (expected[0] if expected else 0,))]
    print(f"events in the log from the first of them on: {len(all_seqs)}")

    exact, missing, dup, order, extra = 0, 0, 0, 0, 0
    from_post, from_record = [], []
    last_client = {seq: 0.0 for seq in expected}
    first_client = {seq: float("inf") for seq in expected}
    expected_set = set(expected)
    for log in received:
        seqs = [s for _, s in log]
        if seqs == expected:
            exact += 1
        got = [s for s in seqs if s in expected_set]
        missing += len(expected_set - set(got))
        dup += len(got) - len(set(got))
        order += any(b <= a for a, b in zip(seqs, seqs[1:]))
        extra += sum(1 for s in seqs if s not in expected_set)
        for t, s in log:
            if s in expected_set:
                from_post.append(t - sent_at[s])
                from_record.append(t - created[s])
                last_client[s] = max(last_client[s], t)
                first_client[s] = min(first_client[s], t)
    n = len(received)
    print(f"clients that received every event exactly once and in seq order: {exact} of {n}; "
          f"missing (client, event) pairs: {missing}; duplicates: {dup}; clients with out-of-order seq: {order}; "
          f"other events received: {extra}; client errors: {len(failures)} {failures[:2]}")
    if from_post:
        print(f"per-client delivery latency from the POST: p50 {ms(pct(from_post, 50))}, p99 {ms(pct(from_post, 99))}, "
              f"max {ms(max(from_post))} ({len(from_post)} deliveries)")
        print(f"per-client delivery latency from the event's recording (created_at): p50 {ms(pct(from_record, 50))}, "
              f"p99 {ms(pct(from_record, 99))}, max {ms(max(from_record))}")
        record_lag = [created[s] - sent_at[s] for s in expected]
        print(f"POST to recording (created_at): p50 {ms(pct(record_lag, 50))}, max {ms(max(record_lag))}")
        last = [last_client[s] - sent_at[s] for s in expected]
        spread = [last_client[s] - first_client[s] for s in expected]
        print(f"last delivery of all arrived {max(last_client.values()) - post_end:.2f} s after the last POST answered")
        print(f"time until the last client had an event, from its POST: p50 {ms(pct(last, 50))}, p99 {ms(pct(last, 99))}, "
              f"max {ms(max(last))}; first-to-last client spread per event: p50 {ms(pct(spread, 50))}, max {ms(max(spread))}")
    print(f"client processes' CPU from all connected to stop: {client_cpu:.1f} s over {stopped_at - connected_at:.1f} s")


if __name__ == "__main__":
    main()
