#!/usr/bin/env python3
"""The storage floor of webhook ingest: the statements one Ventana batch runs, through SQLite's C
interface from one thread, with no HTTP, no decoding and no thread hops.

Usage: storage-floor.py DB [batches=600] [batch=16]
DB is an SQLite file Ventana has migrated (`ventana migrate`). For each batch of `batch`
deliveries (one inbound text each, from 5,000 contacts in turn, as generate.py makes them), in one
transaction: insert the raw deliveries; look up their wamids; look up the contacts, then their
chats; upsert the chats' windows; insert the messages; read each chat's last announced state;
insert one event per chat (RETURNING seq); read the webhook endpoints. The SQL is Ventana's, with
WAL and synchronous=NORMAL. Prints deliveries per second on one core and per-batch times. Python's
own per-statement cost is included, so the floor is, if anything, lower.
"""
import os, random, sqlite3, statistics, sys, time, uuid

path = sys.argv[1]
batches = int(sys.argv[2]) if len(sys.argv) > 2 else 600
size = int(sys.argv[3]) if len(sys.argv) > 3 else 16
CONTACTS = 5000

db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("PRAGMA foreign_keys=ON")


def uuid7(at):
    millis = int(at * 1000)
    raw = bytearray(millis.to_bytes(6, "big") + os.urandom(10))
    raw[6] = 0x70 | (raw[6] & 0x0F)
    raw[8] = 0x80 | (raw[8] & 0x3F)
    return str(uuid.UUID(bytes=bytes(raw))).upper()


def marks(n):
    return ", ".join("?" * n)


body = ('{"object":"whatsapp_business_account","entry":[' + "x" * 900 + "]}").encode()
payload = b'{"from":"573000000000","id":"wamid.x","timestamp":"1767225600","type":"text","text":{"body":"Hola, tienen talla M? pedido 1"}}'
run = uuid.uuid4().hex[:8]  # wamids of its own, so a second run on the same file stores as much
counter = 0
times = []
for number in range(batches):
    started = time.perf_counter()
    now = time.time()
    items = []
    for _ in range(size):
        wa_id = f"57399{counter % CONTACTS:07d}"
        items.append((wa_id, f"wamid.floor{run}{counter:09d}"))
        counter += 1
    db.execute("BEGIN")
    rows = []
    for _ in items:
        rows += [uuid7(now), now, body, 1, 0, 0]
    db.execute("INSERT INTO webhook_deliveries (id, received_at, body, messages, statuses, template_updates) VALUES "
               + ", ".join(["(?, ?, ?, ?, ?, ?)"] * size), rows)
    wamids = [w for _, w in items]
    known = {r[0] for r in db.execute(f"SELECT wamid FROM messages WHERE wamid IN ({marks(size)})", wamids)}
    fresh = [(c, w) for c, w in items if w not in known]
    wa_ids = sorted({c for c, _ in fresh})
    contacts = {r[1]: r[0] for r in db.execute(
        f'SELECT id AS "id", wa_id AS "waID", name AS "name" FROM contacts WHERE wa_id IN ({marks(len(wa_ids))})', wa_ids)}
    new = [c for c in wa_ids if c not in contacts]
    if new:
        rows = []
        for c in new:
            contacts[c] = uuid7(now)
            rows += [contacts[c], c, "Contacto", "CO", "CO", "contacto " + c, now]
        db.execute("INSERT INTO contacts (id, wa_id, name, country_code, pricing_market, search_key, created_at) VALUES "
                   + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(new)), rows)
    ids = [contacts[c] for c in wa_ids]
    chats = {}
    for r in db.execute(
            'SELECT id AS "id", contact_id AS "contactID", phone_number_id AS "phoneNumberID", assignee_id AS "assigneeID", '
            'closed AS "closed", last_inbound_at AS "lastInboundAt", last_referral_at AS "lastReferralAt", '
            're_engagement_at AS "reEngagementAt", expires_at AS "expiresAt", last_message_at AS "lastMessageAt", '
            f'created_at AS "createdAt" FROM conversations WHERE contact_id IN ({marks(len(ids))}) ORDER BY last_message_at DESC', ids):
        if not r[4]:
            chats.setdefault(r[1], r[0])
    routed = []
    for contact in ids:
        if contact not in chats:
            chats[contact] = uuid7(now)
            routed.append(contact)
    for group, fields in ((routed, '"closed" = excluded."closed", "assignee_id" = excluded."assignee_id", '),
                          ([c for c in ids if c not in routed], "")):
        if not group:
            continue
        rows = []
        for contact in group:
            rows += [chats[contact], contact, "106540352242922", None, 0, now, None, None, now + 86400, now, now]
        db.execute('INSERT INTO conversations ("id", "contact_id", "phone_number_id", "assignee_id", "closed", "last_inbound_at", '
                   '"last_referral_at", "re_engagement_at", "expires_at", "last_message_at", "created_at") VALUES '
                   + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(group))
                   + ' ON CONFLICT ("id") DO UPDATE SET ' + fields
                   + '"last_inbound_at" = excluded."last_inbound_at", "last_referral_at" = excluded."last_referral_at", '
                   '"expires_at" = excluded."expires_at", "last_message_at" = excluded."last_message_at"', rows)
    rows = []
    for c, w in fresh:
        rows += [uuid7(now), chats[contacts[c]], "inbound", w, "text", "Hola", payload, "received", None, None, now, now]
    db.execute('INSERT INTO messages ("id", "conversation_id", "direction", "wamid", "kind", "text", "payload", "status", '
               '"error_code", "reply_to", "at", "created_at") VALUES ' + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(fresh)), rows)
    chat_ids = sorted({chats[contacts[c]] for c, _ in fresh})
    list(db.execute(
        'SELECT e.conversation_id AS "conversationId", e.state AS "state", e.failure_code AS "failureCode" FROM events e '
        f"WHERE e.kind = ? AND e.conversation_id IN ({marks(len(chat_ids))}) "
        "AND e.seq = (SELECT MAX(m.seq) FROM events m WHERE m.conversation_id = e.conversation_id AND m.kind = ?)",
        ["session.changed", *chat_ids, "session.changed"]))
    rows = []
    for chat in chat_ids:
        rows += ["conversation.updated", chat, None, "open", None, now, now]
    list(db.execute('INSERT INTO events ("kind", "conversation_id", "assignee_id", "state", "failure_code", "at", "created_at") VALUES '
                    + ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(chat_ids)) + ' RETURNING "seq"', rows))
    list(db.execute('SELECT "id" FROM "webhook_endpoints"'))
    db.execute("COMMIT")
    times.append(time.perf_counter() - started)

warm = times[len(times) // 4:]  # the first quarter creates the contacts
total = sum(warm)
print(f"batches of {size}: {len(warm)} measured (after {len(times) - len(warm)} warm-up); "
      f"{len(warm) * size / total:,.0f} deliveries/s on one thread; per batch p50 {statistics.median(warm) * 1e3:.2f} ms, "
      f"p99 {sorted(warm)[int(len(warm) * 0.99) - 1] * 1e3:.2f} ms, max {max(warm) * 1e3:.2f} ms")
