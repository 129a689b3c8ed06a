import Dispatch
import Foundation
import Vapor
import VentanaCore

/// Runs `ventana serve`: starts the HTTP server and stops it cleanly on SIGTERM or SIGINT.
public enum Server {
    /// Serves until the process is asked to stop.
    public static func run(configuration: Configuration) async throws {
        var logger = Logger(label: "ventana")
        logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        let app = try await VentanaApp.make(environment: VentanaEnvironment(configuration: configuration), logger: logger)
        do {
            try await app.server.start()
            let port = app.http.server.shared.localAddress?.port ?? configuration.port
            let host = configuration.host
            print("Ventana is running: the console is at http://\(host):\(port)/")
            print("Database: \(configuration.database)")
            switch configuration.whatsApp {
            case .sandbox: print("WhatsApp: sandbox (no Meta account configured) — play a contact at http://\(host):\(port)/sandbox")
            case .cloud(let credentials): print("WhatsApp: Cloud API, phone number \(credentials.phoneNumberID)")
            }
            let signal = await StopSignal.wait()
            app.logger.notice("stopping on \(signal)")
            await app.server.shutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

/// Waits for SIGTERM or SIGINT.
public enum StopSignal {
    /// Returns the name of the first stop signal received.
    public static func wait() async -> String {
        await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            let latch = Latch(continuation)
            let queue = DispatchQueue(label: "ventana.signals")
            for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { latch.fire(name) }
                source.resume()
                latch.keep(source)
            }
        }
    }

    /// Resumes the waiting task once, whichever signal comes first, then lets the sources go.
    private final class Latch: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<String, Never>?
        private var sources: [any DispatchSourceSignal] = []

        init(_ continuation: CheckedContinuation<String, Never>) {
            self.continuation = continuation
        }

        func keep(_ source: any DispatchSourceSignal) {
            lock.withLock { sources.append(source) }
        }

        func fire(_ name: String) {
            let (waiting, toCancel) = lock.withLock {
                defer { continuation = nil; sources = [] }
                return (continuation, sources)
            }
            toCancel.forEach { $0.cancel() }
            waiting?.resume(returning: name)
        }
    }
}
