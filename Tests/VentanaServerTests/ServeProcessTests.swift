import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Runs the real `ventana` executable, as a user would, and stops it with SIGTERM.
@Suite("ventana serve", .serialized)
struct ServeProcessTests {
    /// The `ventana` binary built beside the test bundle.
    static var executable: URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("ventana").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("ventana")
    }

    static func freePort() -> Int {
        // Ports from a range the tests own; each test picks a different one.
        Int.random(in: 20_000...40_000)
    }

    @Test func servesHealthAndStopsCleanlyOnSIGTERM() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventana-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Self.freePort()

        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--port", "\(port)"]
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var healthy = false
        for _ in 0..<100 where !healthy {
            try await Task.sleep(for: .milliseconds(100))
            if let (data, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!),
               (response as? HTTPURLResponse)?.statusCode == 200 {
                healthy = String(decoding: data, as: UTF8.self).contains("\"ok\"")
            }
        }
        #expect(healthy)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("ventana.sqlite").path), "the default database is a file in the working folder")

        kill(process.processIdentifier, SIGTERM)
        for _ in 0..<100 where process.isRunning {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!process.isRunning, "still running 10 s after SIGTERM")
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("Ventana is running: the console is at http://127.0.0.1:\(port)/"))
    }

    @Test func aBadValueStopsTheStartNamingTheVariable() throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve"]
        process.environment = ["VENTANA_WARNING_MINUTES": "soon", "WHATSAPP_APP_SECRET": "do-not-print-me", "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 78)
        #expect(printed.contains("VENTANA_WARNING_MINUTES"))
        #expect(!printed.contains("do-not-print-me"))
    }

    func run(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func migrateAndManageAgentsFromTheCommandLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ventana-agents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try run(["migrate"], in: folder).0 == 0)
        let (created, output) = try run(["agents", "create", "--email", "Luis@Example.com", "--name", "Luis"], in: folder)
        #expect(created == 0)
        #expect(output.contains("with password: "), "a generated password is printed once")
        #expect(try run(["agents", "create", "--email", "sup@example.com", "--name", "Sup", "--role", "supervisor"], in: folder, environment: ["VENTANA_NEW_PASSWORD": "a-good-password"]).1.contains("Created sup@example.com"))
        let (bad, refusal) = try run(["agents", "create", "--email", "x@example.com", "--name", "X", "--role", "boss"], in: folder)
        #expect(bad != 0)
        #expect(refusal.contains("role is admin, supervisor or agent"))
        #expect(try run(["agents", "disable", "--email", "luis@example.com"], in: folder).0 == 0)
        let listed = try run(["agents", "list"], in: folder).1
        #expect(listed.contains("luis@example.com\tagent\tLuis\tdisabled"))
        #expect(listed.contains("sup@example.com\tsupervisor\tSup"))
        #expect(!listed.contains("x@example.com"))
    }
}
