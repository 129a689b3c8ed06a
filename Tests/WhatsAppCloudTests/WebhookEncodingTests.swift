import Foundation
import Testing
@testable import WhatsAppCloud

/// A message of each content kind, as the sandbox and GraphFake build them. (`SharedContact` has
/// no initializer to build one with; `contacts` round-trips in `WebhookInputTests`.)
private let contents: [InboundContent] = [
    .text(body: "Hola, ¿dónde está mi pedido?"),
    .image(InboundMedia(id: "1003383421387256", mimeType: "image/jpeg", sha256: "abc=", caption: "Factura", url: "https://lookaside.example/1")),
    .audio(InboundMedia(id: "2", mimeType: "audio/ogg; codecs=opus", voice: true)),
    .video(InboundMedia(id: "3", mimeType: "video/mp4", caption: "clip")),
    .document(InboundMedia(id: "4", mimeType: "application/pdf", caption: "Factura", filename: "factura.pdf")),
    .sticker(InboundMedia(id: "5", mimeType: "image/webp", animated: false)),
    .location(InboundLocation(latitude: -34.6037, longitude: -58.3816, name: "Obelisco", address: "Av. 9 de Julio s/n", url: "https://maps.example")),
    .interactive(.buttonReply(id: "confirm-yes", title: "Sí, confirmo")),
    .interactive(.listReply(id: "slot-10am", title: "10:00", description: nil)),
    .interactive(.nfmReply(name: "flow", body: "Sent", responseJSON: #"{"a":1}"#)),
    .button(payload: "CONTINUE_CHAT", text: "Continue"),
    .button(payload: nil, text: "Continue"),
    .reaction(messageID: "wamid.Q", emoji: "👍"),
    .reaction(messageID: "wamid.Q", emoji: nil),
    .order(.object(["catalog_id": .string("1"), "product_items": .array([.object(["quantity": .number(2), "item_price": .number(9.5)])])])),
    .system(body: "changed", waID: "573009999999", kind: "user_changed_number"),
    .unsupported(kind: "edit"),
    .unsupported(kind: nil),
    .unknown(type: "poll", value: .object(["question": .string("¿Sí?")])),
    .unknown(type: "poll", value: nil),
]

/// `content` in a message of a delivery, as the sandbox posts it.
private func delivery(carrying content: InboundContent) -> WebhookDelivery {
    WebhookDelivery.inbound(
        businessAccountID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881",
        contact: WebhookContact(waID: "573001234567", profileName: "Ana Gómez"),
        message: InboundMessage(
            id: "wamid.built", from: "573001234567", timestamp: Date(timeIntervalSince1970: 1_764_000_000), type: content.kind,
            context: MessageContext(from: "15550783881", id: "wamid.quoted", forwarded: true, frequentlyForwarded: false,
                                    referredProduct: .init(catalogID: "c1", productRetailerID: "sku-1")),
            referral: .sandbox, content: content))
}

/// The JSON tree of `delivery`'s bytes as Meta would send them.
private func tree(_ delivery: WebhookDelivery) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: delivery.metaBody())
}

@Suite("Webhook values built in code encode as Meta sends them")
struct WebhookEncodingTests {
    @Test(arguments: contents)
    func everyContentKindRoundTrips(_ content: InboundContent) throws {
        let built = delivery(carrying: content)
        #expect(try WebhookDelivery.decode(built.metaBody()) == built)
    }

    @Test(arguments: contents)
    func contentIsEncodedUnderItsTypeTheWayMetaSendsIt(_ content: InboundContent) throws {
        let message = try #require(tree(delivery(carrying: content))["entry"]?[0]?["changes"]?[0]?["value"]?["messages"]?[0])
        #expect(message["type"] == .string(content.kind))
        #expect(message["timestamp"] == .string("1764000000"), "timestamps are strings of Unix seconds")
        #expect(message["id"] == .string("wamid.built"))
        #expect(message["context"]?["referred_product"]?["product_retailer_id"] == .string("sku-1"))
        #expect(message["context"]?["frequently_forwarded"] == .bool(false))
        #expect(message["referral"]?["source_url"] == .string("https://fb.me/sandbox-ad"))
        #expect(message["referral"]?["ctwa_clid"] == .string("sandbox-click"))
        switch content {
        case .unsupported(nil), .unknown(_, nil): #expect(message[content.kind] == nil)
        default: #expect(message[content.kind] != nil)
        }
    }

    @Test func metaSnakeCaseKeysAreUsedThroughout() throws {
        let image = try tree(delivery(carrying: contents[1]))
        let value = try #require(image["entry"]?[0]?["changes"]?[0]?["value"])
        #expect(image["object"] == .string("whatsapp_business_account"))
        #expect(image["entry"]?[0]?["changes"]?[0]?["field"] == .string("messages"))
        #expect(value["messaging_product"] == .string("whatsapp"))
        #expect(value["metadata"] == .object(["display_phone_number": .string("15550783881"), "phone_number_id": .string("106540352242922")]))
        #expect(value["contacts"] == .array([.object(["profile": .object(["name": .string("Ana Gómez")]), "wa_id": .string("573001234567")])]))
        #expect(value["messages"]?[0]?["image"]?["mime_type"] == .string("image/jpeg"))

        let sent = MessageStatus(
            id: "wamid.S", status: .failed, timestamp: Date(timeIntervalSince1970: 1_764_000_000), recipientID: "573001234567",
            conversation: StatusConversation(id: "c", expirationTimestamp: Date(timeIntervalSince1970: 1_764_086_400), originType: "utility"),
            pricing: StatusPricing(billable: false, pricingModel: "PMP", type: "free_customer_service", category: "utility"),
            errors: [MetaErrorDetail(code: 131_047, title: "Re-engagement message", details: "more than 24 hours")],
            bizOpaqueCallbackData: "order-7")
        let statusDelivery = WebhookDelivery.statusUpdate(businessAccountID: "1", phoneNumberID: "2", displayPhoneNumber: "3", status: sent)
        let status = try #require(tree(statusDelivery)["entry"]?[0]?["changes"]?[0]?["value"]?["statuses"]?[0])
        #expect(status == .object([
            "id": .string("wamid.S"), "status": .string("failed"), "timestamp": .string("1764000000"), "recipient_id": .string("573001234567"),
            "conversation": .object(["id": .string("c"), "expiration_timestamp": .string("1764086400"), "origin": .object(["type": .string("utility")])]),
            "pricing": .object(["billable": .bool(false), "pricing_model": .string("PMP"), "type": .string("free_customer_service"), "category": .string("utility")]),
            "errors": .array([.object(["code": .number(131_047), "title": .string("Re-engagement message"), "error_data": .object(["details": .string("more than 24 hours")])])]),
            "biz_opaque_callback_data": .string("order-7"),
        ]))
        #expect(try WebhookDelivery.decode(statusDelivery.metaBody()) == statusDelivery)
    }

    @Test func templateWebhooksCarryIntegerIDsAndEntryTime() throws {
        let update = TemplateStatusUpdate(
            event: "REJECTED", messageTemplateID: "1689556908129835", messageTemplateName: "abandoned_cart", messageTemplateLanguage: "en",
            reason: "INVALID_FORMAT", category: "MARKETING",
            rejectionInfo: .init(reason: "Parameters next to each other", recommendation: "Separate them"),
            otherInfo: nil, disableDate: nil)
        let built = WebhookDelivery.templateStatus(businessAccountID: "102290129340398", at: Date(timeIntervalSince1970: 1_751_247_548.7), update: update)
        let json = try tree(built)
        #expect(json["entry"]?[0]?["time"] == .number(1_751_247_548))
        let value = try #require(json["entry"]?[0]?["changes"]?[0]?["value"])
        #expect(value["message_template_id"] == .number(1_689_556_908_129_835))
        #expect(value["message_template_category"] == .string("MARKETING"))
        #expect(value["rejection_info"]?["recommendation"] == .string("Separate them"))
        #expect(try WebhookDelivery.decode(built.metaBody()) == built)
    }

    /// A template id that is not a number (the sandbox's, say) is written back as given.
    @Test func aNonNumericTemplateIDSurvivesEncoding() throws {
        let update = TemplateStatusUpdate(event: "APPROVED", messageTemplateID: "tpl-sandbox-1", messageTemplateName: "x", messageTemplateLanguage: "es")
        let built = WebhookDelivery.templateStatus(businessAccountID: "1", at: Date(timeIntervalSince1970: 1_764_000_000), update: update)
        let again = try WebhookDelivery.decode(built.metaBody())
        #expect(again == built)
    }

    /// A timestamp near Int64.max must neither crash decoding nor re-encoding (the ingest
    /// re-encodes every message it stores): it is refused as out of range.
    @Test func aHugeTimestampNeitherCrashesDecodingNorEncoding() async {
        await #expect(processExitsWith: .success) {
            let body = #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1","phone_number_id":"2"},"messages":[{"from":"5","id":"wamid.T","timestamp":"9223372036854775807","type":"text","text":{"body":"x"}}]}}]}]}"#
            // Refusing the delivery is fine; crashing is not.
            if let delivery = try? WebhookDelivery.decode(Data(body.utf8)) {
                _ = try? delivery.metaBody()
            }
        }
    }
}

extension JSONValue {
    /// The element at `index` of an array.
    subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }
}
