import Foundation

extension WebhookDelivery {
    /// A delivery carrying one inbound message, as Meta sends it.
    public static func inbound(businessAccountID: String, phoneNumberID: String, displayPhoneNumber: String, contact: WebhookContact, message: InboundMessage) -> WebhookDelivery {
        let value = MessagesValue(
            messagingProduct: "whatsapp",
            metadata: PhoneNumberMetadata(displayPhoneNumber: displayPhoneNumber, phoneNumberID: phoneNumberID),
            contacts: [contact], messages: [message], statuses: [], errors: [])
        return WebhookDelivery(object: "whatsapp_business_account", entry: [
            WebhookEntry(id: businessAccountID, time: nil, changes: [WebhookChange(field: "messages", value: .messages(value))]),
        ])
    }

    /// A delivery carrying one status of an outbound message.
    public static func statusUpdate(businessAccountID: String, phoneNumberID: String, displayPhoneNumber: String, status: MessageStatus) -> WebhookDelivery {
        let value = MessagesValue(
            messagingProduct: "whatsapp",
            metadata: PhoneNumberMetadata(displayPhoneNumber: displayPhoneNumber, phoneNumberID: phoneNumberID),
            contacts: [], messages: [], statuses: [status], errors: [])
        return WebhookDelivery(object: "whatsapp_business_account", entry: [
            WebhookEntry(id: businessAccountID, time: nil, changes: [WebhookChange(field: "messages", value: .messages(value))]),
        ])
    }

    /// A `message_template_status_update` delivery.
    public static func templateStatus(businessAccountID: String, at time: Date, update: TemplateStatusUpdate) -> WebhookDelivery {
        WebhookDelivery(object: "whatsapp_business_account", entry: [
            WebhookEntry(id: businessAccountID, time: Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down)), changes: [
                WebhookChange(field: "message_template_status_update", value: .templateStatus(update)),
            ]),
        ])
    }

    /// The delivery's bytes as Meta sends them: compact JSON with every non-ASCII character
    /// escaped as `\uXXXX`, so the signature is computed over exactly these bytes.
    public func metaBody() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json = try encoder.encode(self)
        return Self.asciiEscaped(json)
    }

    static func asciiEscaped(_ json: Data) -> Data {
        guard json.contains(where: { $0 >= 0x80 }) else { return json }
        var out = ""
        for unit in String(decoding: json, as: UTF8.self).utf16 {
            if unit < 0x80 {
                out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            } else {
                out += String(format: "\\u%04x", unit)
            }
        }
        return Data(out.utf8)
    }
}

extension MessageStatus {
    /// A status as Meta reports it: `pricing` on `sent` (per-message model), Meta's error on `failed`.
    /// `templateCategory` is the category Meta bills (lowercase; utility when not given), and
    /// `freeInWindow` marks a utility template sent inside the customer-service window.
    public static func simulated(id: String, status: String, recipientID: String, at time: Date, isTemplate: Bool, errorCode: Int?, callbackData: String? = nil,
                                 templateCategory: String? = nil, freeInWindow: Bool = false) -> MessageStatus {
        let kind: MessageStatusKind = switch status {
        case "sent": .sent
        case "delivered": .delivered
        case "read": .read
        case "failed": .failed
        default: .unknown(status)
        }
        let pricing: StatusPricing? = status == "sent"
            ? StatusPricing(billable: isTemplate && !freeInWindow, pricingModel: "PMP", type: isTemplate && !freeInWindow ? "regular" : "free_customer_service",
                            category: isTemplate ? (templateCategory ?? "utility") : "service")
            : nil
        let errors = errorCode.map { code in
            [MetaErrorDetail(code: code, title: MetaErrorCode.explain(code).reason, message: MetaErrorCode.explain(code).reason, details: MetaErrorCode.explain(code).reason, href: "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/")]
        } ?? []
        return MessageStatus(
            id: id, status: kind, timestamp: Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down)),
            recipientID: recipientID, conversation: nil, pricing: pricing, errors: errors, bizOpaqueCallbackData: callbackData)
    }
}

extension AdReferral {
    /// A click-to-WhatsApp ad referral for simulated first messages.
    public static let sandbox = AdReferral(
        sourceURL: "https://fb.me/sandbox-ad", sourceID: "120000000000001", sourceType: "ad",
        body: "Write to us on WhatsApp", headline: "Sandbox ad", mediaType: "image",
        imageURL: nil, videoURL: nil, thumbnailURL: nil, ctwaClid: "sandbox-click", welcomeMessage: nil)
}
