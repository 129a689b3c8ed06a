/// A configuration value that stops the start, naming the variable at fault.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// The environment variable (or its command-line option) at fault.
    public let variable: String
    /// What is wrong with it, in plain words. Never contains a secret's value.
    public let reason: String

    public init(variable: String, reason: String) {
        self.variable = variable
        self.reason = reason
    }

    public var description: String { "\(variable): \(reason)" }
}
