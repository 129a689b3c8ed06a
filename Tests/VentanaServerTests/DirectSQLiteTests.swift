import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import Vapor
@testable import VentanaServer

/// SQLite's webhook writer talks to SQLite through its C interface, not SQLiteNIO: what it
/// writes must read back the same through the pool, and a failure must leave nothing behind.
@Suite("SQLite webhook writer")
struct DirectSQLiteTests {
    private static func contact(_ waID: String) -> ContactRecord {
        let contact = ContactRecord(waID: waID, name: "Ana Pérez", countryCode: "34", pricingMarket: "ES", createdAt: Date(timeIntervalSince1970: 1_767_225_600.25))
        contact.id = UUID.timeOrdered()
        return contact
    }

    @Test func whatTheWriterStoresReadsBackTheSameThroughThePool() async throws {
        try await InboxHarness.with(.sqliteMemory) { h in
            let writer = h.app.batchWriterDB
            #expect(!(writer is any SQLiteDatabase), "the writer is the direct connection, not SQLiteNIO's")
            let contact = Self.contact("34600111222")
            let chat = ConversationRecord(contactID: contact.id!, phoneNumberID: "106540352242922", at: Date(timeIntervalSince1970: 1_767_225_601.5))
            chat.id = UUID.timeOrdered()
            chat.closed = true
            chat.lastInboundAt = Date(timeIntervalSince1970: 1_767_225_602.125)
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
