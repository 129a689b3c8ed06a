import ArgumentParser
import Foundation
import GraphFake
import VentanaServer

struct GraphFakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph-fake",
        abstract: "Run a fake of Meta's Graph API for local experiments (point WHATSAPP_GRAPH_URL at it).")

    @Option(help: "Port to listen on.") var port: Int = 9090
    @Option(help: "The bearer token requests must carry.") var accessToken: String = "fake-token"
    @Option(help: "The business phone number id.") var phoneNumberID: String = "106540352242922"
    @Option(help: "The WhatsApp Business Account id.") var businessAccountID: String = "102290129340398"
    @Option(help: "Where to post status webhooks (Ventana's /webhooks/whatsapp).") var webhookURL: String?
    @Option(help: "The app secret that signs status webhooks. Env: WHATSAPP_APP_SECRET.") var appSecret: String?

    func run() async throws {
        let state = GraphFakeState(accessToken: accessToken, phoneNumberID: phoneNumberID, businessAccountID: businessAccountID)
        if let webhookURL, let url = URL(string: webhookURL) {
            guard let secret = appSecret ?? ProcessInfo.processInfo.environment["WHATSAPP_APP_SECRET"] else {
                throw ValidationError("--webhook-url needs --app-secret (or WHATSAPP_APP_SECRET) to sign the webhooks")
            }
            await state.postStatuses(to: url, appSecret: secret, delay: .milliseconds(500))
        }
        await state.addTemplate(name: "follow_up", language: "en_US", body: "Hi {{1}}, this is {{2}} following up. Reply to continue.")
        let fake = try await GraphFake.start(state: state, port: port, logLevel: .info)
        print("Graph API fake at \(fake.baseURL.absoluteString) (token: \(accessToken), phone number id: \(phoneNumberID), WABA: \(businessAccountID))")
        _ = await StopSignal.wait()
        try await fake.shutdown()
    }
}
