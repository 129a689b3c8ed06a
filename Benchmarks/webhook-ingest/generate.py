#!/usr/bin/env python3
"""Writes N signed webhook deliveries, one per line: signature TAB body.

Each delivery carries one inbound text message with a unique wamid, from one of 5,000
contacts, in Meta's exact shape (compact JSON, non-ASCII escaped), signed with the app secret.
Messages are timestamped over the minutes before generation, as live traffic is, so every chat
is in its open window while the benchmark runs.
"""
import hashlib, hmac, json, sys, time

count, secret, path = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
start = int(time.time()) - count // 100 - 1
with open(path, "w") as out:
    for i in range(count):
        wa_id = f"57300{i % 5000:07d}"
        body = {
            "object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
                "contacts": [{"profile": {"name": f"Contacto {i % 5000}"}, "wa_id": wa_id}],
                "messages": [{"from": wa_id, "id": f"wamid.bench{i:09d}", "timestamp": str(start + i // 100),
                              "type": "text", "text": {"body": f"Hola, ¿tienen talla M? pedido {i}"}}],
            }}]}],
        }
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=True)
        signature = "sha256=" + hmac.new(secret, raw.encode(), hashlib.sha256).hexdigest()
        out.write(signature + "\t" + raw + "\n")
