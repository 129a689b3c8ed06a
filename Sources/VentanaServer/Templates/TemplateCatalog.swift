import Foundation
import Vapor
import WhatsAppCloud

/// The account's templates as Meta lists them, kept for a minute so sends do not page
/// through Meta's list each time.
actor TemplateCatalog {
    private var cached: (at: Date, templates: [GraphTemplate])?
    private let lifetime: TimeInterval = 60

    func templates(request: Request) async throws -> [GraphTemplate] {
        let now = Date()
        if let cached, now.timeIntervalSince(cached.at) < lifetime { return cached.templates }
        do throws(GraphAPIError) {
            let fresh = try await request.application.whatsApp.templates()
            cached = (now, fresh)
            return fresh
        } catch {
            throw APIError(.badGateway, code: "whatsapp_unavailable", message: "the template list could not be read from WhatsApp: \(error.explanation.reason)")
        }
    }

    /// Forgets the cached list (after a submission or a status webhook).
    func invalidate() {
        cached = nil
    }
}

extension Application {
    private struct TemplateCatalogKey: StorageKey {
        typealias Value = TemplateCatalog
    }

    /// The shared template catalog.
    var templateCatalog: TemplateCatalog {
        if let existing = storage[TemplateCatalogKey.self] { return existing }
        let catalog = TemplateCatalog()
        storage[TemplateCatalogKey.self] = catalog
        return catalog
    }
}
