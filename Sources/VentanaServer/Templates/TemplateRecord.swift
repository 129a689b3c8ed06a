import Fluent
import Foundation
import WhatsAppCloud

/// A message template as Ventana knows it: synced from Meta and kept current by Meta's
/// status, quality and category webhooks.
final class TemplateRecord: Model, @unchecked Sendable {
    static let schema = "templates"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "meta_id") var metaID: String?
    @Field(key: "name") var name: String
    @Field(key: "language") var language: String
    @Field(key: "category") var category: String
    @Field(key: "status") var status: String
    @Field(key: "components") var components: Data
    @OptionalField(key: "rejected_reason") var rejectedReason: String?
    @OptionalField(key: "quality") var quality: String?
    /// Set when Meta moved the template to another category (its price changed).
    @OptionalField(key: "previous_category") var previousCategory: String?
    @OptionalField(key: "category_changed_at") var categoryChangedAt: Date?
    /// Variables filled from the chat instead of typed: variable position (1-based, in send
    /// order) → field (`contact_name`, `contact_number`, `agent_name`), as JSON.
    @OptionalField(key: "bindings") var bindings: Data?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// The bindings, decoded.
    var variableBindings: [Int: TemplateBinding] {
        guard let bindings, let raw = try? JSONDecoder().decode([String: String].self, from: bindings) else { return [:] }
        var result: [Int: TemplateBinding] = [:]
        for (key, value) in raw {
            if let position = Int(key), let field = TemplateBinding(rawValue: value) { result[position] = field }
        }
        return result
    }

    /// The template in Meta's listing format.
    var graph: GraphTemplate {
        GraphTemplate(
            id: metaID ?? id?.uuidString ?? "", name: name, language: language, status: status, category: category,
            components: (try? JSONDecoder().decode([GraphTemplateComponent].self, from: components)) ?? [],
            rejectedReason: rejectedReason, qualityScore: quality.map { .init(score: $0) })
    }

    func update(from graph: GraphTemplate, at now: Date) {
        metaID = graph.id
        if category != "", category != graph.category.uppercased() {
            previousCategory = category
            categoryChangedAt = now
        }
        category = graph.category.uppercased()
        status = graph.status.uppercased()
        components = (try? JSONEncoder().encode(graph.components)) ?? Data("[]".utf8)
        rejectedReason = graph.rejectedReason
        quality = graph.qualityScore?.score
        updatedAt = now
    }
}

struct CreateTemplates: AsyncMigration {
    var name: String { "2026-11-25-templates" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TemplateRecord.schema)
            .id()
            .field("meta_id", .string)
            .field("name", .string, .required)
            .field("language", .string, .required)
            .field("category", .string, .required)
            .field("status", .string, .required)
            .field("components", .data, .required)
            .field("rejected_reason", .string)
            .field("quality", .string)
            .field("previous_category", .string)
            .field("category_changed_at", .datetime)
            .field("bindings", .data)
            .field("updated_at", .datetime, .required)
            .unique(on: "name", "language")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TemplateRecord.schema).delete()
    }
}

/// A chat field a template variable can be filled from.
enum TemplateBinding: String, Codable, CaseIterable, Sendable {
    case contactName = "contact_name"
    case contactNumber = "contact_number"
    case agentName = "agent_name"

    /// The field's value in a chat, sent by an agent; nil when the chat has none (a contact without a profile name).
    func value(contact: ContactRecord, agent: AgentRecord) -> String? {
        switch self {
        case .contactName: contact.name.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        case .contactNumber: "+" + contact.waID
        case .agentName: agent.name
        }
    }
}
