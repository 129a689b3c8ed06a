import Fluent
import Foundation

/// A setting an admin changed from the console, overriding its environment variable.
final class InstallationSetting: Model, @unchecked Sendable {
    static let schema = "installation_settings"
    /// The warning lead in minutes (`VENTANA_WARNING_MINUTES` until set here).
    static let warningMinutes = "warning_minutes"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// The stored warning lead, if an admin set one.
    static func warningLead(on db: any Database) async throws -> TimeInterval? {
        guard let stored = try await find(warningMinutes, on: db), let minutes = Int(stored.value) else { return nil }
        return TimeInterval(minutes * 60)
    }
}

struct CreateInstallationSettings: AsyncMigration {
    var name: String { "2026-11-25-installation-settings" }

    func prepare(on database: any Database) async throws {
        try await database.schema(InstallationSetting.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InstallationSetting.schema).delete()
    }
}
