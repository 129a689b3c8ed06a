import Vapor

/// `GET /api/v1/settings`: how this installation runs (warning lead, pricing model, WhatsApp
/// provider), for the console's settings page. Read-only: it is set when the server starts.
struct SettingsController: RouteCollection {
    struct SettingsView: Content {
        var warningMinutes: Int
        var pricingModel: String
        /// `cloud` (Meta's Cloud API) or `sandbox`.
        var provider: String
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(AgentAuthenticator()).get("settings", use: show)
    }

    @Sendable
    func show(request: Request) async throws -> SettingsView {
        _ = try request.signedIn
        let configuration = request.application.ventana.configuration
        let provider = switch configuration.whatsApp {
        case .sandbox: "sandbox"
        default: "cloud"
        }
        return SettingsView(
            warningMinutes: Int(configuration.sessionPolicy.warningLead / 60),
            pricingModel: configuration.pricingModel.rawValue, provider: provider)
    }
}
