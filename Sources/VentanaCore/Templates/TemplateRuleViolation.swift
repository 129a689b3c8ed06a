/// A way a template breaks Meta's rules, found before it is submitted.
public struct TemplateRuleViolation: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// A stable machine code (`invalid_name`, `body_too_long`, `variables_not_sequential` …).
    public let code: String
    /// What is wrong, in plain words.
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
