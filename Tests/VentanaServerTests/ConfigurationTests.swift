import Foundation
import Testing
@testable import VentanaServer
import VentanaCore

@Suite("Configuration")
struct ConfigurationTests {
    @Test func noVariablesRunsLocallyWithTheSandbox() throws {
        let configuration = try Configuration.load(environment: [:])
        #expect(configuration.database == .sqliteFile("ventana.sqlite"))
        #expect(configuration.port == 8080)
        #expect(configuration.whatsApp == .sandbox)
        #expect(configuration.sessionPolicy.warningLead == 3_600)
        #expect(configuration.pricingModel == .perMessage)
        #expect(configuration.firstAdmin == nil)
    }

    @Test func everyVariableIsRead() throws {
        let configuration = try Configuration.load(environment: [
            "DATABASE_URL": "postgres://ventana:secret@127.0.0.1:5432/ventana",
            "PORT": "9000", "HOST": "0.0.0.0", "VENTANA_WARNING_MINUTES": "15", "VENTANA_PRICING_MODEL": "conversation",
            "WHATSAPP_ACCESS_TOKEN": "token", "WHATSAPP_APP_SECRET": "secret", "WHATSAPP_VERIFY_TOKEN": "verify",
            "WHATSAPP_PHONE_NUMBER_ID": "106540352242922", "WHATSAPP_BUSINESS_ACCOUNT_ID": "102290129340398",
            "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9999/v23.0",
            "VENTANA_ADMIN_EMAIL": "admin@example.com", "VENTANA_ADMIN_PASSWORD": "correct horse",
        ])
        #expect(configuration.port == 9000)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.sessionPolicy.warningLead == 15 * 60)
        #expect(configuration.pricingModel == .conversation)
        #expect(configuration.firstAdmin == AdminCredentials(email: "admin@example.com", password: "correct horse"))
        guard case .cloud(let cloud) = configuration.whatsApp else { Issue.record("expected the Cloud API"); return }
        #expect(cloud.graphURL.absoluteString == "http://127.0.0.1:9999/v23.0")
        #expect(cloud.phoneNumberID == "106540352242922")
        guard case .postgres(let url) = configuration.database else { Issue.record("expected PostgreSQL"); return }
        #expect(url.host == "127.0.0.1")
        #expect(!configuration.database.description.contains("secret"))
    }

    @Test func aCommandLineOptionWinsOverItsVariable() throws {
        let configuration = try Configuration.load(environment: ["PORT": "9000"], overrides: [.port: "9100"])
        #expect(configuration.port == 9100)
    }

    @Test(arguments: [
        ("PORT", "eighty"), ("PORT", "70000"), ("VENTANA_WARNING_MINUTES", "0"), ("VENTANA_WARNING_MINUTES", "1440"),
        ("VENTANA_WARNING_MINUTES", "ten"), ("DATABASE_URL", "mysql://x"), ("DATABASE_URL", "sqlite://"),
        ("DATABASE_URL", "postgres://"), ("DATABASE_URL", "postgres://u@h/db?search_path=Bad-Name"), ("VENTANA_PRICING_MODEL", "per_conversation"), ("WHATSAPP_GRAPH_URL", "graph.facebook.com"),
    ])
    func aBadValueStopsTheStartNamingTheVariable(_ variable: String, _ value: String) {
        #expect(throws: ConfigurationError.self) { try Configuration.load(environment: [variable: value]) }
        do {
            _ = try Configuration.load(environment: [variable: value])
        } catch {
            #expect(error.variable == variable)
        }
    }

    @Test func partialWhatsAppCredentialsNameWhatIsMissing() {
        do {
            _ = try Configuration.load(environment: ["WHATSAPP_ACCESS_TOKEN": "token", "WHATSAPP_APP_SECRET": "s3cr3t-value"])
            Issue.record("accepted partial credentials")
        } catch {
            #expect(error.variable == "WHATSAPP_VERIFY_TOKEN")
            #expect(error.reason.contains("WHATSAPP_PHONE_NUMBER_ID"))
            #expect(!error.description.contains("s3cr3t-value"))
        }
    }

    @Test func adminCredentialsComeInPairs() {
        #expect(throws: ConfigurationError(variable: "VENTANA_ADMIN_PASSWORD", reason: "must be set together with VENTANA_ADMIN_EMAIL")) {
            try Configuration.load(environment: ["VENTANA_ADMIN_EMAIL": "a@b.c"])
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(environment: ["VENTANA_ADMIN_EMAIL": "a@b.c", "VENTANA_ADMIN_PASSWORD": "short"])
        }
    }

    @Test func sqliteLocations() throws {
        #expect(try Configuration.load(environment: ["DATABASE_URL": "sqlite://:memory:"]).database == .sqliteMemory)
        #expect(try Configuration.load(environment: ["DATABASE_URL": "sqlite:///var/lib/ventana.db"]).database == .sqliteFile("/var/lib/ventana.db"))
    }

    @Test func optionNamesFollowTheVariables() {
        #expect(Configuration.Variable.databaseURL.option == "database-url")
        #expect(Configuration.Variable.warningMinutes.option == "warning-minutes")
    }
}
