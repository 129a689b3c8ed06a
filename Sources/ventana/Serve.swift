import ArgumentParser
import Foundation
import VentanaServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server: console, API, webhooks (and the sandbox when no WhatsApp account is configured).")

    @Option(help: "Database URL (sqlite://path or postgres://…). Env: DATABASE_URL.") var databaseURL: String?
    @Option(help: "Address to bind. Env: HOST.") var host: String?
    @Option(help: "Port to listen on. Env: PORT.") var port: String?
    @Option(help: "Minutes before a window closes that a chat turns 'expiring'. Env: VENTANA_WARNING_MINUTES.") var warningMinutes: String?
    @Option(help: "Pricing model: per_message or conversation. Env: VENTANA_PRICING_MODEL.") var pricingModel: String?
    @Option(help: "Meta Graph API base URL. Env: WHATSAPP_GRAPH_URL.") var whatsappGraphURL: String?
    @Option(help: "WhatsApp phone number id. Env: WHATSAPP_PHONE_NUMBER_ID.") var whatsappPhoneNumberID: String?
    @Option(help: "WhatsApp Business Account id. Env: WHATSAPP_BUSINESS_ACCOUNT_ID.") var whatsappBusinessAccountID: String?
    @Option(help: "First admin's email. Env: VENTANA_ADMIN_EMAIL.") var adminEmail: String?

    func run() async throws {
        // Secrets (tokens, app secret, passwords) come from the environment only, never argv.
        var overrides: [VentanaServer.Configuration.Variable: String] = [:]
        overrides[.databaseURL] = databaseURL
        overrides[.host] = host
        overrides[.port] = port
        overrides[.warningMinutes] = warningMinutes
        overrides[.pricingModel] = pricingModel
        overrides[.whatsAppGraphURL] = whatsappGraphURL
        overrides[.whatsAppPhoneNumberID] = whatsappPhoneNumberID
        overrides[.whatsAppBusinessAccountID] = whatsappBusinessAccountID
        overrides[.adminEmail] = adminEmail

        try await Server.run(configuration: loadConfiguration(overrides))
    }
}
