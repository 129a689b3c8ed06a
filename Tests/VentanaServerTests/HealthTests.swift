import Foundation
import Testing
import VaporTesting
import VentanaCore
@testable import VentanaServer

@Suite("Health")
struct HealthTests {
    @Test(arguments: TestDatabases.all.map(\.kind))
    func healthReportsTheDatabaseReachable(_ kind: String) async throws {
        let location = try #require(TestDatabases.all.first { $0.kind == kind })
        var configuration = Configuration.testing()
        configuration.database = location
        try await withApp(configure: { app in
            try await VentanaApp.configure(app, environment: VentanaEnvironment(configuration: configuration))
        }) { app in
            try await app.testing().test(.GET, "health") { response async throws in
                #expect(response.status == .ok)
                let body = try response.content.decode(HealthController.Health.self)
                #expect(body.status == "ok")
                #expect(body.database == "ok")
                #expect(response.headers.first(name: .cacheControl)?.contains("no-store") == true)
            }
        }
    }

    @Test func healthSaysUnavailableWhenTheDatabaseIsNot() async throws {
        // A PostgreSQL server that is not there: nothing listens on port 1.
        try await withApp(configure: { app in
            try await DatabaseSetup.use(.postgres(URL(string: "postgres://nobody:none@127.0.0.1:1/none")!), on: app)
            try app.register(collection: HealthController())
        }) { app in
            try await app.testing().test(.GET, "health") { response async throws in
                #expect(response.status == .serviceUnavailable)
                let body = try response.content.decode(HealthController.Health.self)
                #expect(body.database == "unreachable")
            }
        }
    }

    @Test func anUnreachableDatabaseStopsTheStartWithAnError() async throws {
        var configuration = Configuration.testing()
        configuration.database = .postgres(URL(string: "postgres://nobody:none@127.0.0.1:1/none")!)
        await #expect(throws: (any Error).self) {
            try await withApp(configure: { app in
                try await VentanaApp.configure(app, environment: VentanaEnvironment(configuration: configuration))
            }) { _ in }
        }
    }
}
