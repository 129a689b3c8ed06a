import Fluent
import Foundation
import Vapor
import WhatsAppCloud

/// The account's templates for sending and quoting, read from the template table (kept current
/// by syncs and Meta's webhooks); the first read of an empty table syncs it from Meta.
actor TemplateCatalog {
    private var primed = false

    func templates(request: Request) async throws -> [GraphTemplate] {
        if !primed {
            if try await TemplateRecord.query(on: request.db).count() == 0 {
                try await TemplateStore.sync(from: request.application.whatsApp, on: request.db, now: request.now)
            }
            primed = true
        }
        return try await TemplateRecord.query(on: request.db).sort(\.$name).sort(\.$language).all().map(\.graph)
    }
}

extension Application {
    private struct TemplateCatalogKey: StorageKey {
        typealias Value = TemplateCatalog
    }

    /// The shared template catalog (created when the application is configured).
    var templateCatalog: TemplateCatalog {
        if let existing = storage[TemplateCatalogKey.self] { return existing }
        let catalog = TemplateCatalog()
        storage[TemplateCatalogKey.self] = catalog
        return catalog
    }
}

/// Syncs templates from Meta every few minutes while the server runs.
final class TemplateSyncer: LifecycleHandler, Sendable {
    private let task: Task<Void, Never>

    init(every interval: TimeInterval, application: Application) {
        task = Task { [weak application] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(interval))
                guard !Task.isCancelled, let application else { return }
                do {
                    try await TemplateStore.sync(from: application.whatsApp, on: application.db, now: application.ventana.clock.now())
                } catch {
                    application.logger.warning("template sync failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
                }
            }
        }
    }

    func shutdownAsync(_ application: Application) async {
        // Wait for a run in flight: the databases close right after the handlers.
        task.cancel()
        await task.value
    }
}
