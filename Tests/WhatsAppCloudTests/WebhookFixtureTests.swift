import Foundation
import Testing
@testable import WhatsAppCloud

// Reuses `fixtures`, `fixtureNames` and `fixture(_:)` from the other files of this target.

/// The WhatsApp Business Account every fixture belongs to.
private let businessAccountID = "102290129340398"
/// The business number every `messages` fixture is about.
private let businessNumber = PhoneNumberMetadata(displayPhoneNumber: "15550783881", phoneNumberID: "106540352242922")

private func unix(_ seconds: TimeInterval) -> Date { Date(timeIntervalSince1970: seconds) }

/// The value of a delivery's only change, which must be a `messages` one.
private func onlyMessages(_ delivery: WebhookDelivery) throws -> MessagesValue {
    let entry = try #require(delivery.entry.first)
    #expect(delivery.entry.count == 1)
    #expect(entry.changes.count == 1)
    #expect(entry.time == nil, "messages webhooks carry no entry time")
    let change = try #require(entry.changes.first)
    #expect(change.field == "messages")
    let value = try #require(change.value.asMessages)
    #expect(value.messagingProduct == "whatsapp")
    #expect(value.metadata == businessNumber)
    #expect(value.errors.isEmpty)
    return value
}

/// The only inbound message of a delivery, sent by `contact` with its profile `name`.
private func onlyMessage(_ delivery: WebhookDelivery, contact: String, name: String) throws -> InboundMessage {
    let value = try onlyMessages(delivery)
    #expect(value.contacts == [WebhookContact(waID: contact, profileName: name)])
    #expect(value.statuses.isEmpty)
    #expect(value.messages.count == 1)
    return try #require(value.messages.first)
}

/// The only status of a delivery.
private func onlyStatus(_ delivery: WebhookDelivery) throws -> MessageStatus {
    let value = try onlyMessages(delivery)
    #expect(value.messages.isEmpty)
    #expect(value.contacts.isEmpty)
    #expect(value.statuses.count == 1)
    return try #require(value.statuses.first)
}

/// The only change of a template webhook, with the entry time every template fixture has.
private func onlyTemplateChange(_ delivery: WebhookDelivery, field: String) throws -> WebhookChangeValue {
    #expect(delivery.entry.count == 1)
    let entry = try #require(delivery.entry.first)
    #expect(entry.time == unix(1_764_000_200))
    #expect(entry.changes.count == 1)
    let change = try #require(entry.changes.first)
    #expect(change.field == field)
    return change.value
}

private let metaErrorsPage = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
/// The marketing template the status fixtures follow, and the quick reply quotes.
private let templateWamid = "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSMTIzNDU2Nzg5MEFCQ0RFRgA="
private let marketingPricing = StatusPricing(billable: true, pricingModel: "PMP", type: "regular", category: "marketing")

/// What each fixture must decode to. A fixture added to the folder without an entry here fails.
private let expectations: [String: @Sendable (WebhookDelivery) throws -> Void] = [
    "inbound-text": { delivery in
        let message = try onlyMessage(delivery, contact: "573001234567", name: "Ana Gómez")
        #expect(message == InboundMessage(
            id: "wamid.HBgMNTczMDAxMjM0NTY3FQIAEhggQTFCMkMzRDRFNUY2QTdCOEM5RDBFMUYyQTNCNEM1RDYA",
            from: "573001234567", timestamp: unix(1_764_000_000), type: "text",
            content: .text(body: "Hola, ¿dónde está mi pedido?")))
    },
    "inbound-reply-with-context": { delivery in
        let message = try onlyMessage(delivery, contact: "573001234567", name: "Ana Gómez")
        #expect(message == InboundMessage(
            id: "wamid.HBgMNTczMDAxMjM0NTY3FQIAEhggQjJDM0Q0RTVGNkE3QjhDOUQwRTFGMkEzQjRDNUQ2RTcA",
            from: "573001234567", timestamp: unix(1_764_000_060), type: "text",
            context: MessageContext(from: "15550783881", id: "wamid.HBgMNTczMDAxMjM0NTY3FQIAERgSQUJDREVGMDEyMzQ1Njc4OQA="),
            content: .text(body: "Sí, gracias")))
    },
    "inbound-image": { delivery in
        let message = try onlyMessage(delivery, contact: "5215512345678", name: "Luis Pérez")
        #expect(message == InboundMessage(
            id: "wamid.HBgNNTIxNTUxMjM0NTY3OBUCABIYIEMzRDRFNUY2QTdCOEM5RDBFMUYyQTNCNEM1RDZFN0Y4AA==",
            from: "5215512345678", timestamp: unix(1_764_000_000), type: "image",
            content: .image(InboundMedia(id: "1003383421387256", mimeType: "image/jpeg", sha256: "Q2x5dGVzdGluZ3NoYTI1NmJhc2U2NA==", caption: "Factura"))))
    },
    "inbound-location": { delivery in
        let message = try onlyMessage(delivery, contact: "5491155550001", name: "Martín")
        #expect(message == InboundMessage(
            id: "wamid.HBgNNTQ5MTE1NTU1MDAwMRUCABIYIEQ0RTVGNkE3QjhDOUQwRTFGMkEzQjRDNUQ2RTdGOEE5AA==",
            from: "5491155550001", timestamp: unix(1_764_000_000), type: "location",
            content: .location(InboundLocation(latitude: -34.6037, longitude: -58.3816, name: "Obelisco", address: "Av. 9 de Julio s/n, Buenos Aires"))))
    },
    "inbound-interactive-button-reply": { delivery in
        let message = try onlyMessage(delivery, contact: "56912345678", name: "Camila")
        #expect(message == InboundMessage(
            id: "wamid.HBgLNTY5MTIzNDU2NzgVAgASGCBFNUY2QTdCOEM5RDBFMUYyQTNCNEM1RDZFN0Y4QTlCMAA=",
            from: "56912345678", timestamp: unix(1_764_000_000), type: "interactive",
            context: MessageContext(from: "15550783881", id: "wamid.HBgLNTY5MTIzNDU2NzgVAgARGBJGRkVFRERDQ0JCQUE5OTg4NwA="),
            content: .interactive(.buttonReply(id: "confirm-yes", title: "Sí, confirmo"))))
    },
    "inbound-interactive-list-reply": { delivery in
        let message = try onlyMessage(delivery, contact: "51987654321", name: "Rosa")
        #expect(message == InboundMessage(
            id: "wamid.HBgLNTE5ODc2NTQzMjEVAgASGCBGNkE3QjhDOUQwRTFGMkEzQjRDNUQ2RTdGOEE5QjBDMQA=",
            from: "51987654321", timestamp: unix(1_764_000_000), type: "interactive",
            context: MessageContext(from: "15550783881", id: "wamid.HBgLNTE5ODc2NTQzMjEVAgARGBJBQUJCQ0NEREVFRkYwMDExMgA="),
            content: .interactive(.listReply(id: "slot-10am", title: "10:00", description: "Mañana por la mañana"))))
    },
    "inbound-template-quick-reply": { delivery in
        let message = try onlyMessage(delivery, contact: "447700900123", name: "Oliver Smith")
        #expect(message == InboundMessage(
            id: "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAEhggQTdCOEM5RDBFMUYyQTNCNEM1RDZFN0Y4QTlCMEMxRDIA",
            from: "447700900123", timestamp: unix(1_764_000_000), type: "button",
            context: MessageContext(from: "15550783881", id: templateWamid),
            content: .button(payload: "CONTINUE_CHAT", text: "Continue")))
    },
    "inbound-reaction": { delivery in
        let message = try onlyMessage(delivery, contact: "573001234567", name: "Ana Gómez")
        #expect(message == InboundMessage(
            id: "wamid.HBgMNTczMDAxMjM0NTY3FQIAEhggQjhDOUQwRTFGMkEzQjRDNUQ2RTdGOEE5QjBDMUQyRTMA",
            from: "573001234567", timestamp: unix(1_764_000_000), type: "reaction",
            content: .reaction(messageID: "wamid.HBgMNTczMDAxMjM0NTY3FQIAERgSQUJDREVGMDEyMzQ1Njc4OQA=", emoji: "👍")))
    },
    "inbound-referral-ad": { delivery in
        let message = try onlyMessage(delivery, contact: "5511987654321", name: "Bruna")
        #expect(message.referral?.sourceType == "ad")
        #expect(message == InboundMessage(
            id: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYIEM5RDBFMUYyQTNCNEM1RDZFN0Y4QTlCMEMxRDJFM0Y0AA==",
            from: "5511987654321", timestamp: unix(1_764_000_000), type: "text",
            referral: AdReferral(
                sourceURL: "https://fb.me/3cr4Wqqkv", sourceID: "120212345678900001", sourceType: "ad",
                body: "Fale conosco no WhatsApp", headline: "Frete grátis hoje", mediaType: "image",
                imageURL: "https://scontent.example/ad.jpg", videoURL: nil, thumbnailURL: nil,
                ctwaClid: "ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-ZABCDEF", welcomeMessage: nil),
            content: .text(body: "Olá! Vi o anúncio.")))
    },
    "inbound-unsupported": { delivery in
        let message = try onlyMessage(delivery, contact: "34612345678", name: "Javier")
        // Meta's older shape: no `unsupported` object, so no kind.
        #expect(message == InboundMessage(
            id: "wamid.HBgLMzQ2MTIzNDU2NzgVAgASGCBEMEUxRjJBM0I0QzVENkU3RjhBOUIwQzFEMkUzRjRBNQA=",
            from: "34612345678", timestamp: unix(1_764_000_000), type: "unsupported",
            errors: [MetaErrorDetail(code: 131_051, title: "Message type unknown", message: "Message type unknown", details: "Message type is currently not supported.")],
            content: .unsupported(kind: nil)))
    },
    "inbound-two-messages-two-entries": { delivery in
        #expect(delivery.entry.count == 2)
        #expect(delivery.entry.map(\.id) == [businessAccountID, businessAccountID])
        let values = delivery.entry.flatMap(\.changes).compactMap(\.value.asMessages)
        #expect(values.count == 2)
        #expect(values.map(\.contacts) == Array(repeating: [WebhookContact(waID: "573001234567", profileName: "Ana Gómez")], count: 2))
        #expect(values.flatMap(\.messages) == [
            InboundMessage(id: "wamid.A1", from: "573001234567", timestamp: unix(1_764_000_000), type: "text", content: .text(body: "uno")),
            InboundMessage(id: "wamid.A2", from: "573001234567", timestamp: unix(1_764_000_001), type: "text", content: .text(body: "dos")),
        ])
    },
    "status-sent": { delivery in
        let status = try onlyStatus(delivery)
        #expect(status == MessageStatus(
            id: templateWamid, status: .sent, timestamp: unix(1_764_000_000), recipientID: "447700900123",
            conversation: StatusConversation(id: "6ceb9d929c3d4a7c9a3e1b2f0d8e7c6b", expirationTimestamp: unix(1_764_086_400), originType: "marketing"),
            pricing: marketingPricing))
    },
    "status-delivered": { delivery in
        let status = try onlyStatus(delivery)
        #expect(status == MessageStatus(
            id: templateWamid, status: .delivered, timestamp: unix(1_764_000_005), recipientID: "447700900123",
            conversation: StatusConversation(id: "6ceb9d929c3d4a7c9a3e1b2f0d8e7c6b", originType: "marketing"),
            pricing: marketingPricing))
    },
    "status-delivered-free-utility": { delivery in
        // The v24+ shape: no `conversation` outside free entry points.
        let status = try onlyStatus(delivery)
        #expect(status == MessageStatus(
            id: "wamid.HBgMNTczMDAxMjM0NTY3FQIAERgSOTg3NjU0MzIxMEZFRENCQQA=", status: .delivered,
            timestamp: unix(1_764_000_005), recipientID: "573001234567",
            pricing: StatusPricing(billable: false, pricingModel: "PMP", type: "free_customer_service", category: "utility")))
    },
    "status-read": { delivery in
        let status = try onlyStatus(delivery)
        #expect(status == MessageStatus(id: templateWamid, status: .read, timestamp: unix(1_764_000_100), recipientID: "447700900123"))
    },
    "status-failed-131047": { delivery in
        let status = try onlyStatus(delivery)
        #expect(status == MessageStatus(
            id: "wamid.HBgMNDQ3NzAwOTAwMTIzFQIAERgSRkVEQ0JBOTg3NjU0MzIxMAA=", status: .failed,
            timestamp: unix(1_764_000_000), recipientID: "447700900123",
            errors: [MetaErrorDetail(
                code: 131_047, title: "Re-engagement message", message: "Re-engagement message",
                details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
                href: metaErrorsPage)]))
    },
    "status-failed-131026": { delivery in
        let status = try onlyStatus(delivery)
        #expect(status == MessageStatus(
            id: "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABEYEjAwMTEyMjMzNDQ1NTY2Nzc4OAA=", status: .failed,
            timestamp: unix(1_764_000_000), recipientID: "5511987654321",
            errors: [MetaErrorDetail(code: 131_026, title: "Message undeliverable", message: "Message undeliverable", details: "Message Undeliverable.", href: metaErrorsPage)]))
    },
    "template-status-approved": { delivery in
        let value = try onlyTemplateChange(delivery, field: "message_template_status_update")
        #expect(value.asTemplateStatus == TemplateStatusUpdate(
            event: "APPROVED", messageTemplateID: "594425479261596", messageTemplateName: "order_update",
            messageTemplateLanguage: "es", reason: "NONE"))
    },
    "template-status-rejected": { delivery in
        let value = try onlyTemplateChange(delivery, field: "message_template_status_update")
        #expect(value.asTemplateStatus == TemplateStatusUpdate(
            event: "REJECTED", messageTemplateID: "594425479261597", messageTemplateName: "big_sale",
            messageTemplateLanguage: "es_MX", reason: "INCORRECT_CATEGORY"))
    },
    "template-status-paused": { delivery in
        let value = try onlyTemplateChange(delivery, field: "message_template_status_update")
        #expect(value.asTemplateStatus == TemplateStatusUpdate(
            event: "PAUSED", messageTemplateID: "594425479261598", messageTemplateName: "we_miss_you",
            messageTemplateLanguage: "en_US", reason: nil,
            otherInfo: .init(title: "FIRST_PAUSE", description: "Your WhatsApp message template has been paused for 3 hours until Nov 24 at 10:00 PM UTC because it had issues.")))
    },
    "template-quality-update": { delivery in
        let value = try onlyTemplateChange(delivery, field: "message_template_quality_update")
        #expect(value.asTemplateQuality == TemplateQualityUpdate(
            previousQualityScore: "GREEN", newQualityScore: "YELLOW", messageTemplateID: "594425479261598",
            messageTemplateName: "we_miss_you", messageTemplateLanguage: "en_US"))
    },
    "template-category-update": { delivery in
        let value = try onlyTemplateChange(delivery, field: "template_category_update")
        #expect(value.asTemplateCategory == TemplateCategoryUpdate(
            messageTemplateID: "594425479261596", messageTemplateName: "order_update", messageTemplateLanguage: "es",
            previousCategory: "UTILITY", newCategory: "MARKETING"))
    },
]

@Suite("Webhook fixtures, value by value")
struct WebhookFixtureTests {
    @Test func everyFixtureInTheFolderHasItsOwnAssertions() {
        #expect(!fixtureNames.isEmpty, "no fixtures found at \(fixtures.path)")
        #expect(Set(fixtureNames) == Set(expectations.keys))
    }

    @Test(arguments: fixtureNames)
    func fixtureDecodesToWhatMetaMeant(_ name: String) throws {
        let delivery = try fixture(name)
        #expect(delivery.object == "whatsapp_business_account")
        #expect(delivery.entry.allSatisfy { $0.id == businessAccountID })
        let check = try #require(expectations[name], "no assertions for \(name).json")
        try check(delivery)
    }

    /// Encoding gives Meta's JSON back: the same keys, string timestamps, integer template ids.
    /// Only explicit nulls (`"reason": null`) are left out.
    @Test(arguments: fixtureNames)
    func encodingGivesBackMetasJSON(_ name: String) throws {
        let bytes = try Data(contentsOf: fixtures.appendingPathComponent("\(name).json"))
        let original = try JSONDecoder().decode(JSONValue.self, from: bytes)
        let delivery = try WebhookDelivery.decode(bytes)
        let encoded = try JSONEncoder().encode(delivery)
        #expect(try JSONDecoder().decode(JSONValue.self, from: encoded) == original.withoutNulls)
    }

    @Test(arguments: fixtureNames)
    func decodeEncodeDecodeGivesAnEqualValue(_ name: String) throws {
        let delivery = try fixture(name)
        #expect(try WebhookDelivery.decode(JSONEncoder().encode(delivery)) == delivery)
        #expect(try WebhookDelivery.decode(delivery.metaBody()) == delivery)
        #expect(try JSONDecoder().decode(WebhookDelivery.self, from: JSONEncoder().encode(delivery)) == delivery)
    }
}

extension WebhookChangeValue {
    /// The `messages` value, if this is one.
    var asMessages: MessagesValue? { if case .messages(let value) = self { value } else { nil } }
    /// The template status update, if this is one.
    var asTemplateStatus: TemplateStatusUpdate? { if case .templateStatus(let value) = self { value } else { nil } }
    /// The template quality update, if this is one.
    var asTemplateQuality: TemplateQualityUpdate? { if case .templateQuality(let value) = self { value } else { nil } }
    /// The template category update, if this is one.
    var asTemplateCategory: TemplateCategoryUpdate? { if case .templateCategory(let value) = self { value } else { nil } }
}

extension JSONValue {
    /// The same value with every object member whose value is null removed, at any depth.
    var withoutNulls: JSONValue {
        switch self {
        case .object(let members): .object(members.filter { $0.value != .null }.mapValues(\.withoutNulls))
        case .array(let elements): .array(elements.map(\.withoutNulls))
        default: self
        }
    }
}
