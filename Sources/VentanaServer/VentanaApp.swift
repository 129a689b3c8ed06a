import Fluent
import Foundation
import Vapor
import VentanaCore
import WhatsAppCloud

/// Builds the Ventana application on a Vapor `Application`.
public enum VentanaApp {
    /// Registers storage, migrations, the WhatsApp provider and routes. Runs pending migrations.
    public static func configure(_ app: Application, environment: VentanaEnvironment) async throws {
        let configuration = environment.configuration
        app.middleware = Middlewares()
        app.middleware.use(SecurityHeadersMiddleware())
        app.middleware.use(APIErrorMiddleware())
        // `/` is the console (Public/index.html); every asset is served from Public/.
        app.middleware.use(ConsoleFilesMiddleware(publicDirectory: app.directory.publicDirectory))
        if !FileManager.default.fileExists(atPath: app.directory.publicDirectory + "index.html") {
            app.logger.warning("the console's files are not in \(app.directory.publicDirectory): start ventana from the repository's folder to serve the console at /")
        }
        ContentConfiguration.global.use(encoder: JSONEncoder.ventana, for: .json)
        ContentConfiguration.global.use(decoder: JSONDecoder.ventana, for: .json)

        try await prepareDatabase(app, configuration: configuration)

        let wiring = WhatsAppWiring.make(for: configuration.whatsApp, app: app, baseClock: environment.clock)
        app.storage[EnvironmentKey.self] = VentanaEnvironment(configuration: configuration, clock: wiring.clock)
        app.storage[ProviderKey.self] = wiring.provider

        _ = app.templateCatalog
        try await FirstAdmin.ensure(configuration.firstAdmin, directory: AgentDirectory(database: app.db, now: { [clock = wiring.clock] in clock.now() }, passwordCost: configuration.passwordCost)) { line in
            // Printed for the person starting the server; never logged (it may hold a password).
            print(line)
        }
        let interrupted = try await OutboxRecovery.run(on: app.db, now: wiring.clock.now(), logger: app.logger)
        app.lifecycle.use(OutboxSweeper(database: { [weak app] in app!.db }, clock: wiring.clock, logger: app.logger,
                                        onFailed: { [weak app] chats in await app?.scheduler.touched(chats) }))

        let metrics = InboxMetrics()
        app.storage[MetricsKey.self] = metrics
        try app.register(collection: HealthController())
        try app.register(collection: MetricsController(metrics: metrics))
        try app.register(collection: OpenAPIController())
        if configuration.benchmarkRoutes {
            // The benchmark's baseline: the same server and body size, none of the work.
            app.on(.POST, "bench", "noop", body: .collect(maxSize: WebhookController.maxBodySize)) { _ in HTTPStatus.ok }
        }
        let api = app.routes.grouped("api", "v1")
        try api.register(collection: AuthController(throttle: LoginThrottle()))
        try api.register(collection: ConversationController())
        try api.register(collection: SendController())
        try api.register(collection: PricingController())
        try api.register(collection: TemplateController())
        try api.register(collection: BudgetController())
        try api.register(collection: RateCardController())
        try api.register(collection: ReportController())
        try api.register(collection: StreamController())
        try api.register(collection: WebhookEndpointController())
        try api.register(collection: SettingsController())
        app.lifecycle.use(TemplateSyncer(every: TimeInterval(configuration.templateSyncMinutes * 60), application: app))
        let feed = EventFeed(database: { [weak app] in app!.db })
        try await feed.start()
        app.storage[FeedKey.self] = feed
        app.lifecycle.use(FeedLoop(feed))
        let streams = StreamSessions()
        app.storage[StreamSessionsKey.self] = streams
        app.lifecycle.use(StreamSweeper(streams, database: { [weak app] in app!.db }))
        let dispatcher = WebhookDispatcher(clock: wiring.clock, database: { [weak app] in app!.writerDB }, client: app.http.client.shared)
        app.storage[DispatcherKey.self] = dispatcher
        app.lifecycle.use(DispatcherLoop(dispatcher))
        let policy = SessionPolicySource(configuration.sessionPolicy)
        if let stored = try await InstallationSetting.warningLead(on: app.db) { policy.set(SessionPolicy(warningLead: stored)) }
        app.storage[PolicyKey.self] = policy
        let scheduler = TransitionScheduler(clock: wiring.clock, policy: policy, database: { [weak app] in app!.writerDB },
                                            logger: app.logger, onEvents: { try await dispatcher.enqueue($0, on: $1) })
        try await scheduler.load()
        await scheduler.touched(interrupted)  // a Resume a restart interrupted has failed: say so
        app.storage[SchedulerKey.self] = scheduler
        app.lifecycle.use(SchedulerLoop(scheduler))
        try app.register(collection: WebhookController(secrets: wiring.secrets, ingest: IngestQueue(scheduler: scheduler, writer: { [weak app] in app!.batchWriterDB }),
                                                         clock: wiring.clock, benchmarkRoute: configuration.benchmarkRoutes))
        if let sandbox = wiring.sandbox {
            try app.register(collection: SandboxController(phone: sandbox.phone, clock: sandbox.clock))
        }
    }

    /// Connects the configured database, checks it answers, and runs pending migrations.
    static func prepareDatabase(_ app: Application, configuration: Configuration) async throws {
        try await DatabaseSetup.use(configuration.database, on: app)
        try await DatabaseSetup.checkReachable(app.db, location: configuration.database)
        app.migrations.add(CreateStoredDelivery())
        app.migrations.add(CreateInbox())
        app.migrations.add(CreateLedger())
        app.migrations.add(CreateTemplates())
        app.migrations.add(CreateBudgets())
        app.migrations.add(CreateRateCards())
        app.migrations.add(CreateEvents())
        app.migrations.add(CreateOutgoingWebhooks())
        app.migrations.add(CreateStreamTickets())
        app.migrations.add(IndexEventsByChat())
        app.migrations.add(AddEventFailureAndPreviousOwner())
        app.migrations.add(CreateInstallationSettings())
        try await app.autoMigrate()
    }

    /// Runs `work` on the configured database with migrations applied, without serving (for
    /// `ventana migrate` and `ventana agents`).
    public static func withDatabase<T>(_ configuration: Configuration, _ work: (any Database, Application) async throws -> T) async throws -> T {
        let app = try await Application.make(Environment(name: "production", arguments: ["ventana"]))
        app.logger.logLevel = .warning
        do {
            try await prepareDatabase(app, configuration: configuration)
            let result = try await work(app.db, app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Creates, configures and returns an application that has not started serving yet.
    public static func make(environment: VentanaEnvironment, logger: Logger? = nil) async throws -> Application {
        // Vapor must not parse ventana's own command line.
        let app = try await Application.make(Environment(name: "production", arguments: ["ventana"]))
        if let logger { app.logger = logger }
        app.http.server.configuration.hostname = environment.configuration.host
        app.http.server.configuration.port = environment.configuration.port
        do {
            try await configure(app, environment: environment)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        return app
    }

    struct EnvironmentKey: StorageKey {
        typealias Value = VentanaEnvironment
    }

    struct FeedKey: StorageKey {
        typealias Value = EventFeed
    }

    struct StreamSessionsKey: StorageKey {
        typealias Value = StreamSessions
    }

    struct DispatcherKey: StorageKey {
        typealias Value = WebhookDispatcher
    }

    struct SchedulerKey: StorageKey {
        typealias Value = TransitionScheduler
    }

    struct PolicyKey: StorageKey {
        typealias Value = SessionPolicySource
    }

    struct MetricsKey: StorageKey {
        typealias Value = InboxMetrics
    }

    struct ProviderKey: StorageKey {
        typealias Value = any WhatsAppProvider
    }
}

extension Application {
    /// The dependencies the application was configured with (the sandbox clock in sandbox mode).
    var ventana: VentanaEnvironment {
        guard let environment = storage[VentanaApp.EnvironmentKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return environment
    }

    /// How this installation reaches WhatsApp.
    var whatsApp: any WhatsAppProvider {
        guard let provider = storage[VentanaApp.ProviderKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return provider
    }

    /// The event feed behind this instance's stream.
    var eventFeed: EventFeed {
        guard let feed = storage[VentanaApp.FeedKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return feed
    }

    /// This instance's open event streams.
    var streamSessions: StreamSessions {
        guard let sessions = storage[VentanaApp.StreamSessionsKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return sessions
    }

    /// The outgoing-webhook dispatcher.
    var dispatcher: WebhookDispatcher {
        guard let dispatcher = storage[VentanaApp.DispatcherKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return dispatcher
    }

    /// The session policy in force (the warning lead an admin may change at run time).
    var sessionPolicy: SessionPolicy {
        guard let source = storage[VentanaApp.PolicyKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return source.current
    }

    /// The clock-transition scheduler.
    var scheduler: TransitionScheduler {
        guard let scheduler = storage[VentanaApp.SchedulerKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return scheduler
    }

    /// The application's Prometheus counters.
    var metrics: InboxMetrics {
        guard let metrics = storage[VentanaApp.MetricsKey.self] else {
            fatalError("VentanaApp.configure(_:environment:) was not called")
        }
        return metrics
    }

    /// The address the server listens on, once it does.
    var listeningURL: URL? {
        guard let port = http.server.shared.localAddress?.port else { return nil }
        let host = http.server.configuration.hostname
        let reachable = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return URL(string: "http://\(reachable):\(port)")
    }
}

extension JSONEncoder {
    /// The API's JSON: snake_case keys, ISO-8601 times.
    static var ventana: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}

extension JSONDecoder {
    /// Reads the API's JSON: snake_case keys, ISO-8601 times.
    static var ventana: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
