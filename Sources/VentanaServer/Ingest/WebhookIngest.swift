import Fluent
import Foundation
import WhatsAppCloud

/// Where a verified, decoded webhook delivery goes. The webhook route acknowledges Meta only
/// after `ingest` returns, so whatever it stores is never lost.
public protocol WebhookIngest: Sendable {
    /// Stores one delivery, in one transaction, before returning the number of inbound
    /// messages it stored for the first time.
    @discardableResult
    func ingest(_ delivery: WebhookDelivery, body: Data, receivedAt: Date, on database: any Database) async throws -> Int
}
