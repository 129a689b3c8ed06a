import Fluent
import Foundation
import NIOCore
import NIOPosix
import Testing
import Vapor
import VentanaCore
@testable import VentanaServer

/// The event stream over a real WebSocket.
@Suite("Event stream")
struct StreamTests {
    actor Inbox {
        var texts: [String] = []
        func add(_ text: String) { texts.append(text) }
        var count: Int { texts.count }
    }

    func connect(_ h: InboxHarness, token: String? = nil, ticket: String? = nil, since: Int? = nil, into inbox: Inbox) async throws -> WebSocket {
        var headers = HTTPHeaders()
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        let query = [since.map { "since=\($0)" }, ticket.map { "ticket=\($0)" }].compactMap { $0 }.joined(separator: "&")
        let url = "ws://127.0.0.1:\(h.url.port!)/api/v1/stream" + (query.isEmpty ? "" : "?" + query)
        let promise = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: WebSocket.self)
        WebSocket.connect(to: url, headers: headers, on: MultiThreadedEventLoopGroup.singleton) { socket in
            socket.onText { _, text in Task { await inbox.add(text) } }
            promise.succeed(socket)
        }.cascadeFailure(to: promise)
        return try await promise.futureResult.get()
    }

    @Test func eventsReachTheAgentsWhoMaySeeThemAndMissedOnesAreReplayed() async throws {
        try await InboxHarness.with { h in
            let (_, luis) = try await h.agent("luis@example.com")
            let (_, marta) = try await h.agent("marta@example.com")
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            let id = try #require(try await h.conversations().first?["id"] as? String)
            _ = try await h.call(.POST, "api/v1/conversations/\(id)/take", token: luis)

            let luisInbox = Inbox(), martaInbox = Inbox(), adminInbox = Inbox()
            let sockets = [
                try await connect(h, token: luis, into: luisInbox),
                try await connect(h, token: marta, into: martaInbox),
                try await connect(h, token: h.adminToken, into: adminInbox),
            ]
            try await Task.sleep(for: .milliseconds(200))
            h.clock.set(InboxHarness.start.addingTimeInterval(23 * 3_600))
            await h.app.scheduler.tick()
            #expect(try await eventually {
                let luisCount = await luisInbox.count
                let adminCount = await adminInbox.count
                return luisCount == 1 && adminCount == 1
            })
            let event = try #require(await luisInbox.texts.first)
            #expect(event.contains("\"state\":\"expiring\""))
            #expect(event.contains(id.lowercased()) || event.contains(id.uppercased()))
            try await Task.sleep(for: .milliseconds(200))
            let martaCount = await martaInbox.count
            #expect(martaCount == 0, "another agent's chat is not in Marta's stream")

            // A client that was away asks for what it missed.
            let late = Inbox()
            for socket in sockets { try await socket.close() }
            let again = try await connect(h, token: luis, since: 2, into: late)
            #expect(try await eventually { await late.count == 1 }, "event 1 is the new chat, 2 the take; event 3 was missed")
            #expect(await late.texts.first?.contains("\"seq\":3") == true)
            try await again.close()
        }
    }

    @Test func aStreamEndsWhenItsTokenIsRevoked() async throws {
        try await InboxHarness.with { h in
            let (_, luis) = try await h.agent("luis@example.com")
            let (martaID, marta) = try await h.agent("marta@example.com")
            let (_, ana) = try await h.agent("ana@example.com")
            let sockets = [
                try await connect(h, token: luis, into: Inbox()),
                try await connect(h, token: marta, into: Inbox()),
                try await connect(h, token: ana, into: Inbox()),
            ]
            #expect(try await eventually { await h.app.streamSessions.count == 3 })

            // Signing out closes the stream at once.
            #expect(try await h.call(.POST, "api/v1/auth/logout", token: luis).status == 204)
            #expect(try await eventually { sockets[0].isClosed })
            // So does disabling the agent.
            #expect(try await h.call(.POST, "api/v1/agents/\(martaID)/disable").status == 200)
            #expect(try await eventually { sockets[1].isClosed })
            // A token revoked elsewhere (another instance, the command line): the next sweep.
            try await AuthTokenRecord.query(on: h.app.db).filter(\.$tokenHash == AgentDirectory.hash(ana)).set(\.$revokedAt, to: h.clock.now()).update()
            #expect(!sockets[2].isClosed)
            await h.app.streamSessions.sweep(on: h.app.db)
            #expect(try await eventually { sockets[2].isClosed })
            #expect(await h.app.streamSessions.count == 0)
        }
    }

    @Test func theStreamNeedsASignedInAgent() async throws {
        try await InboxHarness.with { h in
            await #expect(throws: (any Error).self) {
                _ = try await self.connect(h, token: "vt_wrong", into: Inbox())
            }
        }
    }

    @Test func aBrowserOpensTheStreamWithAOneMinuteSingleUseTicket() async throws {
        try await InboxHarness.with { h in
            let issued = try await h.call(.POST, "api/v1/stream/tickets")
            let ticket = try #require(issued.json?["ticket"] as? String)
            let inbox = Inbox()
            let socket = try await connect(h, ticket: ticket, since: 0, into: inbox)
            try await h.inbound(from: "573001234567", at: InboxHarness.start)
            #expect(try await eventually { await inbox.count == 1 })
            try await socket.close()
            await #expect(throws: (any Error).self, "a ticket is used once") {
                _ = try await self.connect(h, ticket: ticket, into: Inbox())
            }
            let later = try await h.call(.POST, "api/v1/stream/tickets")
            let stale = try #require(later.json?["ticket"] as? String)
            let end = try #require(try await EventRecord.query(on: h.app.db).sort(\.$id, .descending).first()?.id)
            #expect(issued.json?["seq"] as? Int == 0 && later.json?["seq"] as? Int == end,
                    "each ticket says where the log ends, for a client that has seen nothing yet to resume from")
            h.clock.advance(by: 61)
            await #expect(throws: (any Error).self, "a ticket lasts a minute") {
                _ = try await self.connect(h, ticket: stale, into: Inbox())
            }
        }
    }
}
