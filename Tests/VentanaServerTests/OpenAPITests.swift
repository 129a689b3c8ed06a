import Foundation
import Testing
import Vapor
@testable import VentanaServer

/// The OpenAPI document is true: every route is in it, and responses validate against it.
@Suite("OpenAPI document")
struct OpenAPITests {
    let document = try! JSONSerialization.jsonObject(with: OpenAPIController.document) as! [String: Any]
    var paths: [String: [String: Any]] { document["paths"] as! [String: [String: Any]] }

    /// The document's response schema for an operation and status.
    func schema(_ path: String, _ method: String, _ status: Int) -> [String: Any]? {
        let operation = paths[path]?[method.lowercased()] as? [String: Any]
        let response = (operation?["responses"] as? [String: Any])?[String(status)] as? [String: Any]
        let content = response?["content"] as? [String: Any]
        return ((content?["application/json"] ?? content?.values.first) as? [String: Any])?["schema"] as? [String: Any]
    }

    @Test func everyRegisteredRouteIsDocumentedAndNothingElse() async throws {
        try await withConfiguredApp { app in
            var registered: Set<String> = []
            for route in app.routes.all {
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .parameter(let name): "{\(name)}"
                    default: component.description
                    }
                }.joined(separator: "/")
                registered.insert("\(route.method.rawValue.lowercased()) \(path)")
            }
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method) \(path)")
                }
            }
            #expect(registered.subtracting(documented).sorted() == [], "registered but not documented")
            #expect(documented.subtracting(registered).sorted() == [], "documented but not registered")
        }
    }

    @Test func theDocumentIsServed() async throws {
        try await withConfiguredApp { app in
            try await app.testing().test(.GET, "api/v1/openapi.json") { response in
                #expect(response.status == .ok)
                #expect(response.body.string.contains("\"openapi\":\"3.1.0\"") || response.body.string.contains("\"openapi\": \"3.1.0\""))
            }
        }
    }

    @Test(arguments: TestDatabases.all.map(\.kind))
    func everyResponseOfAWalkThroughTheAPIValidates(_ kind: String) async throws {
        let database = try #require(TestDatabases.all.first { $0.kind == kind })
        let validator = SchemaValidator(document: document)
        try await InboxHarness.with(database) { h in
            var checked = 0
            func check(_ method: HTTPMethod, _ template: String, _ path: String, json: [String: Any]? = nil, token: String? = nil, headers: [String: String] = [:]) async throws -> InboxHarness.Reply {
                let reply = try await h.call(method, path, token: token, json: json, headers: headers)
                let documented = self.schema(template, method.rawValue, reply.status)
                #expect(documented != nil || reply.status == 204, "\(method) \(template) → \(reply.status) is not documented")
                if let documented, documented["type"] as? String != "string" {
                    let value = try JSONSerialization.jsonObject(with: reply.body, options: [.fragmentsAllowed])
                    let problems = validator.problems(value, against: documented)
                    #expect(problems == [], "\(method) \(template) → \(reply.status)")
                }
                checked += 1
                return reply
            }

            _ = try await check(.GET, "/health", "health")
            _ = try await check(.GET, "/metrics", "metrics")
            _ = try await check(.GET, "/api/v1/me", "api/v1/me")
            _ = try await check(.GET, "/api/v1/me", "api/v1/me", token: "")
            _ = try await check(.GET, "/api/v1/settings", "api/v1/settings")
            _ = try await check(.GET, "/api/v1/settings", "api/v1/settings", token: "")
            _ = try await check(.PUT, "/api/v1/settings", "api/v1/settings", json: ["warning_minutes": 0])
            _ = try await check(.PUT, "/api/v1/settings", "api/v1/settings", json: ["warning_minutes": 90])
            _ = try await check(.POST, "/api/v1/auth/login", "api/v1/auth/login", json: ["email": "a@b.c", "password": "wrong-one"], token: "")
            let agent = try await check(.POST, "/api/v1/agents", "api/v1/agents", json: ["email": "luis@example.com", "name": "Luis", "role": "agent", "password": "password-1"])
            _ = try await check(.POST, "/api/v1/agents", "api/v1/agents", json: ["email": "luis@example.com", "name": "Luis", "role": "agent", "password": "password-1"])
            _ = try await check(.GET, "/api/v1/agents", "api/v1/agents")
            let login = try await check(.POST, "/api/v1/auth/login", "api/v1/auth/login", json: ["email": "luis@example.com", "password": "password-1"], token: "")
            let luis = try #require(login.json?["token"] as? String)

            try await h.inbound(from: "573001234567", name: "Ana", at: InboxHarness.start, referral: true)
            let page = try await check(.GET, "/api/v1/conversations", "api/v1/conversations?view=all")
            _ = try await check(.GET, "/api/v1/conversations", "api/v1/conversations?view=nope")
            let id = try #require((page.json?["items"] as? [[String: Any]])?.first?["id"] as? String)
            _ = try await check(.GET, "/api/v1/conversations/{conversationID}", "api/v1/conversations/\(id)")
            _ = try await check(.GET, "/api/v1/conversations/{conversationID}", "api/v1/conversations/\(UUID())")
            _ = try await check(.POST, "/api/v1/conversations/{conversationID}/take", "api/v1/conversations/\(id)/take", token: luis)
            _ = try await check(.POST, "/api/v1/conversations/{conversationID}/messages", "api/v1/conversations/\(id)/messages", json: ["text": "Hola"], token: luis)
            _ = try await check(.GET, "/api/v1/conversations/{conversationID}/messages", "api/v1/conversations/\(id)/messages", token: luis)
            _ = try await check(.GET, "/api/v1/templates", "api/v1/templates")
            _ = try await check(.GET, "/api/v1/pricing/quote", "api/v1/pricing/quote?wa_id=573001234567&template=spring_offer&language=es")
            _ = try await check(.GET, "/api/v1/pricing/quote", "api/v1/pricing/quote?wa_id=1&template=spring_offer&language=es")
            _ = try await check(.POST, "/api/v1/conversations/{conversationID}/templates", "api/v1/conversations/\(id)/templates", json: ["name": "spring_offer", "language": "es", "parameters": ["Ana"]], token: luis, headers: ["Idempotency-Key": "k1"])
            _ = try await check(.POST, "/api/v1/conversations/{conversationID}/templates", "api/v1/conversations/\(id)/templates", json: ["name": "old_offer", "language": "es", "parameters": ["Ana"]], token: luis)
            _ = try await check(.POST, "/api/v1/conversations/{conversationID}/assign", "api/v1/conversations/\(id)/assign", json: ["agent_id": NSNull()])
            _ = try await check(.POST, "/api/v1/conversations/{conversationID}/transfer", "api/v1/conversations/\(id)/transfer", json: ["agent_id": agent.json?["id"] ?? ""])
            _ = try await check(.POST, "/api/v1/conversations/{conversationID}/close", "api/v1/conversations/\(id)/close", token: luis)
            h.clock.advance(by: 30 * 3_600)
            _ = try await check(.POST, "/api/v1/conversations/{conversationID}/messages", "api/v1/conversations/\(id)/messages", json: ["text": "¿Sigues?"])
            _ = try await check(.POST, "/api/v1/agents/{agentID}/disable", "api/v1/agents/\(agent.json?["id"] as? String ?? "")/disable")
            _ = try await check(.POST, "/api/v1/auth/logout", "api/v1/auth/logout", token: luis)
            #expect(checked == 31)
        }
    }
}
