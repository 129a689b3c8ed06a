import AsyncHTTPClient
import Crypto
import Fluent
import SQLKit
import Foundation
import NIOCore
import Vapor
import VentanaCore

/// Delivers events to integrators' URLs: each POST signed with HMAC-SHA256 of the body
/// (`X-Ventana-Signature: sha256=<hex>`), retried with backoff — 10 s doubling to an hour — for
/// about a day, every attempt recorded.
actor WebhookDispatcher {
    /// Attempts before giving up (about 24 hours with the backoff below).
    static let maxAttempts = 30

    private let clock: any TimeSource
    private let database: @Sendable () -> any Database
    private let client: HTTPClient

    init(clock: any TimeSource, database: @escaping @Sendable () -> any Database, client: HTTPClient) {
        self.clock = clock
        self.database = database
        self.client = client
    }

    /// Queues each event for every endpoint, in one insert, on `db` — the transaction that
    /// stores the events, so an event stored is an event queued (and one rolled back is not).
    nonisolated func enqueue(_ events: [EventRecord], on db: any Database) async throws {
        guard !events.isEmpty else { return }
        // Read by hand (`HandSQL`): it runs in every webhook batch.
        let endpoints = try await db.run(#"SELECT "id" FROM "webhook_endpoints""#, []).map { try $0.uuid("id") }
        guard !endpoints.isEmpty else { return }
        let now = clock.now()
        var deliveries: [OutgoingDelivery] = []
        for event in events {
            guard let seq = event.id else { continue }
            for endpoint in endpoints {
                let delivery = OutgoingDelivery()
                delivery.endpointID = endpoint
                delivery.eventSeq = seq
                delivery.state = "pending"
                delivery.attempts = 0
                delivery.nextAttemptAt = now
                deliveries.append(delivery)
            }
        }
        try await deliveries.create(on: db)
    }

    /// Attempts every delivery that is due. Called every second, and by tests.
    func tick() async {
        for task in await startDue() { await task.value }
    }

    /// Starts what is due without waiting for it: the run loop's call, every second.
    func dispatch() async {
        _ = await startDue()
    }

    /// Waits for the endpoints being served: at shutdown, before the databases close.
    func drain() async {
        while let task = serving.values.first { await task.value }
    }

    /// The endpoints being served, each by one task going through its due deliveries in order.
    private var serving: [UUID: Task<Void, Never>] = [:]

    /// Starts a task for each endpoint with deliveries due that is not being served already,
    /// so a slow or dead endpoint holds up only its own deliveries — within a pass and across
    /// passes (its backlog is not even read while it is served). Each step reads the clock
    /// afresh: an attempt can take 10 s.
    private func startDue() async -> [Task<Void, Never>] {
        let db = database()
        let query = OutgoingDelivery.query(on: db).filter(\.$state == "pending").filter(\.$nextAttemptAt <= clock.now())
        if !serving.isEmpty { query.filter(\.$endpointID !~ Array(serving.keys)) }
        guard let due = try? await query.sort(\.$nextAttemptAt).limit(100).all() else { return [] }
        var started: [Task<Void, Never>] = []
        for (endpoint, deliveries) in Dictionary(grouping: due, by: \.endpointID) where serving[endpoint] == nil {
            let task = Task {
                for delivery in deliveries where await self.claim(delivery, now: self.clock.now(), on: db) {
                    await self.attempt(delivery, on: db)
                }
                self.serving[endpoint] = nil
            }
            serving[endpoint] = task
            started.append(task)
        }
        return started
    }

    /// Takes a due delivery for this instance by pushing its next attempt a minute ahead, only
    /// if it is still due (nobody else took it): of several instances, one POSTs. Compared as
    /// "still due", never as equal to the time read: SQLite keeps more digits than it gives back.
    private func claim(_ delivery: OutgoingDelivery, now: Date, on db: any Database) async -> Bool {
        guard let sql = db as? any SQLDatabase else { return true }
        struct Row: Decodable { var id: UUID }
        let taken = try? await sql.update(OutgoingDelivery.schema)
            .set("next_attempt_at", to: SQLBind(now.addingTimeInterval(60)))
            .where("id", .equal, SQLBind(delivery.id!))
            .where("state", .equal, SQLBind("pending"))
            .where("next_attempt_at", .lessThanOrEqual, SQLBind(now))
            .returning("id")
            .all(decoding: Row.self)
        return taken?.count == 1
    }

    private func attempt(_ delivery: OutgoingDelivery, on db: any Database) async {
        guard let endpoint = try? await WebhookEndpoint.find(delivery.endpointID, on: db),
              let event = try? await EventRecord.find(delivery.eventSeq, on: db),
              let body = try? JSONEncoder.ventana.encode(StreamController.EventView(event)) else { return }
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Ventana-Webhooks")
        request.headers.add(name: "X-Ventana-Event", value: event.kind)
        request.headers.add(name: "X-Ventana-Delivery", value: delivery.id!.uuidString)
        request.headers.add(name: "X-Ventana-Signature", value: Self.signature(of: body, secret: endpoint.secret))
        request.body = .bytes(ByteBuffer(data: body))
        let now: Date
        delivery.attempts += 1
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            now = clock.now()
            delivery.lastStatus = Int(response.status.code)
            delivery.lastError = nil
            if (200..<300).contains(response.status.code) {
                delivery.state = "delivered"
                delivery.deliveredAt = now
            }
        } catch {
            now = clock.now()
            delivery.lastStatus = nil
            delivery.lastError = String(describing: error).prefix(200).description
        }
        if delivery.state == "pending" {
            if delivery.attempts >= Self.maxAttempts {
                delivery.state = "failed"
            } else {
                delivery.nextAttemptAt = now.addingTimeInterval(Self.backoff(afterAttempt: delivery.attempts))
            }
        }
        try? await delivery.save(on: db)
    }

    /// 10 s after the first failure, doubling, at most an hour.
    static func backoff(afterAttempt attempts: Int) -> TimeInterval {
        min(10 * pow(2, Double(max(0, attempts - 1))), 3_600)
    }

    /// `sha256=` and the hex HMAC-SHA256 of the body under the endpoint's secret.
    static func signature(of body: Data, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}

/// Runs the dispatcher every second while the server runs.
final class DispatcherLoop: LifecycleHandler, Sendable {
    private let task: Task<Void, Never>

    init(_ dispatcher: WebhookDispatcher) {
        task = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                guard !Task.isCancelled else { return }
                await dispatcher.dispatch()
            }
        }
        self.dispatcher = dispatcher
    }

    private let dispatcher: WebhookDispatcher

    func shutdownAsync(_ application: Application) async {
        // Wait for attempts in flight: the databases close right after the handlers.
        task.cancel()
        await task.value
        await dispatcher.drain()
    }
}
