import Fluent
import WhatsAppCloud
import Foundation
import Testing
import VentanaCore
@testable import VentanaServer

/// The inbox through its HTTP API, on SQLite and PostgreSQL.
@Suite("Inbox API")
struct InboxTests {
    static let databases = TestDatabases.all.map(\.kind)

    func harness(_ kind: String, _ body: (InboxHarness) async throws -> Void) async throws {
        let database = try #require(TestDatabases.all.first { $0.kind == kind })
        try await InboxHarness.with(database, body)
    }

    @Test(arguments: databases)
    func signingInAndOut(_ kind: String) async throws {
        try await harness(kind) { h in
            let me = try await h.call(.GET, "api/v1/me")
            #expect(me.status == 200)
            #expect(me.json?["role"] as? String == "admin")
            #expect(try await h.call(.GET, "api/v1/me", token: "vt_wrong").status == 401)
            #expect(try await h.call(.GET, "api/v1/conversations", token: "").status == 401)
            let wrong = try await h.call(.POST, "api/v1/auth/login", token: "", json: ["email": InboxHarness.adminEmail, "password": "nope"])
            #expect(wrong.status == 401)
            #expect(wrong.errorCode == "invalid_credentials")

            let (_, token) = try await h.agent("luis@example.com")
            #expect(try await h.call(.POST, "api/v1/auth/logout", token: token).status == 204)
            #expect(try await h.call(.GET, "api/v1/me", token: token).status == 401, "a revoked token no longer works")
        }
    }

    @Test func loginIsThrottledAfterFiveFailures() async throws {
        try await harness("sqlite") { h in
            for _ in 0..<5 {
                #expect(try await h.call(.POST, "api/v1/auth/login", token: "", json: ["email": "x@example.com", "password": "wrong-password"]).status == 401)
            }
            let refused = try await h.call(.POST, "api/v1/auth/login", token: "", json: ["email": "x@example.com", "password": "wrong-password"])
            #expect(refused.status == 429)
            #expect(refused.errorCode == "too_many_attempts")
            // Spaces or capitals around the same email are the same account to the throttle.
            #expect(try await h.call(.POST, "api/v1/auth/login", token: "", json: ["email": " X@example.com ", "password": "wrong-password"]).status == 429)
            // And the address is spent too, whatever email it tries next.
            #expect(try await h.call(.POST, "api/v1/auth/login", token: "", json: ["email": InboxHarness.adminEmail, "password": InboxHarness.adminPassword]).status == 429)
        }
    }

    @Test(arguments: databases)
    func anInboundOpensAChatInTheInboxWithItsSession(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", name: "Ana Gómez", at: InboxHarness.start)
            let inbox = try await h.conversations("view=inbox")
            #expect(inbox.count == 1)
            let chat = try #require(inbox.first)
            #expect(chat[path: "contact.wa_id"] as? String == "573001234567")
            #expect(chat[path: "contact.name"] as? String == "Ana Gómez")
            #expect(chat[path: "contact.market"] as? String == "CO")
            #expect(chat[path: "session.state"] as? String == "open")
            #expect(chat[path: "session.seconds_left"] as? Int == 86_400)
            #expect(chat[path: "session.can_send_text"] as? Bool == true)
            #expect(chat[path: "session.expires_at"] as? String == "2026-01-02T00:00:00Z")
            #expect(chat["assignee"] is NSNull)
        }
    }

    @Test(arguments: databases)
    func duplicatesAreStoredOnceAndALateOlderInboundNeverShortensTheWindow(_ kind: String) async throws {
        try await harness(kind) { h in
            let later = InboxHarness.start.addingTimeInterval(3_600)
            let id = try await h.inbound(from: "573001234567", at: later)
            try await h.inbound(from: "573001234567", at: later, id: id)  // Meta's retry
            try await h.inbound(from: "573001234567", at: InboxHarness.start)  // older, arriving late
            let chat = try #require(try await h.conversations().first)
            #expect(chat[path: "session.expires_at"] as? String == "2026-01-02T01:00:00Z")
            let messages = try await h.call(.GET, "api/v1/conversations/\(chat["id"] as! String)/messages").json?["items"] as? [[String: Any]]
            #expect(messages?.count == 2)
            #expect(try await MessageRecord.query(on: h.app.db).filter(\.$wamid == id).count() == 1)
        }
    }

    @Test(arguments: databases)
    func anAgentCannotReadAnotherAgentsChat(_ kind: String) async throws {
        try await harness(kind) { h in
            let (_, luis) = try await h.agent("luis@example.com")
            let (_, marta) = try await h.agent("marta@example.com")
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations("view=inbox", token: luis).first?["id"] as? String)
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis).status == 200)
            #expect(try await h.conversations("view=ongoing", token: luis).count == 1)
            #expect(try await h.conversations("view=inbox", token: marta).isEmpty)
            #expect(try await h.conversations("view=all", token: marta).isEmpty)
            let read = try await h.call(.GET, "api/v1/conversations/\(id)", token: marta)
            #expect(read.status == 403)
            #expect(try await h.call(.GET, "api/v1/conversations/\(id)/messages", token: marta).status == 403)
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/messages", token: marta, json: ["text": "hola"]).status == 403)
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/take", token: marta).status == 403)
            #expect(try await h.conversations("view=ongoing").count == 1, "supervisors and admins see every chat")
            #expect(try await h.call(.POST, "api/v1/agents", token: luis, json: ["email": "x@example.com", "name": "X", "role": "admin", "password": "password123"]).status == 403)
        }
    }

    @Test(arguments: databases)
    func textIsSentOnlyWhileTheWindowIsOpen(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 23 * 3_600)  // expiring
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "¡Hola Ana!"])
            #expect(sent.status == 201)
            #expect(sent.json?["status"] as? String == "queued")
            #expect((sent.json?["wamid"] as? String)?.hasPrefix("wamid.") == true)
            #expect(await h.sends().count == 1)

            h.clock.advance(by: 3_600)  // exactly at expires_at
            let refused = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "¿Sigues ahí?"])
            #expect(refused.status == 409)
            #expect(refused.errorCode == "session_expired")
            #expect(await h.sends().count == 1, "nothing reached WhatsApp")
            let messages = try await h.call(.GET, "api/v1/conversations/\(id)/messages").json?["items"] as? [[String: Any]]
            #expect(messages?.count == 2, "nothing was stored for the refused send")
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "   "]).status == 422)
        }
    }

    @Test(arguments: databases)
    func statusesMoveTheMessageAndAreKeptWhenTheyComeFirst(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola"])
            let wamid = try #require(sent.json?["wamid"] as? String)
            try await h.status("read", of: wamid, to: "573001234567", at: InboxHarness.start)
            try await h.status("delivered", of: wamid, to: "573001234567", at: InboxHarness.start)  // late, never downgrades
            let messages = try await h.call(.GET, "api/v1/conversations/\(id)/messages").json?["items"] as? [[String: Any]]
            #expect(messages?.first { $0["wamid"] as? String == wamid }?["status"] as? String == "read")

            // A status for a message not known yet is kept and applied when it is.
            try await h.status("delivered", of: "wamid.future", to: "573001234567", at: InboxHarness.start)
            #expect(try await PendingStatusRecord.query(on: h.app.db).count() == 1)
            let message = try #require(try await MessageRecord.query(on: h.app.db).filter(\.$wamid == wamid).first())
            let early = MessageRecord()
            early.$conversation.id = message.$conversation.id
            early.direction = MessageRecord.outbound
            early.kind = "text"
            early.status = "queued"
            early.wamid = "wamid.future"
            early.at = InboxHarness.start
            early.createdAt = InboxHarness.start
            try await early.create(on: h.app.db)
            try await StatusApplier.applyPending(to: early, on: h.app.db)
            #expect(try await MessageRecord.find(early.id, on: h.app.db)?.status == "delivered")
            #expect(try await PendingStatusRecord.query(on: h.app.db).count() == 0)
        }
    }

    @Test(arguments: databases)
    func a131047FromMetaClosesTheWindowAtOnce(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            await h.fake.state.closeWindow(for: "573001234567", synchronously: true)
            h.clock.advance(by: 60)
            let refused = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola"])
            #expect(refused.status == 409)
            #expect(refused.errorCode == "session_expired")
            let chat = try await h.call(.GET, "api/v1/conversations/\(id)")
            #expect(chat.json?[path: "session.state"] as? String == "expired")
            #expect(chat.json?[path: "session.can_resume"] as? Bool == true)
            let messages = try await h.call(.GET, "api/v1/conversations/\(id)/messages").json?["items"] as? [[String: Any]]
            let failed = try #require(messages?.first { $0["direction"] as? String == "outbound" })
            #expect(failed["status"] as? String == "failed")
            #expect(failed[path: "failure.code"] as? Int == 131_047)
            #expect(failed[path: "failure.next_step"] as? String == "resume with a template")
        }
    }

    @Test(arguments: databases)
    func templatesAreValidatedPricedAndResumeTheChat(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "447400123456", name: "Oliver", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 30 * 3_600)
            let notApproved = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "old_offer", "language": "es", "parameters": ["Oliver"]])
            #expect(notApproved.status == 422)
            #expect(notApproved.errorCode == "template_not_approved")
            let missing = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "nope", "language": "es", "parameters": []])
            #expect(missing.errorCode == "template_not_found")
            let wrongCount = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "follow_up", "language": "es", "parameters": ["Oliver"]])
            #expect(wrongCount.status == 422)
            #expect(wrongCount.errorCode == "parameter_count_mismatch")
            let empty = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "follow_up", "language": "es", "parameters": ["Oliver", " "]])
            #expect(empty.errorCode == "parameter_empty")
            #expect(await h.sends().isEmpty)

            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Oliver"]])
            #expect(sent.status == 202)
            #expect(sent.json?[path: "cost.amount"] as? String == "0.0635")
            #expect(sent.json?[path: "cost.currency"] as? String == "USD")
            #expect(sent.json?[path: "cost.market"] as? String == "GB")
            #expect(sent.json?[path: "cost.category"] as? String == "marketing")
            #expect(sent.json?[path: "message.text"] as? String == "Hola Oliver, hay oferta.")
            let chat = try await h.call(.GET, "api/v1/conversations/\(id)")
            #expect(chat.json?[path: "session.state"] as? String == "resuming")
            let wamid = try #require(sent.json?[path: "message.wamid"] as? String)
            try await h.status("sent", of: wamid, to: "447400123456", at: h.clock.now())
            #expect(try await h.call(.GET, "api/v1/conversations/\(id)").json?[path: "session.state"] as? String == "awaiting_reply")
        }
    }

    @Test(arguments: databases)
    func aRetriedIdempotencyKeySendsOnce(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            let body: [String: Any] = ["name": "follow_up", "language": "es", "parameters": ["Ana", "Luis"]]
            let first = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: body, headers: ["Idempotency-Key": "resume-1"])
            let again = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: body, headers: ["Idempotency-Key": "resume-1"])
            #expect(first.status == 202)
            #expect(again.status == 202, "\(String(decoding: again.body, as: UTF8.self))")
            #expect(again.body == first.body)
            #expect(await h.sends().count == 1, "one template reached WhatsApp")
            let reused = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Ana"]], headers: ["Idempotency-Key": "resume-1"])
            #expect(reused.status == 422)
            #expect(reused.errorCode == "idempotency_key_reused")

            // A refusal is an answer too: the retry gets the same refusal, and nothing is sent.
            let refusedOnce = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "old_offer", "language": "es", "parameters": ["Ana"]], headers: ["Idempotency-Key": "resume-2"])
            let refusedAgain = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "old_offer", "language": "es", "parameters": ["Ana"]], headers: ["Idempotency-Key": "resume-2"])
            #expect(refusedOnce.status == 422)
            #expect(refusedAgain.body == refusedOnce.body)
            #expect(await h.sends().count == 1)
            // The utility template inside the open window was free.
            #expect(first.json?[path: "cost.free_reason"] as? String == "window_open_utility")
        }
    }

    @Test func aConcurrentRetryWaitsForTheFirstAndNeverSendsTwice() async throws {
        try await harness("sqlite") { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            await h.fake.state.fail(.messages, with: .slow(seconds: 0.5))
            async let first = h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola"], headers: ["Idempotency-Key": "k"])
            try await Task.sleep(for: .milliseconds(150))
            let second = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola"], headers: ["Idempotency-Key": "k"])
            #expect(second.status == 409)
            #expect(second.errorCode == "idempotency_in_progress")
            #expect(try await first.status == 201)
            let third = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola"], headers: ["Idempotency-Key": "k"])
            #expect(third.status == 201)
            #expect(await h.sends().count == 1)
        }
    }

    @Test(arguments: databases)
    func listsComeInUrgencyOrderWithFiltersSearchAndCursors(_ kind: String) async throws {
        try await harness(kind) { h in
            let start = InboxHarness.start
            // Windows closing at +24 h, +2 h (expiring at now = +23 h) … built by inbound times.
            try await h.inbound(from: "573000000001", name: "Closed Long Ago", at: start.addingTimeInterval(-48 * 3_600))
            try await h.inbound(from: "573000000002", name: "Open Late", at: start.addingTimeInterval(3 * 3_600))
            try await h.inbound(from: "573000000003", name: "Expiring Soon", at: start.addingTimeInterval(-(23 * 3_600 + 1_800)))
            try await h.inbound(from: "573000000004", name: "Open Early", at: start.addingTimeInterval(3_600))
            try await h.inbound(from: "573000000005", name: "Closed Recently", at: start.addingTimeInterval(-25 * 3_600))
            let all = try await h.conversations()
            #expect(all.compactMap { $0[path: "contact.name"] as? String } == ["Expiring Soon", "Open Early", "Open Late", "Closed Recently", "Closed Long Ago"])
            #expect(all.compactMap { $0[path: "session.state"] as? String } == ["expiring", "open", "open", "expired", "expired"])

            #expect(try await h.conversations("view=all&state=open").count == 2)
            #expect(try await h.conversations("view=all&state=expiring").count == 1)
            #expect(try await h.conversations("view=all&state=expired").count == 2)
            #expect(try await h.conversations("view=all&q=early").compactMap { $0[path: "contact.name"] as? String } == ["Open Early"])
            #expect(try await h.conversations("view=all&q=573000000005").count == 1)
            #expect(try await h.conversations("view=all&q=%2B57%20300-000-0005").count == 1)
            #expect(try await h.conversations("view=all&q=CLOSED").count == 2)
            #expect(try await h.call(.GET, "api/v1/conversations?view=later").status == 400)
            #expect(try await h.call(.GET, "api/v1/conversations?state=closing").status == 400)
            #expect(try await h.call(.GET, "api/v1/conversations?cursor=garbage").status == 400)

            var names: [String] = []
            var cursor: String? = nil
            repeat {
                let page = try await h.call(.GET, "api/v1/conversations?view=all&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                names += (page.json?["items"] as? [[String: Any]] ?? []).compactMap { $0[path: "contact.name"] as? String }
                cursor = page.json?["next_cursor"] as? String
            } while cursor != nil
            #expect(names == all.compactMap { $0[path: "contact.name"] as? String })

            // Three open windows fill a page of three exactly: the next page starts the rest.
            let first = try await h.call(.GET, "api/v1/conversations?view=all&limit=3")
            #expect((first.json?["items"] as? [[String: Any]])?.count == 3)
            let rest = try #require(first.json?["next_cursor"] as? String)
            let second = try await h.call(.GET, "api/v1/conversations?view=all&limit=3&cursor=\(rest)")
            #expect((second.json?["items"] as? [[String: Any]] ?? []).compactMap { $0[path: "contact.name"] as? String } == ["Closed Recently", "Closed Long Ago"])
        }
    }

    @Test(arguments: databases)
    func aClosedStateFilterFillsItsPagesAndSearchTakesWildcardsLiterally(_ kind: String) async throws {
        try await harness(kind) { h in
            for (index, name) in ["Ana", "Bea", "Carla", "Dora"].enumerated() {
                try await h.inbound(from: "57300000000\(index)", name: name, at: InboxHarness.start.addingTimeInterval(Double(index) * 60))
            }
            h.clock.advance(by: 30 * 3_600)
            // The two latest chats are resumed: in activity order they come before the expired ones.
            for chat in try await h.conversations() where ["Carla", "Dora"].contains(chat[path: "contact.name"] as? String) {
                let sent = try await h.call(.POST, "api/v1/conversations/\(chat["id"] as! String)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Hola"]])
                #expect(sent.status == 202)
            }
            var pages: [[String]] = []
            var cursor: String?
            repeat {
                let page = try await h.call(.GET, "api/v1/conversations?view=all&state=expired&limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""))
                #expect(page.status == 200)
                pages.append((page.json?["items"] as? [[String: Any]] ?? []).compactMap { $0[path: "contact.name"] as? String })
                cursor = page.json?["next_cursor"] as? String
            } while cursor != nil && pages.count < 10
            #expect(pages == [["Bea"], ["Ana"]], "no empty page before the expired chats, and none after")
            let whole = try await h.call(.GET, "api/v1/conversations?view=all&state=expired&limit=2")
            #expect((whole.json?["items"] as? [[String: Any]] ?? []).compactMap { $0[path: "contact.name"] as? String } == ["Bea", "Ana"])
            #expect(whole.json?["next_cursor"] is NSNull || whole.json?["next_cursor"] == nil, "a page that ends with the last chat has no next page")

            try await h.inbound(from: "573000000009", name: "50% Off_Store!", at: h.clock.now())
            #expect(try await h.conversations("view=all&q=%25").compactMap { $0[path: "contact.name"] as? String } == ["50% Off_Store!"])
            #expect(try await h.conversations("view=all&q=_").compactMap { $0[path: "contact.name"] as? String } == ["50% Off_Store!"])
            #expect(try await h.conversations("view=all&q=a_a").isEmpty, "_ is not a wildcard (it would match Ana)")
            #expect(try await h.conversations("view=all&q=store!").count == 1)
        }
    }

    @Test(arguments: databases)
    func aStateFilterReadsPastAWholeChunkOfOtherChats(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "447400000001", name: "Early A", at: InboxHarness.start)
            try await h.inbound(from: "447400000002", name: "Early B", at: InboxHarness.start.addingTimeInterval(60))
            h.clock.advance(by: 30 * 3_600)
            for chat in try await h.conversations() {
                let sent = try await h.call(.POST, "api/v1/conversations/\(chat["id"] as! String)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Hola"]])
                #expect(sent.status == 202)
            }
            let resumed = try #require(try await h.conversations().first?[path: "session.state"] as? String)
            // More chats than one chunk, with later activity, in another (expired) state.
            h.clock.advance(by: 3_600)
            let later = h.clock.now()
            let count = ConversationController.closedChunk + 5
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count { group.addTask { try await h.inbound(from: "57310\(String(format: "%07d", index))", at: later) } }
                try await group.waitForAll()
            }
            h.clock.advance(by: 30 * 3_600)
            let page = try await h.call(.GET, "api/v1/conversations?view=all&state=\(resumed)&limit=2")
            #expect((page.json?["items"] as? [[String: Any]] ?? []).compactMap { $0[path: "contact.name"] as? String }.sorted() == ["Early A", "Early B"])
            #expect(page.json?["next_cursor"] is NSNull || page.json?["next_cursor"] == nil)
            let expired = try await h.call(.GET, "api/v1/conversations?view=all&state=expired&limit=200")
            #expect((expired.json?["items"] as? [[String: Any]])?.count == count)
        }
    }

    /// A state filter reads at most `closedScanLimit` chats per request: a page cut short there
    /// still has a cursor, and the next page goes on from where it stopped.
    @Test(arguments: databases)
    func aStateFilterStopsAtItsScanLimitWithACursor(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "447400000001", name: "Early", at: InboxHarness.start)
            h.clock.advance(by: 30 * 3_600)
            let early = try #require(try await h.conversations().first?["id"] as? String)
            #expect(try await h.call(.POST, "api/v1/conversations/\(early)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Hola"]]).status == 202)
            // More expired chats than the limit, all with later activity: stored directly.
            let count = ConversationController.closedScanLimit + 50
            let later = h.clock.now().addingTimeInterval(60)
            var contacts: [SQLValue] = []
            var chats: [ConversationRecord] = []
            for index in 0..<count {
                let contact = UUID.timeOrdered(), waID = "57320\(String(format: "%07d", index))"
                contacts += [.uuid(contact), .text(waID), .text(nil), .text("57"), .text("CO"), .text(waID), .date(later)]
                let chat = ConversationRecord(contactID: contact, phoneNumberID: "106540352242922", at: later)
                chat.id = UUID.timeOrdered()
                chat.lastInboundAt = later
                chat.expiresAt = later.addingTimeInterval(24 * 3_600)
                chats.append(chat)
            }
            try await h.app.db.writeTransaction { [contacts, chats] db in
                try await db.run("""
                    INSERT INTO "contacts" ("id", "wa_id", "name", "country_code", "pricing_market", "search_key", "created_at")
                    VALUES \(HandSQL.rows(count, columns: 7))
                    """, contacts)
                try await BulkInsert.saveWindows(of: chats, routing: true, on: db)
            }
            h.clock.advance(by: 30 * 3_600)
            let first = try await h.call(.GET, "api/v1/conversations?view=all&state=resuming&limit=2")
            #expect(first.status == 200)
            #expect((first.json?["items"] as? [[String: Any]])?.isEmpty == true, "the limit is reached before the resumed chat")
            let cursor = try #require(first.json?["next_cursor"] as? String)
            let second = try await h.call(.GET, "api/v1/conversations?view=all&state=resuming&limit=2&cursor=\(cursor)")
            #expect((second.json?["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } == [early])
            #expect(second.json?["next_cursor"] is NSNull || second.json?["next_cursor"] == nil)
        }
    }

    @Test(arguments: databases)
    func deliveriesArrivingTogetherAreStoredAsTheyWouldBeOneByOne(_ kind: String) async throws {
        try await harness(kind) { h in
            // A taken chat, and a closed one, before the burst.
            try await h.inbound(from: "573000000001", name: "Taken", at: InboxHarness.start)
            try await h.inbound(from: "573000000002", name: "Closed", at: InboxHarness.start)
            let (agentID, agentToken) = try await h.agent("ana@example.com")
            let chats = try await h.conversations()
            let taken = try #require(chats.first { $0[path: "contact.name"] as? String == "Taken" }?["id"] as? String)
            let closed = try #require(chats.first { $0[path: "contact.name"] as? String == "Closed" }?["id"] as? String)
            #expect(try await h.call(.POST, "api/v1/conversations/\(taken)/take", token: agentToken).status == 200)
            #expect(try await h.call(.POST, "api/v1/conversations/\(closed)/close").status == 200)

            // Twenty deliveries at once, so that several share a transaction: a new contact in
            // two of them under two names, one message delivered twice, the taken chat, the
            // closed chat, and new chats.
            let at = InboxHarness.start.addingTimeInterval(600)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await h.inbound(from: "573000000003", name: "Nueva", at: at) }
                group.addTask { try await h.inbound(from: "573000000003", name: "Nueva Gómez", at: at.addingTimeInterval(5)) }
                group.addTask { try await h.inbound(from: "573000000004", at: at, id: "wamid.twice") }
                group.addTask { try await h.inbound(from: "573000000004", at: at, id: "wamid.twice") }
                group.addTask { try await h.inbound(from: "573000000001", name: "Taken", at: at) }
                group.addTask { try await h.inbound(from: "573000000002", name: "Closed", at: at) }
                for index in 10..<24 { group.addTask { try await h.inbound(from: "5730000000\(index)", at: at) } }
                try await group.waitForAll()
            }
            let all = try await h.conversations("view=all&limit=100")
            #expect(all.count == 18, "one chat per contact: the closed one re-opened, not doubled")
            let byName = Dictionary(all.map { ($0[path: "contact.wa_id"] as! String, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byName["573000000001"]?[path: "assignee.id"] as? String == agentID, "a message never undoes a take")
            #expect(byName["573000000002"]?["id"] as? String == closed)
            #expect(byName["573000000002"]?["assignee"] is NSNull, "the re-opened chat is back in the inbox")
            let renamed = byName["573000000003"]?[path: "contact.name"] as? String
            #expect(renamed == "Nueva Gómez" || renamed == "Nueva", "the contact is created once, with one of its names")
            #expect(try await ContactRecord.query(on: h.app.db).filter(\.$waID == "573000000003").count() == 1)
            #expect(try await MessageRecord.query(on: h.app.db).filter(\.$wamid == "wamid.twice").count() == 1)
            #expect(try await MessageRecord.query(on: h.app.db).filter(\.$direction == MessageRecord.inbound).count() == 21)
            // Every stored delivery's chat has its events, each recorded once.
            let events = try await EventRecord.query(on: h.app.db).all()
            let numbers = events.compactMap(\.id)
            #expect(Set(numbers).count == numbers.count)
            for chat in all {
                let id = UUID(uuidString: chat["id"] as! String)!
                #expect(events.contains { $0.conversationID == id && $0.kind == EventKind.sessionChanged.rawValue })
            }
        }
    }

    @Test(arguments: databases)
    func aNewProfileNameRenamesTheContactAndAnEmptyOneKeepsIt(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", name: "Ana", at: InboxHarness.start)
            try await h.inbound(from: "573001234567", name: "Ana María Pérez", at: InboxHarness.start.addingTimeInterval(60))
            try await h.inbound(from: "573001234567", name: "", at: InboxHarness.start.addingTimeInterval(120))
            let chats = try await h.conversations()
            #expect(chats.count == 1)
            #expect(chats.first?[path: "contact.name"] as? String == "Ana María Pérez")
            #expect(try await h.conversations("view=all&q=maria%20perez").count == 1, "search follows the new name, accents folded")
            #expect(try await ContactRecord.query(on: h.app.db).count() == 1)
        }
    }

    @Test(arguments: databases)
    func anAcknowledgedDeliveryHasItsEventAndOutgoingDeliveriesStored(_ kind: String) async throws {
        try await harness(kind) { h in
            let created = try await h.call(.POST, "api/v1/webhooks", json: ["url": "http://127.0.0.1:9/hook", "secret": "integration-secret-123"])
            #expect(created.status == 201)
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            // Stored in the delivery's own transaction: there when the 200 is, with no tick in between.
            let chat = try #require(try await ConversationRecord.query(on: h.app.db).first())
            let events = try await EventRecord.query(on: h.app.db).filter(\.$conversationID == chat.id!).all()
            #expect(events.map(\.kind) == [EventKind.sessionChanged.rawValue])
            #expect(events.first?.state == "open")
            let queued = try await OutgoingDelivery.query(on: h.app.db).all()
            #expect(queued.map(\.eventSeq) == events.compactMap(\.id))
            #expect(queued.first?.state == "pending")
        }
    }

    @Test(arguments: databases)
    func aClosedChatReopensIntoTheInboxOrBackToTheTemplatesSender(_ kind: String) async throws {
        try await harness(kind) { h in
            let (luisID, luis) = try await h.agent("luis@example.com")
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/close", token: luis)
            #expect(try await h.conversations("view=inbox").isEmpty)
            try await h.inbound(from: "573001234567", at: InboxHarness.start.addingTimeInterval(60))
            #expect(try await h.conversations("view=inbox").first?["id"] as? String == id, "re-opened into the inbox")

            _ = try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis)
            h.clock.advance(by: 30 * 3_600)
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", token: luis, json: ["name": "follow_up", "language": "es", "parameters": ["Ana", "Luis"]])
            let wamid = try #require(sent.json?[path: "message.wamid"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/close", token: luis)
            try await h.inbound(from: "573001234567", text: "Sí", at: h.clock.now(), replyingTo: wamid)
            let chat = try await h.call(.GET, "api/v1/conversations/\(id)", token: luis)
            #expect(chat.json?[path: "assignee.id"] as? String == luisID, "the answer to a template goes back to its sender")
            #expect(chat.json?[path: "session.state"] as? String == "open")
        }
    }

    @Test(arguments: databases)
    func aTemplateSentFromTheInboxOrIntoAClosedChatMakesTheChatTheSenders(_ kind: String) async throws {
        try await harness(kind) { h in
            let (yoID, yo) = try await h.agent("yo@example.com")
            let (xeID, xe) = try await h.agent("xe@example.com")
            let (_, boss) = try await h.agent("boss@example.com", role: "supervisor")
            try await h.inbound(from: "573001111111", name: "Inbox", at: InboxHarness.start)
            try await h.inbound(from: "573002222222", name: "Closed", at: InboxHarness.start)
            try await h.inbound(from: "573003333333", name: "Held", at: InboxHarness.start)
            func chat(_ name: String) async throws -> String {
                try #require(try await h.conversations().first { ($0["contact"] as? [String: Any])?["name"] as? String == name }?["id"] as? String)
            }
            let inbox = try await chat("Inbox"), closed = try await chat("Closed"), held = try await chat("Held")
            #expect(try await h.call(.POST, "api/v1/conversations/\(closed)/take", token: xe).status == 200)
            #expect(try await h.call(.POST, "api/v1/conversations/\(closed)/close", token: xe).status == 200)
            #expect(try await h.call(.POST, "api/v1/conversations/\(held)/take", token: xe).status == 200)
            h.clock.advance(by: 30 * 3_600)
            let template: [String: Any] = ["name": "spring_offer", "language": "es", "parameters": ["Ana"]]

            // From the shared inbox: the chat waits in the sender's ongoing list, and the answer comes back to them.
            let sent = try await h.call(.POST, "api/v1/conversations/\(inbox)/templates", token: yo, json: template)
            #expect(sent.status == 202)
            #expect(try await h.conversations("view=inbox").isEmpty)
            #expect(try await h.conversations("view=ongoing", token: yo).map { $0["id"] as? String } == [inbox])
            let wamid = try #require(sent.json?[path: "message.wamid"] as? String)
            try await h.inbound(from: "573001111111", text: "Sí", at: h.clock.now(), replyingTo: wamid)
            let answered = try await h.call(.GET, "api/v1/conversations/\(inbox)", token: yo)
            #expect(answered.json?[path: "assignee.id"] as? String == yoID)
            #expect(answered.json?[path: "session.state"] as? String == "open")

            // Resuming one's own closed chat re-opens it into one's ongoing list.
            #expect(try await h.call(.POST, "api/v1/conversations/\(closed)/templates", token: xe, json: template).status == 202)
            let resumed = try await h.call(.GET, "api/v1/conversations/\(closed)", token: xe)
            #expect(resumed.json?["closed"] as? Bool == false)
            #expect(try await h.conversations("view=ongoing", token: xe).contains { $0["id"] as? String == closed })

            // A chat another agent holds stays theirs when a supervisor sends into it.
            #expect(try await h.call(.POST, "api/v1/conversations/\(held)/templates", token: boss, json: template).status == 202)
            #expect(try await h.call(.GET, "api/v1/conversations/\(held)").json?[path: "assignee.id"] as? String == xeID)
        }
    }

    @Test(arguments: databases)
    func anAgentsTextReplyIsTheChatsLatestActivity(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 600)
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola"]).status == 201)
            let chat = try await h.call(.GET, "api/v1/conversations/\(id)")
            #expect(chat.json?["last_message_at"] as? String == "2026-01-01T00:10:00Z")
        }
    }

    @Test(arguments: databases)
    func aDisabledAgentsChatsGoBackToTheInbox(_ kind: String) async throws {
        try await harness(kind) { h in
            let (zoeID, zoe) = try await h.agent("zoe@example.com")
            try await h.inbound(from: "573001111111", name: "Held", at: InboxHarness.start)
            try await h.inbound(from: "573002222222", name: "Resumed", at: InboxHarness.start)
            func chat(_ name: String) async throws -> String {
                try #require(try await h.conversations().first { ($0["contact"] as? [String: Any])?["name"] as? String == name }?["id"] as? String)
            }
            let held = try await chat("Held"), resumed = try await chat("Resumed")
            #expect(try await h.call(.POST, "api/v1/conversations/\(held)/take", token: zoe).status == 200)
            h.clock.advance(by: 30 * 3_600)
            let sent = try await h.call(.POST, "api/v1/conversations/\(resumed)/templates", token: zoe, json: ["name": "spring_offer", "language": "es", "parameters": ["Ana"]])
            let wamid = try #require(sent.json?[path: "message.wamid"] as? String)
            #expect(try await h.call(.POST, "api/v1/conversations/\(resumed)/close", token: zoe).status == 200)

            #expect(try await h.call(.POST, "api/v1/agents/\(zoeID)/disable").status == 200)
            #expect(try await h.call(.GET, "api/v1/conversations/\(held)").json?["assignee"] is NSNull)
            #expect(try await h.conversations("view=inbox").map { $0["id"] as? String } == [held])
            let events = try await EventRecord.query(on: h.app.db).filter(\.$kind == EventKind.conversationAssigned.rawValue).all()
            #expect(events.contains { $0.conversationID.uuidString == held && $0.previousAssigneeID?.uuidString == zoeID && $0.assigneeID == nil })

            // The answer to her template re-opens the chat into the inbox, not to her.
            try await h.inbound(from: "573002222222", text: "Sí", at: h.clock.now(), replyingTo: wamid)
            let answered = try await h.call(.GET, "api/v1/conversations/\(resumed)")
            #expect(answered.json?["closed"] as? Bool == false)
            #expect(answered.json?["assignee"] is NSNull)
        }
    }

    @Test(arguments: databases)
    func badQueriesAndBodiesAreRefusedInTheAPIsOwnWords(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            for query in ["limit=abc", "limit=0", "limit=201", "limit=1.5"] {
                let refused = try await h.call(.GET, "api/v1/conversations?\(query)")
                #expect(refused.status == 400 && refused.errorCode == "invalid_limit", "\(query)")
                #expect(try await h.call(.GET, "api/v1/conversations/\(id)/messages?\(query)").errorCode == "invalid_limit")
            }
            #expect(try await h.call(.GET, "api/v1/conversations?limit=1").status == 200)
            #expect(try await h.call(.GET, "api/v1/pricing/quote?wa_id=573001234567&template=follow_up&language=es&conversation_id=nope").errorCode == "invalid_conversation_id")

            func message(_ reply: InboxHarness.Reply) -> String? { (reply.json?["error"] as? [String: Any])?["message"] as? String }
            let cases: [(String, [String: Any], String)] = [
                ("api/v1/conversations/\(id)/assign", ["agent_id": "nope"], "agent_id has a value that is not allowed"),
                ("api/v1/conversations/\(id)/templates", ["name": "follow_up"], "language is required"),
                ("api/v1/conversations/\(id)/templates", ["name": "follow_up", "language": "es", "parameters": [1, 2]], "parameters[0] must be a string"),
                ("api/v1/conversations/\(id)/messages", ["text": 5], "text must be a string"),
                ("api/v1/agents", ["email": "a@b.co", "name": "A", "role": "boss", "password": "password-123"], "role has a value that is not allowed"),
            ]
            for (path, body, expected) in cases {
                let refused = try await h.call(.POST, path, json: body)
                #expect(refused.status == 400 && refused.errorCode == "invalid_body", "\(path)")
                #expect(message(refused) == "the request body is not the expected JSON: " + expected)
            }
            #expect(try await h.call(.GET, "api/v1/conversations/\(id)").json?["assignee"] is NSNull, "nothing changed")
            #expect(try await MessageRecord.query(on: h.app.db).filter(\.$direction == MessageRecord.outbound).count() == 0, "nothing sent")
        }
    }

    @Test(arguments: databases)
    func aContactReturningToAClosedChatIsAStateChange(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            #expect(try await h.call(.POST, "api/v1/conversations/\(id)/close").status == 200)
            h.clock.advance(by: 25 * 3_600)
            await h.app.scheduler.tick()
            try await h.inbound(from: "573001234567", text: "¿Hola?", at: h.clock.now())
            let last = try #require(try await EventRecord.query(on: h.app.db).sort(\.$id, .descending).first())
            #expect(last.conversationID.uuidString == id)
            #expect(last.kind == EventKind.sessionChanged.rawValue && last.state == "open", "expired while closed, open again: agents are told")
        }
    }

    @Test func aRestartFailsSendsThatNeverGotAnAnswer() async throws {
        try await harness("sqlite") { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let conversation = try #require(try await ConversationRecord.query(on: h.app.db).first())
            let stuck = MessageRecord()
            stuck.$conversation.id = conversation.id!
            stuck.direction = MessageRecord.outbound
            stuck.kind = "text"
            stuck.status = "queued"
            stuck.at = InboxHarness.start
            stuck.createdAt = InboxHarness.start
            try await stuck.create(on: h.app.db)
            try await OutboxRecovery.run(on: h.app.db, now: h.clock.now().addingTimeInterval(60), logger: h.app.logger)
            #expect(try await MessageRecord.find(stuck.id, on: h.app.db)?.status == "queued", "a send another instance may still have in flight is left alone")
            try await OutboxRecovery.run(on: h.app.db, now: h.clock.now().addingTimeInterval(OutboxRecovery.settleTime + 1), logger: h.app.logger)
            let after = try #require(try await MessageRecord.find(stuck.id, on: h.app.db))
            #expect(after.status == "failed")
            #expect(after.errorReason == OutboxRecovery.interruptedReason)
        }
    }

    @Test func aKeyWhoseRequestARestartInterruptedGetsAnAnswer() async throws {
        try await harness("sqlite") { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            let path = "/api/v1/conversations/\(id)/messages"
            let body = try JSONSerialization.data(withJSONObject: ["text": "Hola"])
            let admin = try #require(try await AgentRecord.query(on: h.app.db).first()?.id)
            // As a crash leaves it: reserved, never answered.
            try await IdempotencyRecord(agentID: admin, key: "k-1", requestHash: Idempotency.fingerprint(path: path, body: body),
                                        status: Idempotency.inProgress, body: Data(), createdAt: h.clock.now()).create(on: h.app.db)
            let retry = { try await h.call(.POST, String(path.dropFirst()), json: ["text": "Hola"], headers: ["Idempotency-Key": "k-1"]) }
            #expect(try await retry().errorCode == "idempotency_in_progress")
            try await OutboxRecovery.run(on: h.app.db, now: h.clock.now().addingTimeInterval(60), logger: h.app.logger)
            #expect(try await retry().errorCode == "idempotency_in_progress", "a request another instance may still be running is left alone")
            try await OutboxRecovery.run(on: h.app.db, now: h.clock.now().addingTimeInterval(OutboxRecovery.settleTime + 1), logger: h.app.logger)
            let answered = try await retry()
            #expect(answered.status == 409 && answered.errorCode == "idempotency_interrupted")
            #expect(await h.sends().isEmpty, "nothing sent by the retries")
        }
    }

    @Test(arguments: databases)
    func metaSayingSentOverridesAFailureVentanaOnlyAssumed(_ kind: String) async throws {
        try await harness(kind) { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            h.clock.advance(by: 30 * 3_600)
            let sent = try await h.call(.POST, "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Ana"]])
            #expect(sent.status == 202)
            // As a crash leaves it: queued, Meta's answer never stored; then a restart gives up on it.
            let message = try #require(try await MessageRecord.query(on: h.app.db).filter(\.$kind == "template").first())
            message.status = "queued"
            message.wamid = nil
            try await message.save(on: h.app.db)
            let failedChats = try await OutboxRecovery.run(on: h.app.db, now: h.clock.now().addingTimeInterval(OutboxRecovery.settleTime + 1), logger: h.app.logger)
            #expect(failedChats.map { $0.uuidString } == [id])
            await h.app.scheduler.touched(failedChats)  // as the server does with what recovery returns
            let announced = try #require(try await EventRecord.query(on: h.app.db).sort(\.$id, .descending).first())
            #expect(announced.kind == EventKind.sessionChanged.rawValue && announced.state == "resuming" && announced.failureCode == SessionSnapshot.unconfirmedFailure,
                    "the failed Resume is announced, though Meta gave no code")
            #expect(try await h.call(.GET, "api/v1/conversations/\(id)").json?[path: "session.failure.reason"] as? String == "WhatsApp did not confirm the template")
            func entry() async throws -> LedgerEntry {
                try #require(try await LedgerEntry.query(on: h.app.db).filter(\.$messageID == message.id!).first())
            }
            #expect(try await entry().state == "void")
            let failed = try await h.call(.GET, "api/v1/conversations/\(id)/messages")
            let shown = try #require((failed.json?["items"] as? [[String: Any]])?.first { $0["id"] as? String == message.id!.uuidString })
            #expect(shown[path: "failure.reason"] as? String == OutboxRecovery.interruptedReason, "the agent sees why")
            #expect(shown[path: "failure.code"] == nil)
            #expect(try await h.call(.GET, "api/v1/conversations/\(id)").json?[path: "session.state"] as? String == "resuming")

            // It had reached WhatsApp: Meta's status, carrying Ventana's callback data, says so.
            let update = MessageStatus.simulated(id: "wamid.reached", status: "sent", recipientID: "573001234567", at: h.clock.now(), isTemplate: true,
                                                 errorCode: nil, callbackData: message.id!.uuidString, templateCategory: "marketing")
            let delivery = WebhookDelivery.statusUpdate(businessAccountID: "102290129340398", phoneNumberID: "106540352242922", displayPhoneNumber: "15550783881", status: update)
            #expect(try await WebhookPoster.post(delivery, to: h.url.appendingPathComponent("webhooks/whatsapp"), appSecret: "fixture-app-secret", client: .shared) == 200)
            let after = try #require(try await MessageRecord.find(message.id, on: h.app.db))
            #expect(after.status == "sent")
            #expect(after.wamid == "wamid.reached")
            #expect(after.errorReason == nil)
            #expect(try await entry().state == "confirmed", "charged after all")
            #expect(try await entry().amount == entry().quotedAmount)
            #expect(try await h.call(.GET, "api/v1/conversations/\(id)").json?[path: "session.state"] as? String == "awaiting_reply")

            // A failure Meta itself reported stays: a later status never turns it back.
            try await h.status("failed", of: "wamid.reached", to: "573001234567", at: h.clock.now(), errorCode: 131_026)
            try await h.status("delivered", of: "wamid.reached", to: "573001234567", at: h.clock.now())
            #expect(try await MessageRecord.find(message.id, on: h.app.db)?.status == "failed")
        }
    }

    @Test func metricsCountWebhooksMessagesSendsAndChatsByState() async throws {
        try await harness("sqlite") { h in
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            try await h.inbound(from: "573009999999", at: InboxHarness.start.addingTimeInterval(-30 * 3_600))
            let id = try #require(try await h.conversations("view=all&state=open").first?["id"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/messages", json: ["text": "Hola"])
            _ = try await WebhookPoster.post(body: Data("{}".utf8), to: h.url.appendingPathComponent("webhooks/whatsapp"), signature: nil, client: .shared)
            let text = String(decoding: try await h.call(.GET, "metrics", token: "").body, as: UTF8.self)
            #expect(text.contains("ventana_webhooks_received_total 2"))
            #expect(text.contains("ventana_webhooks_refused_total{reason=\"signature\"} 1"))
            #expect(text.contains("ventana_messages_in_total 2"))
            #expect(text.contains("ventana_sends_total{outcome=\"accepted\"} 1"))
            #expect(text.contains("ventana_chats{state=\"open\"} 1"))
            #expect(text.contains("ventana_chats{state=\"expired\"} 1"))
        }
    }
}
