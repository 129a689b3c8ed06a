import Foundation

/// A request the fake received, for tests to inspect.
public struct RecordedRequest: Sendable, Hashable, Codable {
    public var method: String
    public var path: String
    public var query: String?
    public var authorization: String?
    public var body: Data
    /// The status the fake answered with.
    public var status: Int

    /// The body parsed as a JSON object, when it is one.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}
