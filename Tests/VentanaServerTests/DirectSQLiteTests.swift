import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import Vapor
import VentanaCore
@testable import VentanaServer

/// SQLite's webhook writer talks to SQLite through its C interface, not SQLiteNIO: what it
/// writes must read back the same through the pool, and a failure must leave nothing behind.
@Suite("SQLite webhook writer")
struct DirectSQLiteTests {
    private static func contact(_ waID: String) -> ContactRecord {
        let contact = ContactRecord(waID: waID, name: "Ana Pérez", countryCode: "34", pricingMarket: "ES", createdAt: Date(timeIntervalSince1970: 1_767_225_600.123456))
        contact.id = UUID.timeOrdered()
        return contact
    }

    /// SQLite keeps a time as Unix seconds in a double and SQLiteNIO reads it back rounded to
    /// the microsecond: the clock's times must survive that exactly, or a time read back and
    /// compared with `=` (a claim, a page cursor) never matches the row it came from.
    @Test func theClocksTimesReadBackExactlyFromSQLite() throws {
        var generator = SystemRandomNumberGenerator()
        var samples = (0..<20_000).map { _ in Date(timeIntervalSince1970: Double.random(in: 1_700_000_000...2_100_000_000, using: &generator)) }
        samples.append(SystemTimeSource().now())
        samples.append(SandboxClock(base: SystemTimeSource()).now())
        var raw = 0
        for date in samples {
            let stable = date.wholeMicroseconds
            #expect(abs(stable.timeIntervalSince(date)) <= 0.000_001, "to the microsecond")
            #expect(stable.wholeMicroseconds == stable)
            let stored = try #require(stable.sqliteData)
            #expect(Date(sqliteData: stored) == stable, "\(stable.timeIntervalSince1970)")
            #expect(Date(sqliteData: stored)?.sqliteData == stored)
            if Date(sqliteData: try #require(date.sqliteData)) != date { raw += 1 }
        }
        #expect(raw > 1_000, "the check can fail: unrounded times do not read back the same (\(raw) of \(samples.count) did not)")
    }

    @Test func whatTheWriterStoresReadsBackTheSameThroughThePool() async throws {
        try await InboxHarness.with(.sqliteMemory) { h in
            let writer = h.app.batchWriterDB
            #expect(!(writer is any SQLiteDatabase), "the writer is the direct connection, not SQLiteNIO's")
            let contact = Self.contact("34600111222")
            let chat = ConversationRecord(contactID: contact.id!, phoneNumberID: "106540352242922", at: Date(timeIntervalSince1970: 1_767_225_601.654321))
            chat.id = UUID.timeOrdered()
            chat.closed = true
            chat.lastInboundAt = Date(timeIntervalSince1970: 1_767_225_602.987654)
            let readInside = try await writer.writeTransaction { db in
                try await contact.create(on: db)
                try await chat.create(on: db)
                return try await ConversationRecord.find(chat.id, on: db)
            }
            let inside = try #require(readInside)
            let stored = try #require(try await ConversationRecord.find(chat.id, on: h.app.db))
            for read in [inside, stored] {
                #expect(read.$contact.id == contact.id)
                #expect(read.phoneNumberID == "106540352242922")
                #expect(read.closed)
                #expect(read.$assignee.id == nil)
                #expect(read.lastInboundAt == chat.lastInboundAt)
                #expect(read.reEngagementAt == nil)
                #expect(read.lastMessageAt == chat.lastMessageAt)
            }
            let name = try #require(try await ContactRecord.find(contact.id, on: h.app.db))
            #expect(name.name == "Ana Pérez" && name.countryCode == "34" && name.createdAt == contact.createdAt)
        }
    }

    /// The batch's hand-written statements, through the writer, read back field by field through the pool.
    @Test func theBatchStatementsStoreWhatThePoolReads() async throws {
        try await InboxHarness.with(.sqliteMemory) { h in
            let contact = Self.contact("34600333444")
            let at = Date(timeIntervalSince1970: 1_767_225_601.123456)
            let chat = ConversationRecord(contactID: contact.id!, phoneNumberID: "106540352242922", at: at)
            chat.id = UUID.timeOrdered()
            chat.closed = true
            chat.expiresAt = at.addingTimeInterval(86_400)
            func message(payload: Data?, errorCode: Int?) -> MessageRecord {
                let message = MessageRecord()
                message.id = UUID.timeOrdered()
                message.$conversation.id = chat.id!
                message.direction = MessageRecord.inbound
                message.wamid = "wamid.\(UUID().uuidString)"
                message.kind = "text"
                message.text = "¿Seguimos? 👋"
                message.payload = payload
                message.status = "received"
                message.errorCode = errorCode
                message.at = at
                message.createdAt = at.addingTimeInterval(0.000_789)
                return message
            }
            let messages = [message(payload: Data([0, 1, 2, 255]), errorCode: 131051), message(payload: nil, errorCode: nil)]
            let event = EventRecord()
            event.kind = EventKind.conversationAssigned.rawValue
            event.conversationID = chat.id!
            event.state = "open"
            event.previousAssigneeID = UUID()
            event.fromInbox = false
            event.at = at
            event.createdAt = at
            try await h.app.batchWriterDB.writeTransaction { db in
                try await contact.create(on: db)
                try await BulkInsert.saveWindows(of: [chat], routing: true, on: db)
                try await BulkInsert.inboundMessages(messages, on: db)
                try await EventLog.append([event], on: db)
            }
            let storedChat = try #require(try await ConversationRecord.find(chat.id, on: h.app.db))
            #expect(storedChat.closed && storedChat.$assignee.id == nil && storedChat.lastInboundAt == nil)
            #expect(abs(storedChat.expiresAt!.timeIntervalSince(chat.expiresAt!)) < 0.000_001)
            for sent in messages {
                let stored = try #require(try await MessageRecord.find(sent.id, on: h.app.db))
                #expect(stored.payload == sent.payload && stored.errorCode == sent.errorCode && stored.text == sent.text)
                #expect(stored.wamid == sent.wamid && stored.replyTo == nil && stored.$sender.id == nil)
                #expect(abs(stored.at.timeIntervalSince(at)) < 0.000_001 && abs(stored.createdAt.timeIntervalSince(sent.createdAt)) < 0.000_001)
            }
            let storedEvent = try #require(try await EventRecord.query(on: h.app.db).filter(\.$conversationID == chat.id!).first())
            #expect(storedEvent.id == event.id, "the number RETURNING gave is the row's")
            #expect(storedEvent.previousAssigneeID == event.previousAssigneeID && storedEvent.fromInbox == false)
            #expect(storedEvent.assigneeID == nil && storedEvent.failureCode == nil)
            // And back the other way: the writer's hand-written read of what the pool holds.
            let read = try await h.app.batchWriterDB.writeTransaction { db in try await ConversationRecord.all(ofContacts: [contact.id!], on: db) }
            #expect(read.count == 1 && read.first?.closed == true && read.first?.expiresAt == storedChat.expiresAt)
        }
    }

    /// Shut down, the writer fails a batch at once and leaves the write gate free.
    @Test func aWriterShutDownRefusesAtOnceAndFreesTheGate() async throws {
        try await InboxHarness.with(.sqliteMemory) { h in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("ventana-writer-\(UUID().uuidString).sqlite").path
            let writer = SQLiteWriter(path: path, temporary: true, configuration: try #require(h.app.databases.configuration(for: .sqlite)))
            try await writer.database(logger: h.app.logger).writeTransaction { db in
                try await db.run("CREATE TABLE t (v INTEGER)", [])
            }
            await writer.shutdown()
            #expect(!FileManager.default.fileExists(atPath: path), "its private file is removed")
            await #expect(throws: DirectSQLiteError.self) {
                try await writer.database(logger: h.app.logger).writeTransaction { _ in }
            }
            try await h.app.batchWriterDB.writeTransaction { db in try await Self.contact("34600000009").create(on: db) }
            #expect(try await ContactRecord.query(on: h.app.db).filter(\.$waID == "34600000009").count() == 1)
        }
    }

    @Test func aFailedBatchLeavesNothingAndTheNextOneCommits() async throws {
        struct Refused: Error {}
        try await InboxHarness.with(.sqliteMemory) { h in
            let writer = h.app.batchWriterDB
            await #expect(throws: Refused.self) {
                try await writer.writeTransaction { db in
                    try await Self.contact("34600000001").create(on: db)
                    throw Refused()
                }
            }
            #expect(try await ContactRecord.query(on: h.app.db).filter(\.$waID == "34600000001").count() == 0)

            // A unique index refuses the second row: a database error, and the first is rolled back too.
            let error = await #expect(throws: (any Error).self) {
                try await writer.writeTransaction { db in
                    try await Self.contact("34600000002").create(on: db)
                    try await Self.contact("34600000002").create(on: db)
                }
            }
            #expect((error as? any DatabaseError)?.isConstraintFailure == true)
            #expect(try await ContactRecord.query(on: h.app.db).filter(\.$waID == "34600000002").count() == 0)

            try await writer.writeTransaction { db in try await Self.contact("34600000003").create(on: db) }
            #expect(try await ContactRecord.query(on: h.app.db).filter(\.$waID == "34600000003").count() == 1)
        }
    }

    @Test func theWriterIsUsedInsideATransactionOnly() async throws {
        try await InboxHarness.with(.sqliteMemory) { h in
            await #expect(throws: DirectSQLiteError.self) { try await ContactRecord.query(on: h.app.batchWriterDB).all() }
        }
    }

    /// More statement texts than the writer keeps prepared: each still answers its own query.
    @Test func statementsBeyondThePreparedCacheStillAnswerRight() async throws {
        try await InboxHarness.with(.sqliteMemory) { h in
            struct Row: Decodable { var v: Int }
            let sums = try await h.app.batchWriterDB.writeTransaction { db in
                var sums: [Int] = []
                for n in 0..<600 {
                    let row = try await db.sqlDatabase.raw("SELECT \(unsafeRaw: String(n)) + \(bind: 1000) AS v").first(decoding: Row.self)
                    sums.append(try #require(row).v)
                }
                return sums
            }
            #expect(sums == (0..<600).map { $0 + 1000 })
        }
    }

    /// Ids are stored as `uuidString` text: the writer's own formatting and parsing agree with Foundation's.
    @Test func idsAreWrittenAndReadAsFoundationDoes() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(id.storedText == id.uuidString)
            #expect(UUID(storedText: id.uuidString) == id)
            #expect(UUID(storedText: id.uuidString.lowercased()) == id)
            let other = UUID()
            #expect((id < other) == (id.storedText < other.storedText), "batches lock rows in id order, the order of their text")
        }
        let sample = UUID().uuidString
        for bad in ["", String(sample.dropLast()), sample + "0", sample.replacingOccurrences(of: "-", with: "_"),
                    "G" + sample.dropFirst(), String(sample.prefix(8)) + "0" + sample.dropFirst(9)] {
            #expect(UUID(storedText: bad) == nil && UUID(uuidString: bad) == nil, "\(bad)")
        }
    }
}
