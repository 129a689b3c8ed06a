import Fluent
import Foundation
import VentanaCore
import WhatsAppCloud

/// Keeps the template table in step with Meta: full syncs through every page, and single
/// updates from status, quality and category webhooks.
enum TemplateStore {
    /// Replaces the local list with Meta's: new ones added, changed ones updated (a category
    /// change is recorded), ones Meta no longer lists removed. Returns how many Meta listed.
    @discardableResult
    static func sync(from provider: any WhatsAppProvider, on db: any Database, now: Date) async throws -> Int {
        let listed: [GraphTemplate]
        do throws(GraphAPIError) {
            listed = try await provider.templates()
        } catch {
            throw APIError(.badGateway, code: "whatsapp_unavailable", message: "the template list could not be read from WhatsApp: \(error.explanation.reason)")
        }
        // One sync at a time, across instances too: two that both found a template missing
        // would both insert it.
        try await db.writeTransaction { db in
            try await db.holdAdvisoryLock(syncLock)
            let existing = try await TemplateRecord.query(on: db).all()
            var byKey = Dictionary(existing.map { (key($0.name, $0.language), $0) }, uniquingKeysWith: { first, _ in first })
            for template in listed {
                let record = byKey.removeValue(forKey: key(template.name, template.language)) ?? {
                    let record = TemplateRecord()
                    record.name = template.name
                    record.language = template.language
                    record.category = ""
                    return record
                }()
                record.update(from: template, at: now)
                try await record.save(on: db)
            }
            // Only templates known before this sync began: one created meanwhile may not be listed yet.
            for gone in byKey.values where gone.status != TemplateStatus.draft.rawValue && gone.updatedAt < now {
                try await gone.delete(on: db)
            }
        }
        return listed.count
    }

    /// The PostgreSQL advisory lock syncs take (any fixed number).
    static let syncLock: Int64 = 0x56_45_4E_54_53_59_4E  // "VENTSYN"

    /// Applies a template webhook at once.
    static func apply(_ change: WebhookChangeValue, at now: Date, on db: any Database) async throws {
        switch change {
        case .templateStatus(let update):
            guard let record = try await find(update.messageTemplateName, update.messageTemplateLanguage, on: db) else { return }
            if let status = TemplateStatus(metaName: update.event) { record.status = status.rawValue }
            record.rejectedReason = update.event.uppercased() == "REJECTED" ? (update.rejectionInfo?.reason ?? update.reason) : nil
            record.metaID = update.messageTemplateID
            record.updatedAt = now
            try await record.save(on: db)
        case .templateQuality(let update):
            guard let record = try await find(update.messageTemplateName, update.messageTemplateLanguage, on: db) else { return }
            record.quality = update.newQualityScore
            record.updatedAt = now
            try await record.save(on: db)
        case .templateCategory(let update):
            // The notice of an impending change carries `correct_category`; only a done change moves the price.
            guard update.correctCategory == nil,
                  let record = try await find(update.messageTemplateName, update.messageTemplateLanguage, on: db),
                  record.category != update.newCategory.uppercased() else { return }
            record.previousCategory = record.category
            record.category = update.newCategory.uppercased()
            record.categoryChangedAt = now
            record.updatedAt = now
            try await record.save(on: db)
        case .messages, .other:
            break
        }
    }

    /// A template by name and language (`en-US` and `en_US` are the same language).
    static func find(_ name: String, _ language: String, on db: any Database) async throws -> TemplateRecord? {
        let normalised = TemplateLanguage(rawValue: language)?.rawValue ?? language
        return try await TemplateRecord.query(on: db).filter(\.$name == name).all()
            .first { (TemplateLanguage(rawValue: $0.language)?.rawValue ?? $0.language) == normalised }
    }

    private static func key(_ name: String, _ language: String) -> String {
        name + "|" + (TemplateLanguage(rawValue: language)?.rawValue ?? language)
    }
}
