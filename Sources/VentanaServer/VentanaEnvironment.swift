import VentanaCore

/// The dependencies the application is built from: configuration and the clock. Tests swap
/// them; nothing in the server reads the time or the environment any other way.
public struct VentanaEnvironment: Sendable {
    public var configuration: Configuration
    public var clock: any TimeSource

    public init(configuration: Configuration, clock: any TimeSource = SystemTimeSource()) {
        self.configuration = configuration
        self.clock = clock
    }
}
