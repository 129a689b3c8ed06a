import Foundation
import Vapor
import VentanaCore
import WhatsAppCloud

/// A chat as the API shows it, with its derived session.
struct ConversationView: Content {
    var id: UUID
    var contact: ContactView
    var assignee: AssigneeView?
    var closed: Bool
    var lastMessageAt: Date
    var session: SessionView

    struct ContactView: Content {
        var waId: String
        var name: String?
        /// ISO country code of the contact's number.
        var market: String?
        var country: String
        var pricingMarket: String
    }

    struct AssigneeView: Content {
        var id: UUID
        var name: String
    }

    enum CodingKeys: String, CodingKey { case id, contact, assignee, closed, lastMessageAt, session }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(contact, forKey: .contact)
        try container.encode(assignee, forKey: .assignee)  // null for the inbox, never absent
        try container.encode(closed, forKey: .closed)
        try container.encode(lastMessageAt, forKey: .lastMessageAt)
        try container.encode(session, forKey: .session)
    }

    init(_ conversation: ConversationRecord, contact: ContactRecord, assignee: AgentRecord?, snapshot: SessionSnapshot) {
        id = conversation.id!
        let market = Market.of(waID: contact.waID)
        self.contact = ContactView(waId: contact.waID, name: contact.name, market: contact.countryCode, country: market.countryName, pricingMarket: contact.pricingMarket)
        self.assignee = assignee.map { AssigneeView(id: $0.id!, name: $0.name) }
        closed = conversation.closed
        lastMessageAt = conversation.lastMessageAt
        session = SessionView(snapshot)
    }
}

/// The `session` object of every chat response (SPEC §6).
struct SessionView: Content {
    var state: SessionState
    var expiresAt: Date?
    var secondsLeft: Int
    var canSendText: Bool
    var canResume: Bool
    var nextTransitionAt: Date?
    var freeEntryPointEndsAt: Date?
    var failure: FailureView?

    init(_ snapshot: SessionSnapshot) {
        state = snapshot.state
        expiresAt = snapshot.expiresAt
        secondsLeft = snapshot.secondsLeft
        canSendText = snapshot.canSendText
        canResume = snapshot.canResume
        nextTransitionAt = snapshot.nextTransitionAt
        freeEntryPointEndsAt = snapshot.freeEntryPointEndsAt
        failure = snapshot.failureCode.map { code in
            code == SessionSnapshot.unconfirmedFailure ? FailureView(reason: "WhatsApp did not confirm the template") : FailureView(code: code)
        }
    }
}

/// Meta's failure in plain words.
struct FailureView: Content {
    /// Meta's error code; absent when Ventana itself could not tell (a timeout, a restart).
    var code: Int?
    var reason: String
    var nextStep: String

    /// True whether or not the message reached WhatsApp, which Ventana may not know.
    static let unconfirmedNextStep = "retry; if WhatsApp did take it after all, this message shows as sent on its own"

    init(reason: String) {
        code = nil
        self.reason = reason
        nextStep = Self.unconfirmedNextStep
    }

    init(code: Int) {
        let explanation = MetaErrorCode.explain(code)
        self.code = code
        reason = explanation.reason
        nextStep = explanation.nextStep
    }
}

/// A message as the API shows it.
struct MessageView: Content {
    var id: UUID
    var direction: String
    var wamid: String?
    var kind: String
    var text: String?
    var status: String
    var failure: FailureView?
    var replyTo: String?
    var senderId: UUID?
    var template: TemplateRef?
    var cost: CostView?
    var at: Date

    struct TemplateRef: Content {
        var name: String
        var language: String
        var category: String?
    }

    init(_ message: MessageRecord) {
        id = message.id!
        direction = message.direction
        wamid = message.wamid
        kind = message.kind
        text = message.text
        status = message.status
        failure = message.errorCode.map(FailureView.init(code:))
            ?? (message.status == DeliveryStatus.failed.rawValue ? FailureView(reason: message.errorReason ?? "WhatsApp did not confirm this message") : nil)
        replyTo = message.replyTo
        senderId = message.$sender.id
        template = message.templateName.map { TemplateRef(name: $0, language: message.templateLanguage ?? "", category: message.templateCategory) }
        cost = message.costAmount.map { CostView(amount: $0, currency: message.costCurrency ?? "", market: nil, category: message.templateCategory?.lowercased() ?? "", freeReason: message.freeReason) }
        at = message.at
    }
}

/// What a send costs.
struct CostView: Content {
    var amount: String
    var currency: String
    var market: String?
    var category: String
    var freeReason: String?

    init(amount: String, currency: String, market: String?, category: String, freeReason: String?) {
        self.amount = amount
        self.currency = currency
        self.market = market
        self.category = category
        self.freeReason = freeReason
    }

    init(_ quote: PriceQuote) {
        amount = quote.formattedAmount
        currency = quote.currency
        market = quote.market.countryCode ?? quote.market.pricingMarket.rawValue
        category = quote.category.rawValue
        freeReason = quote.freeReason?.rawValue
    }
}

/// A page of a list and the cursor of the next one.
struct Page<Item: Content>: Content {
    var items: [Item]
    var nextCursor: String?
    /// The server's clock when the page was read (lists of chats), so a client counts down from it.
    var now: Date?
}
