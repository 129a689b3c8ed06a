import Fluent
import Foundation
import SQLKit
import VentanaCore
import WhatsAppCloud

/// Stores deliveries and what they mean for the inbox, in one transaction per batch: the raw
/// bytes, contacts, chats (opened or re-opened), inbound messages (each once), and statuses
/// (applied to their message, or kept until it is known). Lookups are made once per batch,
/// so a batch of deliveries costs a handful of statements, not a handful per delivery.
struct InboxIngest: WebhookIngest {
    /// One delivery to store.
    struct Item: Sendable {
        var delivery: WebhookDelivery
        var body: Data
        var receivedAt: Date
    }

    func ingest(_ delivery: WebhookDelivery, body: Data, receivedAt: Date, on database: any Database) async throws -> Int {
        try await ingest([Item(delivery: delivery, body: body, receivedAt: receivedAt)], on: database).stored[0]
    }

    /// Stores `items` in one transaction; returns, per item, how many inbound messages it stored
    /// for the first time, and the chats whose session facts changed.
    func ingest(_ items: [Item], on database: any Database) async throws -> (stored: [Int], chats: ChangedChats) {
        try await database.writeTransaction { db in
            try await Batch(items: items).store(on: db)
        }
    }
}

/// The work of one batch, inside its transaction.
private struct Batch {
    let items: [InboxIngest.Item]

    /// An inbound message with where it came from.
    struct Inbound {
        var item: Int
        var message: InboundMessage
        var profileName: String?
        var phoneNumberID: String
    }

    func store(on db: any Database) async throws -> (stored: [Int], chats: ChangedChats) {
        var raws: [StoredDelivery] = []
        var inbound: [Inbound] = []
        var statuses: [MessageStatus] = []
        var templateChanges: [(WebhookChangeValue, Date)] = []
        for (index, item) in items.enumerated() {
            raws.append(RawDeliveryIngest.record(item.delivery, body: item.body, receivedAt: item.receivedAt))
            for change in item.delivery.entry.flatMap(\.changes) {
                guard case .messages(let value) = change.value else {
                    templateChanges.append((change.value, item.receivedAt))
                    continue
                }
                let names = Dictionary(value.contacts.map { ($0.waID, $0.profileName) }, uniquingKeysWith: { first, _ in first })
                for message in value.messages {
                    inbound.append(Inbound(item: index, message: message, profileName: names[message.from] ?? nil, phoneNumberID: value.metadata.phoneNumberID))
                }
                statuses += value.statuses
            }
        }
        try await BulkInsert.deliveries(raws, on: db)

        // Meta retries deliveries: a message already stored (or twice in this batch) is stored once.
        let known = try await BulkInsert.existingWamids(inbound.map(\.message.id), on: db)
        var seen = known
        let fresh = inbound.sorted { $0.message.timestamp < $1.message.timestamp }.filter { seen.insert($0.message.id).inserted }

        var stored = Array(repeating: 0, count: items.count)
        var held: [ConversationRecord] = []
        var changed: [UUID] = []
        if !fresh.isEmpty {
            let contacts = try await contacts(for: fresh, on: db)
            let (conversations, routed) = try await conversations(for: fresh, contacts: contacts, on: db)
            var messages: [MessageRecord] = []
            var touched: [Key: ConversationRecord] = [:]
            for entry in fresh {
                let contact = contacts[entry.message.from]!
                let key = Key(contact: contact.id!, phone: entry.phoneNumberID)
                let conversation = conversations[key]!
                touched[key] = conversation
                messages.append(Self.record(entry, conversation: conversation, receivedAt: items[entry.item].receivedAt))
                // The window follows WhatsApp's timestamps: a late older message never shortens it.
                let at = entry.message.timestamp
                conversation.lastInboundAt = max(conversation.lastInboundAt ?? at, at)
                if entry.message.referral != nil { conversation.lastReferralAt = max(conversation.lastReferralAt ?? at, at) }
                conversation.lastMessageAt = max(conversation.lastMessageAt, at)
                stored[entry.item] += 1
            }
            try await BulkInsert.inboundMessages(messages, on: db)
            held = Array(touched.values)
            for conversation in touched.values {
                conversation.expiresAt = ConversationSession.timeline(conversation, templates: []).expiresAt
                try await BulkInsert.saveWindow(of: conversation, routing: routed.contains(ObjectIdentifier(conversation)), on: db)
            }
        }
        for status in statuses {
            if let chat = try await StatusApplier.apply(status, on: db) { changed.append(chat) }
        }
        for (change, at) in templateChanges {
            try await TemplateStore.apply(change, at: at, on: db)
        }
        // A status may have changed a chat this batch also holds (a 131047 closes its window):
        // such a chat is read again; the others go on as the batch left them.
        let reread = Set(changed)
        return (stored, ChangedChats(records: held.filter { !reread.contains($0.id!) }, ids: changed))
    }

    struct Key: Hashable {
        var contact: UUID
        var phone: String
    }

    /// The contacts of `entries` by wa_id, created where new and renamed where their profile name changed.
    private func contacts(for entries: [Inbound], on db: any Database) async throws -> [String: ContactRecord] {
        let waIDs = Array(Set(entries.map(\.message.from)))
        var byWaID = Dictionary(uniqueKeysWithValues: try await ContactRecord.query(on: db).filter(\.$waID ~~ waIDs).all().map { ($0.waID, $0) })
        var created: [ContactRecord] = []
        for entry in entries {
            let waID = entry.message.from
            if let existing = byWaID[waID] {
                if let name = entry.profileName, !name.isEmpty, name != existing.name {
                    existing.name = name
                    existing.searchKey = ContactRecord.searchKey(name: name, waID: waID)
                    if !created.contains(where: { $0 === existing }) { try await existing.save(on: db) }
                }
            } else {
                let market = Market.of(waID: waID)
                let contact = ContactRecord(waID: waID, name: entry.profileName, countryCode: market.countryCode,
                                            pricingMarket: market.pricingMarket.rawValue, createdAt: items[entry.item].receivedAt)
                contact.id = UUID()
                byWaID[waID] = contact
                created.append(contact)
            }
        }
        try await created.create(on: db)
        return byWaID
    }

    /// Each contact's open chat on its number; a closed one is re-opened into the inbox, or back
    /// to the agent who sent the template the message answers; a new one is created.
    /// Also returns the chats whose routing (open, assignee) this batch decided: new and re-opened ones.
    private func conversations(for entries: [Inbound], contacts: [String: ContactRecord], on db: any Database) async throws -> ([Key: ConversationRecord], Set<ObjectIdentifier>) {
        let contactIDs = Array(Set(contacts.values.compactMap(\.id)))
        let existing = try await ConversationRecord.query(on: db).filter(\.$contact.$id ~~ contactIDs).sort(\.$lastMessageAt, .descending).all()
        var open: [Key: ConversationRecord] = [:]
        var latestClosed: [Key: ConversationRecord] = [:]
        for conversation in existing {
            let key = Key(contact: conversation.$contact.id, phone: conversation.phoneNumberID)
            if !conversation.closed { open[key] = conversation } else if latestClosed[key] == nil { latestClosed[key] = conversation }
        }
        let quoted = entries.compactMap(\.message.context?.id)
        let templates = quoted.isEmpty ? [] : try await MessageRecord.query(on: db).filter(\.$wamid ~~ quoted).filter(\.$direction == MessageRecord.outbound).all()
        let senderByWamid = Dictionary(templates.compactMap { message in message.wamid.map { ($0, message.$sender.id) } }, uniquingKeysWith: { first, _ in first })

        var created: [ConversationRecord] = []
        var routed: Set<ObjectIdentifier> = []
        for entry in entries {
            let key = Key(contact: contacts[entry.message.from]!.id!, phone: entry.phoneNumberID)
            if open[key] != nil { continue }
            let conversation: ConversationRecord
            var assignee = entry.message.context?.id.flatMap { senderByWamid[$0] ?? nil }
            if let closed = latestClosed[key] {
                conversation = closed
                if assignee == nil {
                    // An answer that quotes nothing still goes back to whoever resumed the chat.
                    assignee = try await Self.latestTemplateSender(in: closed, on: db)
                }
            } else {
                conversation = ConversationRecord(contactID: key.contact, phoneNumberID: key.phone, at: entry.message.timestamp)
                conversation.id = UUID()
                created.append(conversation)
            }
            conversation.closed = false
            conversation.$assignee.id = assignee
            open[key] = conversation
            routed.insert(ObjectIdentifier(conversation))
        }
        try await created.create(on: db)
        return (open, routed)
    }

    /// Who sent the latest template since the contact last wrote, if anyone did.
    private static func latestTemplateSender(in conversation: ConversationRecord, on db: any Database) async throws -> UUID? {
        let query = MessageRecord.query(on: db).filter(\.$conversation.$id == conversation.id!)
            .filter(\.$direction == MessageRecord.outbound).filter(\.$kind == "template")
        if let since = conversation.lastInboundAt { query.filter(\.$at >= since) }
        return try await query.sort(\.$at, .descending).first()?.$sender.id
    }

    static func record(_ entry: Inbound, conversation: ConversationRecord, receivedAt: Date) -> MessageRecord {
        let message = entry.message
        let record = MessageRecord()
        record.id = UUID()
        record.$conversation.id = conversation.id!
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
        return record
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

/// The chats a batch changed: those whose records it holds up to date, and others by id.
struct ChangedChats: Sendable {
    var records: [ConversationRecord]
    var ids: [UUID]
}
