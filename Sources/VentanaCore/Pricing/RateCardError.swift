/// Why a rate-card file was refused, naming the line at fault (1-based; 0 for the file as a whole).
public struct RateCardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line number, or 0 when the problem is the file as a whole.
    public let line: Int
    /// What is wrong, in plain words.
    public let reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String {
        line == 0 ? reason : "line \(line): \(reason)"
    }
}
