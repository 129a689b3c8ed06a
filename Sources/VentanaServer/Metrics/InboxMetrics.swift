import Prometheus

/// The counters `/metrics` exposes, one registry per application (so tests stay apart).
final class InboxMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    let webhooksReceived: Counter
    let webhooksRefusedSignature: Counter
    let webhooksRefusedMalformed: Counter
    let webhooksRefusedOversize: Counter
    let messagesIn: Counter
    let messagesOut: Counter
    let sendsAccepted: Counter
    let sendsFailed: Counter
    let sendsRefusedWindowClosed: Counter

    init() {
        webhooksReceived = registry.makeCounter(name: "ventana_webhooks_received_total", help: "Webhook deliveries verified and stored.")
        let refused = "ventana_webhooks_refused_total"
        webhooksRefusedSignature = registry.makeCounter(name: refused, labels: [("reason", "signature")], help: "Webhook deliveries refused.")
        webhooksRefusedMalformed = registry.makeCounter(name: refused, labels: [("reason", "malformed")], help: "Webhook deliveries refused.")
        webhooksRefusedOversize = registry.makeCounter(name: refused, labels: [("reason", "oversize")], help: "Webhook deliveries refused.")
        messagesIn = registry.makeCounter(name: "ventana_messages_in_total", help: "Inbound messages stored (each once).")
        messagesOut = registry.makeCounter(name: "ventana_messages_out_total", help: "Outbound messages handed to WhatsApp.")
        let sends = "ventana_sends_total"
        sendsAccepted = registry.makeCounter(name: sends, labels: [("outcome", "accepted")], help: "Sends by outcome.")
        sendsFailed = registry.makeCounter(name: sends, labels: [("outcome", "failed")], help: "Sends by outcome.")
        sendsRefusedWindowClosed = registry.makeCounter(name: sends, labels: [("outcome", "session_expired")], help: "Sends by outcome.")
    }
}
