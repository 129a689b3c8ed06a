#!/usr/bin/env python3
"""Signed inbound-message deliveries for the real-time benchmarks, in the shape and signature of
Benchmarks/webhook-ingest/generate.py (compact JSON, non-ASCII escaped, X-Hub-Signature-256 =
sha256=HMAC-SHA256(app secret, body)), one line per delivery: signature TAB body.

  deliveries.py PREFIX COUNT SECRET OUT FIRST_EXPIRY SPREAD
writes COUNT deliveries from COUNT distinct contacts (wa_id PREFIX + 7 digits), each one text
message whose WhatsApp timestamp makes its window close (timestamp + 24 h) at
FIRST_EXPIRY + floor(i * SPREAD / COUNT): whole seconds, as Meta sends them, so each second
of the span has COUNT / SPREAD windows closing together.
"""
import hashlib, hmac, json, sys

WINDOW = 24 * 3600


def delivery(wa_id: str, wamid: str, timestamp: int, n: int, secret: bytes) -> tuple[str, str]:
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
            "contacts": [{"profile": {"name": f"Contacto {n}"}, "wa_id": wa_id}],
            "messages": [{"from": wa_id, "id": wamid, "timestamp": str(timestamp),
                          "type": "text", "text": {"body": f"Hola, ¿tienen talla M? pedido {n}"}}],
        }}]}],
    }
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=True)
    return "sha256=" + hmac.new(secret, raw.encode(), hashlib.sha256).hexdigest(), raw


def main() -> None:
    prefix, count, secret, path = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4]
    first_expiry, spread = int(sys.argv[5]), int(sys.argv[6])
    with open(path, "w") as out:
        for i in range(count):
            expiry = first_expiry + (i * spread) // count
            signature, raw = delivery(f"{prefix}{i:07d}", f"wamid.rt{prefix}{i:09d}", expiry - WINDOW, i, secret)
            out.write(signature + "\t" + raw + "\n")


if __name__ == "__main__":
    main()
