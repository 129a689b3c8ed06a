import Foundation
import Testing
@testable import WhatsAppCloud

/// Decodes a fixture file from `../shared/fixtures`.
func fixture(_ name: String) throws -> WebhookDelivery {
    try WebhookDelivery.decode(Data(contentsOf: fixtures.appendingPathComponent("\(name).json")))
}

/// The first `messages` change of a delivery.
func messagesValue(_ delivery: WebhookDelivery) throws -> MessagesValue {
    guard case .messages(let value)? = delivery.entry.first?.changes.first?.value else {
        throw WebhookDecodingError.malformed("not a messages change")
    }
    return value
}

let fixtureNames: [String] = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path))?
    .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted() ?? []

@Suite("Webhook wire types")
struct WireDecodingTests {
    @Test func thereAreFixtures() {
        #expect(fixtureNames.count >= 20)
    }

    @Test(arguments: fixtureNames)
    func everyFixtureDecodesAndRoundTrips(_ name: String) throws {
        let delivery = try fixture(name)
        #expect(delivery.object == "whatsapp_business_account")
        #expect(delivery.entry.first?.id == "102290129340398")
        let again = try WebhookDelivery.decode(delivery.metaBody())
        #expect(again == delivery)
    }

    @Test func inboundText() throws {
        let value = try messagesValue(fixture("inbound-text"))
        #expect(value.metadata.phoneNumberID == "106540352242922")
        #expect(value.contacts.first?.waID == value.messages.first?.from)
        let message = try #require(value.messages.first)
        #expect(message.id.hasPrefix("wamid."))
        #expect(message.timestamp.timeIntervalSince1970 > 1_700_000_000)
        guard case .text(let body) = message.content else { Issue.record("not text"); return }
        #expect(!body.isEmpty)
    }

    @Test func aReplyCarriesItsContext() throws {
        let message = try #require(try messagesValue(fixture("inbound-reply-with-context")).messages.first)
        #expect(message.context?.id?.hasPrefix("wamid.") == true)
        #expect(message.context?.from == "15550783881")
    }

    @Test func anImageKeepsItsMediaIDAndCaption() throws {
        let message = try #require(try messagesValue(fixture("inbound-image")).messages.first)
        #expect(message.timestamp == Date(timeIntervalSince1970: 1_764_000_000))
        guard case .image(let media) = message.content else { Issue.record("not an image"); return }
        #expect(media.id == "1003383421387256")
        #expect(media.caption == "Factura")
        #expect(media.mimeType == "image/jpeg")
    }

    @Test func locationButtonsListsReactions() throws {
        guard case .location(let location)? = try messagesValue(fixture("inbound-location")).messages.first?.content else { Issue.record("not a location"); return }
        #expect(location.latitude != 0 && location.longitude != 0)

        guard case .interactive(.buttonReply(let id, let title))? = try messagesValue(fixture("inbound-interactive-button-reply")).messages.first?.content else { Issue.record("not a button reply"); return }
        #expect(!id.isEmpty && !title.isEmpty)

        guard case .interactive(.listReply(let rowID, let rowTitle, let description))? = try messagesValue(fixture("inbound-interactive-list-reply")).messages.first?.content else { Issue.record("not a list reply"); return }
        #expect(rowID == "slot-10am")
        #expect(rowTitle == "10:00")
        #expect(description?.hasPrefix("Mañana") == true)

        guard case .reaction(let target, let emoji)? = try messagesValue(fixture("inbound-reaction")).messages.first?.content else { Issue.record("not a reaction"); return }
        #expect(target.hasPrefix("wamid."))
        #expect(emoji == "👍")
    }

    @Test func aTemplateQuickReplyPointsAtTheTemplate() throws {
        let message = try #require(try messagesValue(fixture("inbound-template-quick-reply")).messages.first)
        guard case .button(_, let text) = message.content else { Issue.record("not a button"); return }
        #expect(!text.isEmpty)
        #expect(message.context?.id?.hasPrefix("wamid.") == true)
    }

    @Test func anAdReferralIsKept() throws {
        let message = try #require(try messagesValue(fixture("inbound-referral-ad")).messages.first)
        #expect(message.referral?.sourceType == "ad")
        #expect(message.referral?.sourceID == "120212345678900001")
        #expect(message.referral?.headline == "Frete grátis hoje")
    }

    @Test func anUnsupportedMessageKeepsMetasError() throws {
        let message = try #require(try messagesValue(fixture("inbound-unsupported")).messages.first)
        guard case .unsupported = message.content else { Issue.record("not unsupported"); return }
        #expect(message.errors.first?.code == 131_051)
        #expect(message.errors.first?.details == "Message type is currently not supported.")
    }

    @Test func oneDeliveryCanCarryTwoEntries() throws {
        let delivery = try fixture("inbound-two-messages-two-entries")
        #expect(delivery.entry.count == 2)
        let messages = delivery.entry.flatMap(\.changes).compactMap { change -> [InboundMessage]? in
            if case .messages(let value) = change.value { return value.messages }
            return nil
        }.flatMap { $0 }
        #expect(messages.count == 2)
        #expect(Set(messages.map(\.id)).count == 2)
    }

    @Test func statusesCarryPricingConversationAndErrors() throws {
        let sent = try #require(try messagesValue(fixture("status-sent")).statuses.first)
        #expect(sent.status == .sent)
        let delivered = try #require(try messagesValue(fixture("status-delivered")).statuses.first)
        #expect(delivered.status == .delivered)
        #expect(delivered.pricing == StatusPricing(billable: true, pricingModel: "PMP", type: "regular", category: "marketing"))
        #expect(delivered.conversation?.originType == "marketing")
        #expect(delivered.recipientID == "447700900123")
        let free = try #require(try messagesValue(fixture("status-delivered-free-utility")).statuses.first)
        #expect(free.pricing?.billable == false)
        #expect(free.pricing?.type == "free_customer_service")
        #expect(free.pricing?.category == "utility")
        #expect(try messagesValue(fixture("status-read")).statuses.first?.status == .read)
        let closed = try #require(try messagesValue(fixture("status-failed-131047")).statuses.first)
        #expect(closed.status == .failed)
        #expect(closed.errors.first?.code == 131_047)
        #expect(try messagesValue(fixture("status-failed-131026")).statuses.first?.errors.first?.code == 131_026)
    }

    @Test func templateWebhooks() throws {
        let approved = try fixture("template-status-approved")
        #expect(approved.entry.first?.time != nil)
        guard case .templateStatus(let update)? = approved.entry.first?.changes.first?.value else { Issue.record("not a status update"); return }
        #expect(update.event == "APPROVED")
        #expect(Int64(update.messageTemplateID) != nil)

        guard case .templateStatus(let rejected)? = try fixture("template-status-rejected").entry.first?.changes.first?.value else { Issue.record("not a status update"); return }
        #expect(rejected.event == "REJECTED")
        #expect(rejected.reason == "INCORRECT_CATEGORY")
        #expect(rejected.messageTemplateID == "594425479261597")
        #expect(rejected.messageTemplateLanguage == "es_MX")

        guard case .templateStatus(let paused)? = try fixture("template-status-paused").entry.first?.changes.first?.value else { Issue.record("not a status update"); return }
        #expect(paused.event == "PAUSED")
        #expect(paused.reason == nil)
        #expect(paused.otherInfo?.title == "FIRST_PAUSE")

        guard case .templateQuality(let quality)? = try fixture("template-quality-update").entry.first?.changes.first?.value else { Issue.record("not a quality update"); return }
        #expect(!quality.newQualityScore.isEmpty)

        guard case .templateCategory(let category)? = try fixture("template-category-update").entry.first?.changes.first?.value else { Issue.record("not a category update"); return }
        #expect(category.previousCategory == "UTILITY")
        #expect(category.newCategory == "MARKETING")
        #expect(category.messageTemplateID == "594425479261596")
    }

    @Test(arguments: [
        ("not json", "malformed"),
        ("[1,2]", "malformed"),
        (#"{"entry":[]}"#, "malformed"),
        (#"{"object":"page","entry":[]}"#, "wrongObject"),
        (#"{"object":"whatsapp_business_account"}"#, "malformed"),
        (#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1","phone_number_id":"2"},"messages":[{"from":"57300","id":"wamid.x","timestamp":"yesterday","type":"text","text":{"body":"hi"}}]}}]}]}"#, "malformed"),
        (#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1","phone_number_id":"2"},"messages":[{"from":"57300","timestamp":"1","type":"text","text":{"body":"hi"}}]}}]}]}"#, "malformed"),
        (#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1","phone_number_id":"2"},"statuses":[{"id":"wamid.x","timestamp":"1","recipient_id":"5"}]}}]}]}"#, "malformed"),
    ])
    func badInputIsATypedError(_ body: String, _ kind: String) {
        do {
            _ = try WebhookDelivery.decode(Data(body.utf8))
            Issue.record("decoded bad input")
        } catch {
            switch (error, kind) {
            case (.malformed, "malformed"), (.wrongObject, "wrongObject"): break
            default: Issue.record("got \(error)")
            }
        }
    }

    @Test func aNewMessageTypeIsKeptWithItsObject() throws {
        let body = #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"1","phone_number_id":"2"},"messages":[{"from":"573001234567","id":"wamid.p","timestamp":"1764000000","type":"poll","poll":{"question":"¿Sí?","options":["a","b"]}}]}}]}]}"#
        let message = try #require(try messagesValue(WebhookDelivery.decode(Data(body.utf8))).messages.first)
        guard case .unknown(let type, let value) = message.content else { Issue.record("not kept as unknown"); return }
        #expect(type == "poll")
        #expect(value?["question"]?.stringValue == "¿Sí?")
    }

    @Test func aNewFieldIsKept() throws {
        let body = #"{"object":"whatsapp_business_account","entry":[{"id":"1","time":1764000000,"changes":[{"field":"account_update","value":{"event":"VERIFIED_ACCOUNT"}}]}]}"#
        let change = try #require(try WebhookDelivery.decode(Data(body.utf8)).entry.first?.changes.first)
        guard case .other(let field, let value) = change.value else { Issue.record("not kept"); return }
        #expect(field == "account_update")
        #expect(value["event"]?.stringValue == "VERIFIED_ACCOUNT")
    }

    @Test func metaBodyEscapesNonASCIIAsMetaDoes() throws {
        let delivery = try fixture("inbound-reaction")
        let body = try delivery.metaBody()
        #expect(body.allSatisfy { $0 < 0x80 })
        #expect(String(decoding: body, as: UTF8.self).contains(#"\ud83d\udc4d"#))
    }
}
