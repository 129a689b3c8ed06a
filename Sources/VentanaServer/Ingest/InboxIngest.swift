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
    /// One delivery to store, with what it carries worked out before its batch's turn at the
    /// database — on the request's own task, off the single writer's path.
    struct Item: Sendable {
        var receivedAt: Date
        var raw: StoredDelivery
        var inbound: [Inbound]
        var statuses: [MessageStatus]
        var templateChanges: [WebhookChangeValue]

        init(delivery: WebhookDelivery, body: Data, receivedAt: Date) {
            self.receivedAt = receivedAt
            raw = RawDeliveryIngest.record(delivery, body: body, receivedAt: receivedAt)
            inbound = []
            statuses = []
            templateChanges = []
            let encoder = JSONEncoder()
            for change in delivery.entry.flatMap(\.changes) {
                guard case .messages(let value) = change.value else {
                    templateChanges.append(change.value)
                    continue
                }
                let names = Dictionary(value.contacts.map { ($0.waID, $0.profileName) }, uniquingKeysWith: { first, _ in first })
                for message in value.messages {
                    inbound.append(Inbound(message: message, payload: try? encoder.encode(message), profileName: names[message.from] ?? nil,
                                           phoneNumberID: value.metadata.phoneNumberID))
                }
                statuses += value.statuses
            }
        }
    }

    /// An inbound message with where it came from, and its stored form.
    struct Inbound: Sendable {
        var message: InboundMessage
        var payload: Data?
        var profileName: String?
        var phoneNumberID: String
    }

    func ingest(_ delivery: WebhookDelivery, body: Data, receivedAt: Date, on database: any Database) async throws -> Int {
        let item = Item(delivery: delivery, body: body, receivedAt: receivedAt)
        return try await database.writeTransaction { db in try await store([item], on: db) }.stored[0]
    }

    /// Stores `items` on `db`, inside the caller's transaction; returns, per item, how many
    /// inbound messages it stored for the first time, and the chats whose session facts changed.
    func store(_ items: [Item], on db: any Database) async throws -> (stored: [Int], chats: ChangedChats) {
        try await Batch(items: items).store(on: db)
    }
}

/// The work of one batch, inside its transaction.
private struct Batch {
    let items: [InboxIngest.Item]

    /// An inbound message and the delivery that carried it.
    struct Entry {
        var item: Int
        var inbound: InboxIngest.Inbound
        var message: InboundMessage { inbound.message }
    }

    func store(on db: any Database) async throws -> (stored: [Int], chats: ChangedChats) {
        try await BulkInsert.deliveries(items.map(\.raw), on: db)
        let inbound = items.enumerated().flatMap { index, item in item.inbound.map { Entry(item: index, inbound: $0) } }

        // Meta retries deliveries: a message already stored (or twice in this batch) is stored once.
        let known = try await BulkInsert.existingWamids(inbound.map(\.message.id), on: db)
        var seen = known
        let fresh = inbound.sorted { $0.message.timestamp < $1.message.timestamp }.filter { seen.insert($0.message.id).inserted }

        var stored = Array(repeating: 0, count: items.count)
        var held: [ConversationRecord] = []
        var changed: [UUID] = []
        var reopened: Set<UUID> = []
        if !fresh.isEmpty {
            let contacts = try await contacts(for: fresh, on: db)
            let (conversations, routed) = try await conversations(for: fresh, contacts: contacts, on: db)
            var messages: [MessageRecord] = []
            var touched: [Key: ConversationRecord] = [:]
            for entry in fresh {
                let key = Key(contact: contacts[entry.message.from]!, phone: entry.inbound.phoneNumberID)
                let conversation = conversations[key]!
                touched[key] = conversation
                messages.append(Self.record(entry.inbound, conversation: conversation, receivedAt: items[entry.item].receivedAt))
                // The window follows WhatsApp's timestamps: a late older message never shortens it.
                let at = entry.message.timestamp
                conversation.lastInboundAt = max(conversation.lastInboundAt ?? at, at)
                if entry.message.referral != nil { conversation.lastReferralAt = max(conversation.lastReferralAt ?? at, at) }
                conversation.lastMessageAt = max(conversation.lastMessageAt, at)
                stored[entry.item] += 1
            }
            // In id order: on PostgreSQL, two instances lock the rows they share in the same order.
            held = touched.values.sorted { $0.id! < $1.id! }
            for conversation in held {
                conversation.expiresAt = ConversationSession.timeline(conversation, templates: []).expiresAt
            }
            // New and re-opened chats get who has them; the others only their window, so an
            // agent's take or transfer meanwhile is never undone.
            reopened = Set(held.filter { routed.contains(ObjectIdentifier($0)) }.map { $0.id! })
            try await BulkInsert.saveWindows(of: held.filter { routed.contains(ObjectIdentifier($0)) }, routing: true, on: db)
            try await BulkInsert.saveWindows(of: held.filter { !routed.contains(ObjectIdentifier($0)) }, routing: false, on: db)
            try await BulkInsert.inboundMessages(messages, on: db)
        }
        for status in items.flatMap(\.statuses) {
            if let chat = try await StatusApplier.apply(status, on: db) { changed.append(chat) }
        }
        for item in items {
            for change in item.templateChanges { try await TemplateStore.apply(change, at: item.receivedAt, on: db) }
        }
        // A status may have changed a chat this batch also holds (a 131047 closes its window):
        // such a chat is read again; the others go on as the batch left them.
        let reread = Set(changed)
        return (stored, ChangedChats(records: held.filter { !reread.contains($0.id!) }, ids: changed, reopened: reopened))
    }

    struct Key: Hashable {
        var contact: UUID
        var phone: String
    }

    /// The contact ids of `entries` by wa_id: contacts created where new, renamed where their
    /// profile name changed. Read and written by hand (`HandSQL`): no model per row.
    private func contacts(for entries: [Entry], on db: any Database) async throws -> [String: UUID] {
        struct Row {
            var id: UUID
            var waID: String
            var name: String?
        }
        let waIDs = Array(Set(entries.map(\.message.from)))
        let rows = try await db.run(#"SELECT "id", "wa_id", "name" FROM "contacts" WHERE "wa_id" IN \#(HandSQL.list(waIDs.count))"#,
                                    waIDs.map { .text($0) }).map { row in
            Row(id: try row.uuid("id"), waID: try row.text("wa_id"), name: try row.textIfPresent("name"))
        }
        var known = Dictionary(rows.map { ($0.waID, $0) }, uniquingKeysWith: { first, _ in first })
        var created: [String: ContactRecord] = [:]
        var renamed: [UUID: String] = [:]
        for entry in entries {
            let waID = entry.message.from
            let name = entry.inbound.profileName.flatMap { $0.isEmpty ? nil : $0 }
            if let contact = created[waID] {
                if let name { contact.name = name; contact.searchKey = ContactRecord.searchKey(name: name, waID: waID) }
            } else if var contact = known[waID] {
                if let name, name != contact.name {
                    contact.name = name
                    known[waID] = contact
                    renamed[contact.id] = name
                }
            } else {
                let market = Market.of(waID: waID)
                let contact = ContactRecord(waID: waID, name: entry.inbound.profileName, countryCode: market.countryCode,
                                            pricingMarket: market.pricingMarket.rawValue, createdAt: items[entry.item].receivedAt)
                contact.id = UUID.timeOrdered()
                created[waID] = contact
            }
        }
        if !created.isEmpty {
            var binds: [SQLValue] = []
            for contact in created.values {
                binds += [.uuid(contact.id!), .text(contact.waID), .text(contact.name), .text(contact.countryCode),
                          .text(contact.pricingMarket), .text(contact.searchKey), .date(contact.createdAt)]
            }
            try await db.run("""
                INSERT INTO "contacts" ("id", "wa_id", "name", "country_code", "pricing_market", "search_key", "created_at")
                VALUES \(HandSQL.rows(created.count, columns: 7))
                """, binds)
        }
        for (id, name) in renamed.sorted(by: { $0.key < $1.key }) {  // in id order, as the chats
            let waID = known.values.first { $0.id == id }!.waID
            try await db.run(#"UPDATE "contacts" SET "name" = ?, "search_key" = ? WHERE "id" = ?"#,
                             [.text(name), .text(ContactRecord.searchKey(name: name, waID: waID)), .uuid(id)])
        }
        return known.mapValues(\.id).merging(created.mapValues { $0.id! }, uniquingKeysWith: { first, _ in first })
    }

    /// Each contact's open chat on its number; a closed one is re-opened into the inbox, or back
    /// to the agent who sent the template the message answers; a new one is created.
    /// Also returns the chats whose routing (open, assignee) this batch decided: new and re-opened ones.
    private func conversations(for entries: [Entry], contacts: [String: UUID], on db: any Database) async throws -> ([Key: ConversationRecord], Set<ObjectIdentifier>) {
        let existing = try await ConversationRecord.all(ofContacts: Array(Set(contacts.values)), on: db)
        var open: [Key: ConversationRecord] = [:]
        var latestClosed: [Key: ConversationRecord] = [:]
        for conversation in existing {
            let key = Key(contact: conversation.$contact.id, phone: conversation.phoneNumberID)
            if !conversation.closed { open[key] = conversation } else if latestClosed[key] == nil { latestClosed[key] = conversation }
        }
        let quoted = entries.compactMap(\.message.context?.id)
        let templates = quoted.isEmpty ? [] : try await MessageRecord.query(on: db).filter(\.$wamid ~~ quoted).filter(\.$direction == MessageRecord.outbound).all()
        let senderByWamid = Dictionary(templates.compactMap { message in message.wamid.map { ($0, message.$sender.id) } }, uniquingKeysWith: { first, _ in first })

        var routed: Set<ObjectIdentifier> = []
        for entry in entries {
            let key = Key(contact: contacts[entry.message.from]!, phone: entry.inbound.phoneNumberID)
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
                conversation.id = UUID.timeOrdered()  // inserted with its window, below
            }
            if let sender = assignee, try await AgentRecord.find(sender, on: db)?.disabled != false {
                assignee = nil  // the sender has left: the answer goes to the inbox
            }
            conversation.closed = false
            conversation.$assignee.id = assignee
            open[key] = conversation
            routed.insert(ObjectIdentifier(conversation))
        }
        return (open, routed)
    }

    /// Who sent the latest template since the contact last wrote, if anyone did.
    private static func latestTemplateSender(in conversation: ConversationRecord, on db: any Database) async throws -> UUID? {
        let query = MessageRecord.query(on: db).filter(\.$conversation.$id == conversation.id!)
            .filter(\.$direction == MessageRecord.outbound).filter(\.$kind == "template")
        if let since = conversation.lastInboundAt { query.filter(\.$at >= since) }
        return try await query.sort(\.$at, .descending).first()?.$sender.id
    }

    static func record(_ entry: InboxIngest.Inbound, conversation: ConversationRecord, receivedAt: Date) -> MessageRecord {
        let message = entry.message
        let record = MessageRecord()
        record.id = UUID.timeOrdered()
        record.$conversation.id = conversation.id!
        record.direction = MessageRecord.inbound
        record.wamid = message.id
        record.kind = message.content.kind
        record.text = InboundText.summary(of: message.content)
        record.payload = entry.payload
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
    /// Chats a message re-opened: closed chats get no clock alerts, so whatever was last
    /// announced, coming back is a `session.changed` to their state now.
    var reopened: Set<UUID> = []
}
