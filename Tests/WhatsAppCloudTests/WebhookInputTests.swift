import Foundation
import Testing
@testable import WhatsAppCloud

/// A delivery with one `messages` change whose value is `value` (a JSON object's text).
private func messagesDelivery(value: String) -> String {
    #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":\#(value)}]}]}"#
}

/// A delivery with one inbound message, given as a JSON object's text.
private func inbound(_ message: String) -> String {
    messagesDelivery(value: #"{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Secret Name"},"wa_id":"573001234567"}],"messages":[\#(message)]}"#)
}

/// A delivery with one status, given as a JSON object's text.
private func status(_ status: String) -> String {
    messagesDelivery(value: #"{"metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"statuses":[\#(status)]}"#)
}

/// A delivery with one change of `field`, its value given as JSON text.
private func change(field: String, value: String) -> String {
    #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","time":1764000200,"changes":[{"field":"\#(field)","value":\#(value)}]}]}"#
}

private func decode(_ body: String) throws(WebhookDecodingError) -> WebhookDelivery {
    try WebhookDelivery.decode(Data(body.utf8))
}

/// The only inbound message of a delivery's only change.
private func onlyMessage(_ body: String) throws -> InboundMessage {
    let delivery = try decode(body)
    return try #require(delivery.entry.first?.changes.first?.value.asMessages?.messages.first)
}

/// A bad delivery and the error it must give.
struct BadDelivery: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var body: String
    /// `nil` for any `.malformed`; otherwise the exact error.
    var exactly: WebhookDecodingError?
    /// Words the `.malformed` reason must contain (it names the field at fault).
    var mentions: [String] = []
}

@Suite("Webhook input: refused, tolerated, kept")
struct WebhookInputTests {
    static let badDeliveries: [BadDelivery] = [
        BadDelivery(testDescription: "malformed JSON", body: #"{"object":"whatsapp_business_account","entry":[{"id":"1""#),
        BadDelivery(testDescription: "empty body", body: ""),
        BadDelivery(testDescription: "a JSON array", body: "[]"),
        BadDelivery(testDescription: "object is page", body: #"{"object":"page","entry":[]}"#, exactly: .wrongObject("page")),
        BadDelivery(testDescription: "object is instagram", body: #"{"object":"instagram","entry":[]}"#, exactly: .wrongObject("instagram")),
        BadDelivery(testDescription: "object is a number", body: #"{"object":5,"entry":[]}"#),
        BadDelivery(testDescription: "entry missing", body: #"{"object":"whatsapp_business_account"}"#, mentions: ["entry"]),
        BadDelivery(testDescription: "entry is an object", body: #"{"object":"whatsapp_business_account","entry":{}}"#, mentions: ["entry"]),
        BadDelivery(testDescription: "timestamp yesterday",
                    body: inbound(#"{"from":"573001234567","id":"wamid.X","timestamp":"yesterday","type":"text","text":{"body":"SECRET-BODY"}}"#),
                    mentions: ["timestamp"]),
        BadDelivery(testDescription: "negative timestamp",
                    body: inbound(#"{"from":"573001234567","id":"wamid.X","timestamp":"-5","type":"text","text":{"body":"SECRET-BODY"}}"#),
                    mentions: ["timestamp"]),
        // Foundation's JSONDecoder reports a fraction where an integer belongs as "not valid JSON"
        // at the top level, so this reason cannot name the field.
        BadDelivery(testDescription: "fractional timestamp",
                    body: inbound(#"{"from":"573001234567","id":"wamid.X","timestamp":1764000000.5,"type":"text","text":{"body":"SECRET-BODY"}}"#)),
        BadDelivery(testDescription: "message with no id",
                    body: inbound(#"{"from":"573001234567","timestamp":"1764000000","type":"text","text":{"body":"SECRET-BODY"}}"#),
                    mentions: ["messages", "id"]),
        BadDelivery(testDescription: "message with an empty id",
                    body: inbound(#"{"from":"573001234567","id":"","timestamp":"1764000000","type":"text","text":{"body":"SECRET-BODY"}}"#),
                    mentions: ["messages"]),
        BadDelivery(testDescription: "message with no from",
                    body: inbound(#"{"id":"wamid.X","timestamp":"1764000000","type":"text","text":{"body":"SECRET-BODY"}}"#),
                    mentions: ["from"]),
        BadDelivery(testDescription: "text with no text object",
                    body: inbound(#"{"from":"573001234567","id":"wamid.X","timestamp":"1764000000","type":"text","image":{"id":"SECRET-BODY"}}"#),
                    mentions: ["text"]),
        BadDelivery(testDescription: "text body is a number",
                    body: inbound(#"{"from":"573001234567","id":"wamid.X","timestamp":"1764000000","type":"text","text":{"body":42},"context":{"id":"SECRET-BODY"}}"#),
                    mentions: ["body"]),
        BadDelivery(testDescription: "status with no status",
                    body: status(#"{"id":"wamid.X","timestamp":"1764000000","recipient_id":"573001234567"}"#),
                    mentions: ["status"]),
        BadDelivery(testDescription: "status with no id",
                    body: status(#"{"status":"sent","timestamp":"1764000000","recipient_id":"573001234567"}"#),
                    mentions: ["id"]),
        BadDelivery(testDescription: "messages value with no metadata",
                    body: messagesDelivery(value: #"{"messaging_product":"whatsapp"}"#),
                    mentions: ["metadata"]),
        BadDelivery(testDescription: "template status with no template id",
                    body: change(field: "message_template_status_update", value: #"{"event":"APPROVED","message_template_name":"x","message_template_language":"es"}"#),
                    mentions: ["message_template_id"]),
    ]

    @Test(arguments: badDeliveries)
    func badDeliveriesThrowTheRightError(_ bad: BadDelivery) {
        #expect {
            try decode(bad.body)
        } throws: { error in
            guard let error = error as? WebhookDecodingError else { return false }
            switch (error, bad.exactly) {
            case (.malformed(let reason), nil):
                #expect(bad.mentions.allSatisfy(reason.contains), "reason: \(reason)")
                return true
            case (_, let expected?):
                return error == expected
            case (.wrongObject, nil):
                return false
            }
        }
    }

    /// Reasons end up in logs and in the 400 answer: they name fields, never what people wrote.
    @Test(arguments: badDeliveries)
    func reasonsNeverQuoteMessageContent(_ bad: BadDelivery) {
        do {
            _ = try decode(bad.body)
        } catch {
            #expect(!error.description.contains("SECRET"), "\(error)")
            #expect(!error.description.contains("Secret Name"), "\(error)")
        }
    }

    @Test func aNewMessageTypeIsKeptWithItsObject() throws {
        let message = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.P","timestamp":"1764000000","type":"poll","poll":{"question":"¿Sí?","options":["a","b"],"multiple":false,"votes":3}}"#))
        #expect(message.type == "poll")
        #expect(message.content == .unknown(type: "poll", value: .object([
            "question": .string("¿Sí?"), "options": .array([.string("a"), .string("b")]), "multiple": .bool(false), "votes": .number(3),
        ])))
    }

    @Test func aNewMessageTypeWithoutItsObjectIsKeptToo() throws {
        let message = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.P","timestamp":"1764000000","type":"poll"}"#))
        #expect(message.content == .unknown(type: "poll", value: nil))
    }

    @Test func aNewFieldIsKeptAsOther() throws {
        let delivery = try decode(change(field: "whatever", value: #"{"event":"SOMETHING","n":[1,null,"x"]}"#))
        let change = try #require(delivery.entry.first?.changes.first)
        #expect(change.field == "whatever")
        #expect(change.value == .other(field: "whatever", value: .object(["event": .string("SOMETHING"), "n": .array([.number(1), .null, .string("x")])])))
        #expect(try WebhookDelivery.decode(delivery.metaBody()) == delivery)
    }

    @Test func aTimestampMayBeAnInteger() throws {
        let message = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.I","timestamp":1764000000,"type":"text","text":{"body":"hola"}}"#))
        #expect(message.timestamp == Date(timeIntervalSince1970: 1_764_000_000))
    }

    @Test func entryTimeMayBeAStringAndIsAbsentOnMessages() throws {
        let delivery = try decode(#"{"object":"whatsapp_business_account","entry":[{"id":"1","time":"1764000200","changes":[]}]}"#)
        #expect(delivery.entry.first?.time == Date(timeIntervalSince1970: 1_764_000_200))
        #expect(try decode(messagesDelivery(value: #"{"metadata":{"display_phone_number":"1","phone_number_id":"2"}}"#)).entry.first?.time == nil)
    }

    @Test func missingArraysDecodeAsEmpty() throws {
        let value = try #require(try decode(messagesDelivery(value: #"{"metadata":{"display_phone_number":"1","phone_number_id":"2"}}"#)).entry.first?.changes.first?.value.asMessages)
        #expect(value == MessagesValue(messagingProduct: nil, metadata: PhoneNumberMetadata(displayPhoneNumber: "1", phoneNumberID: "2")))
        #expect(try decode(#"{"object":"whatsapp_business_account","entry":[{"id":"1"}]}"#).entry.first?.changes == [])
    }

    @Test func unknownFieldsAreIgnored() throws {
        let plain = try decode(inbound(#"{"from":"573001234567","id":"wamid.U","timestamp":"1764000000","type":"text","text":{"body":"hola"}}"#))
        let extended = try decode(#"""
        {"object":"whatsapp_business_account","future":1,"entry":[{"id":"102290129340398","x":{},"changes":[{"field":"messages","value":{"messaging_product":"whatsapp","new":[],
        "metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922","extra":true},
        "contacts":[{"profile":{"name":"Secret Name","username":"@ana"},"wa_id":"573001234567","user_id":"US.13491208655302741918","identity_key_hash":"abc"}],
        "messages":[{"from":"573001234567","id":"wamid.U","timestamp":"1764000000","type":"text","text":{"body":"hola","preview_url":false},"from_user_id":"US.1","group_id":null}]}}]}]}
        """#)
        #expect(extended == plain)
    }

    @Test(arguments: [#""emoji":"""#, ""])
    func aRemovedReactionHasNoEmoji(_ emoji: String) throws {
        let separator = emoji.isEmpty ? "" : ","
        let message = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.R","timestamp":"1764000000","type":"reaction","reaction":{"message_id":"wamid.Q"\#(separator)\#(emoji)}}"#))
        #expect(message.content == .reaction(messageID: "wamid.Q", emoji: nil))
    }

    @Test func anUnsupportedMessageSaysWhatItWas() throws {
        let message = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.E","timestamp":"1764000000","type":"unsupported","unsupported":{"type":"edit"},"errors":[{"code":131051,"title":"Message type unknown"}]}"#))
        #expect(message.content == .unsupported(kind: "edit"))
        #expect(message.errors == [MetaErrorDetail(code: 131_051, title: "Message type unknown")])
    }

    @Test func flowRepliesAndNewInteractiveTypes() throws {
        let flow = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.F","timestamp":"1764000000","type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"name":"flow","body":"Sent","response_json":"{\"a\":1}"}}}"#))
        #expect(flow.content == .interactive(.nfmReply(name: "flow", body: "Sent", responseJSON: #"{"a":1}"#)))
        let other = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.C","timestamp":"1764000000","type":"interactive","interactive":{"type":"call_permission_reply","call_permission_reply":{"response":"accept"}}}"#))
        #expect(other.content == .interactive(.other(type: "call_permission_reply", value: .object([
            "type": .string("call_permission_reply"), "call_permission_reply": .object(["response": .string("accept")]),
        ]))))
    }

    @Test func contactsSystemAndOrderMessages() throws {
        let cardBody = inbound(#"{"from":"573001234567","id":"wamid.K","timestamp":"1764000000","type":"contacts","contacts":[{"name":{"formatted_name":"Ana G","first_name":"Ana"},"phones":[{"phone":"+57 300 1234567","wa_id":"573001234567","type":"CELL"}],"emails":[{"email":"a@example.com"}]}]}"#)
        let card = try onlyMessage(cardBody)
        let cardDelivery = try decode(cardBody)
        #expect(try WebhookDelivery.decode(cardDelivery.metaBody()) == cardDelivery)
        guard case .contacts(let cards) = card.content else { Issue.record("not contacts: \(card.content)"); return }
        #expect(cards.first?.name?.formattedName == "Ana G")
        #expect(cards.first?.phones.first?.waID == "573001234567")
        let system = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.S","timestamp":"1764000000","type":"system","system":{"body":"changed","wa_id":"573009999999","type":"user_changed_number"}}"#))
        #expect(system.content == .system(body: "changed", waID: "573009999999", kind: "user_changed_number"))
        let order = try onlyMessage(inbound(#"{"from":"573001234567","id":"wamid.O","timestamp":"1764000000","type":"order","order":{"catalog_id":"1","product_items":[]}}"#))
        #expect(order.content == .order(.object(["catalog_id": .string("1"), "product_items": .array([])])))
    }

    @Test func anUnknownStatusIsKeptByName() throws {
        let delivery = try decode(status(#"{"id":"wamid.X","status":"deleted","timestamp":"1764000000","recipient_id":"573001234567","biz_opaque_callback_data":"order-7"}"#))
        let status = try #require(delivery.entry.first?.changes.first?.value.asMessages?.statuses.first)
        #expect(status.status == .unknown("deleted"))
        #expect(status.status.name == "deleted")
        #expect(status.bizOpaqueCallbackData == "order-7")
        #expect(try WebhookDelivery.decode(delivery.metaBody()) == delivery)
    }

    @Test func templateIDsMayBeStringsAndCategoryNoticesKeepTheirDate() throws {
        let status = try decode(change(field: "message_template_status_update", value: #"{"event":"DISABLED","message_template_id":"594425479261596","message_template_name":"x","message_template_language":"es","disable_info":{"disable_date":"DATE"}}"#))
        #expect(status.entry.first?.changes.first?.value.asTemplateStatus?.messageTemplateID == "594425479261596")
        #expect(status.entry.first?.changes.first?.value.asTemplateStatus?.disableDate == "DATE")
        let notice = try decode(change(field: "template_category_update", value: #"{"message_template_id":594425479261596,"message_template_name":"x","message_template_language":"es","new_category":"UTILITY","correct_category":"MARKETING","category_update_timestamp":1746169200}"#))
        #expect(notice.entry.first?.changes.first?.value.asTemplateCategory == TemplateCategoryUpdate(
            messageTemplateID: "594425479261596", messageTemplateName: "x", messageTemplateLanguage: "es",
            previousCategory: nil, newCategory: "UTILITY", correctCategory: "MARKETING",
            categoryUpdateTimestamp: Date(timeIntervalSince1970: 1_746_169_200)))
        #expect(try WebhookDelivery.decode(notice.metaBody()) == notice)
    }
}
