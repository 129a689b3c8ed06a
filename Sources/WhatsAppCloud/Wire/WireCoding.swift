import Foundation

/// Meta's timestamps: Unix seconds, sent as a string ("1749416383") or, in some webhooks, a number.
enum UnixTime {
    /// 9999-12-31T23:59:59Z: later "timestamps" are refused, so every one can be written back.
    static let latest: Int64 = 253_402_300_799

    static func decode<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> Date {
        if let text = try? container.decode(String.self, forKey: key) {
            guard let seconds = Int64(text), seconds >= 0, seconds <= latest else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "timestamp must be Unix seconds")
            }
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        let seconds = try container.decode(Int64.self, forKey: key)
        guard seconds >= 0, seconds <= latest else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "timestamp must be Unix seconds")
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    static func decodeIfPresent<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> Date? {
        guard container.contains(key), !(try container.decodeNil(forKey: key)) else { return nil }
        return try decode(container, key)
    }

    static func string(_ date: Date) -> String {
        String(Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}

/// An id Meta sends as a number in webhooks and as a string in REST answers.
enum FlexibleID {
    static func decode<K: CodingKey>(_ container: KeyedDecodingContainer<K>, _ key: K) throws -> String {
        if let text = try? container.decode(String.self, forKey: key) { return text }
        if let number = try? container.decode(Int64.self, forKey: key) { return String(number) }
        let number = try container.decode(Double.self, forKey: key)
        guard number.rounded() == number, number >= 0, number < 1e18 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an id")
        }
        return String(Int64(number))
    }
}

extension KeyedEncodingContainer {
    /// Writes a template id as Meta does: a number when it is one, else the string as given.
    mutating func encodeTemplateID(_ id: String, forKey key: Key) throws {
        if let number = Int64(id) { try encode(number, forKey: key) } else { try encode(id, forKey: key) }
    }
}

/// A `CodingKey` for any string, for objects whose keys depend on a `type` field.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
