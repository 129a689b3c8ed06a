import Fluent
import Foundation
import Vapor

/// Makes sure an installation has an admin: from `VENTANA_ADMIN_EMAIL` / `VENTANA_ADMIN_PASSWORD`,
/// or generated and printed once on first start.
enum FirstAdmin {
    static func ensure(_ credentials: AdminCredentials?, directory: AgentDirectory, announce: (String) -> Void) async throws {
        guard try await AgentRecord.query(on: directory.database).filter(\.$role == AgentRole.admin.rawValue).count() == 0 else { return }
        if let credentials {
            _ = try await directory.create(email: credentials.email, name: "Admin", role: .admin, password: credentials.password)
            announce("First admin: \(credentials.email) (password from VENTANA_ADMIN_PASSWORD)")
        } else {
            let password = Self.generatedPassword()
            _ = try await directory.create(email: "admin@ventana.local", name: "Admin", role: .admin, password: password)
            announce("First admin: admin@ventana.local / \(password)  (shown once: change it or create your own admin)")
        }
    }

    static func generatedPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
