import Fluent
import Foundation
import VentanaCore

/// Derives a chat's session from its stored facts: never a stored flag (SPEC §2.4).
enum ConversationSession {
    /// The session timeline of `conversation`, given its outbound templates since its last inbound.
    static func timeline(_ conversation: ConversationRecord, templates: [MessageRecord]) -> SessionTimeline {
        var timeline = SessionTimeline()
        if let at = conversation.lastInboundAt { timeline.apply(.inbound(at: at)) }
        if let at = conversation.lastReferralAt { timeline.apply(.inbound(at: at, referral: true)) }
        if let at = conversation.reEngagementAt { timeline.apply(.reEngagementRequired(at: at)) }
        for template in templates {
            let id = template.id?.uuidString ?? template.wamid ?? UUID().uuidString
            timeline.apply(.templateRequested(messageID: id, at: template.at))
            if let status = DeliveryStatus(rawValue: template.status), status != .queued {
                timeline.apply(.templateStatus(messageID: id, status: status, at: template.at, errorCode: template.errorCode))
            }
        }
        return timeline
    }

    /// The outbound templates that can decide the states of `conversations` (sent since each one's last inbound).
    static func templates(for conversations: [ConversationRecord], on database: any Database) async throws -> [UUID: [MessageRecord]] {
        let ids = conversations.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        let earliest = conversations.compactMap(\.lastInboundAt).min()
        var query = MessageRecord.query(on: database)
            .filter(\.$conversation.$id ~~ ids)
            .filter(\.$direction == MessageRecord.outbound)
            .filter(\.$kind == "template")
        if let earliest, conversations.allSatisfy({ $0.lastInboundAt != nil }) {
            query = query.filter(\.$at >= earliest)
        }
        let found = try await query.all()
        var byConversation: [UUID: [MessageRecord]] = [:]
        for message in found {
            let owner = message.$conversation.id
            let since = conversations.first { $0.id == owner }?.lastInboundAt ?? .distantPast
            if message.at >= since { byConversation[owner, default: []].append(message) }
        }
        return byConversation
    }

    /// The session snapshot of one conversation at `now`.
    static func snapshot(_ conversation: ConversationRecord, at now: Date, policy: SessionPolicy, on database: any Database) async throws -> SessionSnapshot {
        let templates = try await templates(for: [conversation], on: database)[conversation.id ?? UUID()] ?? []
        return timeline(conversation, templates: templates).snapshot(at: now, policy: policy)
    }
}
