import Fluent
import Vapor
import VentanaCore

/// `GET /api/v1/settings`: how this installation runs (warning lead, pricing model, WhatsApp
/// provider). `PUT /api/v1/settings`: admins change the warning lead without a restart; every
/// instance takes it up within seconds and works out every chat's next alert again.
struct SettingsController: RouteCollection {
    struct SettingsView: Content {
        var warningMinutes: Int
        var pricingModel: String
        /// `cloud` (Meta's Cloud API) or `sandbox`.
        var provider: String
    }

    struct UpdateInput: Content {
        var warningMinutes: Int
    }

    func boot(routes: any RoutesBuilder) throws {
        let settings = routes.grouped(AgentAuthenticator()).grouped("settings")
        settings.get(use: show)
        settings.put(use: update)
    }

    @Sendable
    func show(request: Request) async throws -> SettingsView {
        _ = try request.signedIn
        return view(request)
    }

    @Sendable
    func update(request: Request) async throws -> SettingsView {
        try request.require(.admin)
        let input = try request.content.decode(UpdateInput.self)
        guard (1...1439).contains(input.warningMinutes) else {
            throw APIError(.unprocessableEntity, code: "invalid_warning_minutes", message: "the warning lead is 1 to 1439 minutes (less than the 24-hour window)")
        }
        let setting = try await InstallationSetting.find(InstallationSetting.warningMinutes, on: request.db) ?? InstallationSetting()
        setting.id = InstallationSetting.warningMinutes
        setting.value = String(input.warningMinutes)
        setting.updatedAt = request.now
        try await setting.save(on: request.db)
        await request.application.scheduler.policyChanged(to: SessionPolicy(warningLead: TimeInterval(input.warningMinutes * 60)))
        return view(request)
    }

    private func view(_ request: Request) -> SettingsView {
        let configuration = request.application.ventana.configuration
        let provider = switch configuration.whatsApp {
        case .sandbox: "sandbox"
        default: "cloud"
        }
        return SettingsView(
            warningMinutes: Int(request.application.sessionPolicy.warningLead / 60),
            pricingModel: configuration.pricingModel.rawValue, provider: provider)
    }
}
