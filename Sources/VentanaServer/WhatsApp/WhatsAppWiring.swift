import Foundation
import Vapor
import VentanaCore
import WhatsAppCloud

/// The provider, webhook secrets and clock for the configured WhatsApp mode.
struct WhatsAppWiring {
    var provider: any WhatsAppProvider
    var secrets: WebhookSecrets
    var clock: any TimeSource
    var sandbox: (phone: SandboxPhone, clock: SandboxClock)?

    static func make(for mode: WhatsAppMode, app: Application, baseClock: any TimeSource) -> WhatsAppWiring {
        switch mode {
        case .cloud(let credentials):
            let client = GraphClient(baseURL: credentials.graphURL, accessToken: credentials.accessToken, httpClient: app.http.client.shared)
            return WhatsAppWiring(
                provider: CloudProvider(client: client, phoneNumberID: credentials.phoneNumberID, businessAccountID: credentials.businessAccountID),
                secrets: WebhookSecrets(appSecret: credentials.appSecret, verifyToken: credentials.verifyToken),
                clock: baseClock,
                sandbox: nil)
        case .sandbox:
            let clock = SandboxClock(base: baseClock)
            let phone = SandboxPhone(clock: clock, client: app.http.client.shared, webhookURL: { [weak app] in
                app?.listeningURL?.appendingPathComponent("webhooks/whatsapp")
            })
            return WhatsAppWiring(provider: SandboxProvider(phone: phone), secrets: phone.secrets, clock: clock, sandbox: (phone, clock))
        }
    }
}
