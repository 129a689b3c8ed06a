import Fluent
import Foundation
import VentanaCore
import WhatsAppCloud

/// Stores a delivery and what it means for the inbox, in one transaction: the raw bytes,
/// contacts, chats (opened or re-opened), inbound messages (each once), and statuses (applied
/// to their message, or kept until it is known).
struct InboxIngest: WebhookIngest {
    func ingest(_ delivery: WebhookDelivery, body: Data, receivedAt: Date, on database: any Database) async throws -> Int {
        try await database.writeTransaction { db in
            var stored = 0
            try await RawDeliveryIngest().store(delivery, body: body, receivedAt: receivedAt, on: db)
            for change in delivery.entry.flatMap(\.changes) {
                guard case .messages(let value) = change.value else { continue }
                let names = Dictionary(value.contacts.map { ($0.waID, $0.profileName) }, uniquingKeysWith: { first, _ in first })
                for message in value.messages.sorted(by: { $0.timestamp < $1.timestamp }) {
                    if try await store(message, profileName: names[message.from] ?? nil, phoneNumberID: value.metadata.phoneNumberID, receivedAt: receivedAt, on: db) {
                        stored += 1
                    }
                }
                for status in value.statuses {
                    try await StatusApplier.apply(status, on: db)
                }
            }
            return stored
        }
    }

    /// Stores one inbound message; false when it was already stored.
    private func store(_ message: InboundMessage, profileName: String?, phoneNumberID: String, receivedAt: Date, on db: any Database) async throws -> Bool {
        // Meta retries deliveries: a message already stored is stored once.
        if try await MessageRecord.query(on: db).filter(\.$wamid == message.id).first() != nil { return false }

        let contact = try await upsertContact(waID: message.from, name: profileName, at: receivedAt, on: db)
        let conversation = try await openConversation(contact: contact, phoneNumberID: phoneNumberID, replyingTo: message.context?.id, at: message.timestamp, on: db)

        let record = MessageRecord()
        record.$conversation.id = try conversation.requireID()
        record.direction = MessageRecord.inbound
        record.wamid = message.id
        record.kind = message.content.kind
        record.text = InboundText.summary(of: message.content)
        record.payload = try? JSONEncoder().encode(message)
        record.status = "received"
        record.errorCode = message.errors.first?.code
        record.replyTo = message.context?.id
        record.at = message.timestamp
        record.createdAt = receivedAt
        try await record.create(on: db)

        // The window follows WhatsApp's timestamps: a late older message never shortens it.
        conversation.lastInboundAt = max(conversation.lastInboundAt ?? message.timestamp, message.timestamp)
        if message.referral != nil {
            conversation.lastReferralAt = max(conversation.lastReferralAt ?? message.timestamp, message.timestamp)
        }
        conversation.lastMessageAt = max(conversation.lastMessageAt, message.timestamp)
        conversation.expiresAt = ConversationSession.timeline(conversation, templates: []).expiresAt
        try await conversation.save(on: db)
        return true
    }

    private func upsertContact(waID: String, name: String?, at: Date, on db: any Database) async throws -> ContactRecord {
        if let existing = try await ContactRecord.query(on: db).filter(\.$waID == waID).first() {
            if let name, !name.isEmpty, name != existing.name {
                existing.name = name
                existing.searchKey = ContactRecord.searchKey(name: name, waID: waID)
                try await existing.save(on: db)
            }
            return existing
        }
        let market = Market.of(waID: waID)
        let contact = ContactRecord(waID: waID, name: name, countryCode: market.countryCode, pricingMarket: market.pricingMarket.rawValue, createdAt: at)
        try await contact.create(on: db)
        return contact
    }

    /// The contact's open chat on this number; a closed one is re-opened into the inbox, or back
    /// to the agent who sent the template this message answers.
    private func openConversation(contact: ContactRecord, phoneNumberID: String, replyingTo quoted: String?, at: Date, on db: any Database) async throws -> ConversationRecord {
        let contactID = try contact.requireID()
        if let open = try await ConversationRecord.query(on: db)
            .filter(\.$contact.$id == contactID).filter(\.$phoneNumberID == phoneNumberID).filter(\.$closed == false).first() {
            return open
        }
        let conversation = try await ConversationRecord.query(on: db)
            .filter(\.$contact.$id == contactID).filter(\.$phoneNumberID == phoneNumberID)
            .sort(\.$lastMessageAt, .descending).first()
            ?? ConversationRecord(contactID: contactID, phoneNumberID: phoneNumberID, at: at)
        var assignee: UUID? = nil
        if let quoted, let template = try await MessageRecord.query(on: db).filter(\.$wamid == quoted).filter(\.$direction == MessageRecord.outbound).first() {
            assignee = template.$sender.id
        }
        conversation.closed = false
        conversation.$assignee.id = assignee
        try await conversation.save(on: db)
        return conversation
    }
}

/// What an inbound message shows as text in lists (stored, never logged).
enum InboundText {
    static func summary(of content: InboundContent) -> String? {
        switch content {
        case .text(let body): body
        case .image(let media), .video(let media), .document(let media): media.caption ?? media.filename
        case .audio, .sticker: nil
        case .location(let location): [location.name, location.address].compactMap { $0 }.joined(separator: ", ")
        case .contacts(let cards): cards.compactMap { $0.name?.formattedName }.joined(separator: ", ")
        case .interactive(.buttonReply(_, let title)), .interactive(.listReply(_, let title, _)): title
        case .interactive: nil
        case .button(_, let text): text
        case .reaction(_, let emoji): emoji
        case .order, .system(nil, _, _): nil
        case .system(let body?, _, _): body
        case .unsupported, .unknown: nil
        }
    }
}
