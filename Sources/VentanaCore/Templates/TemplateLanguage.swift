/// A template language code as Meta writes it (`es`, `es_MX`, `en_US`, `pt_BR`); webhooks
/// sometimes write `en-US`, which is read as `en_US`.
public struct TemplateLanguage: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// A normalised code, or nil if it is not a language code (`es`, `es_MX`, `fil`, `zh_HK`).
    public init?(rawValue: String) {
        let parts = rawValue.replacingOccurrences(of: "-", with: "_").split(separator: "_", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              (2...3).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        var code = parts[0].lowercased()
        if parts.count == 2 {
            guard parts[1].count == 2, parts[1].allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
            code += "_" + parts[1].uppercased()
        }
        self.rawValue = code
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let language = TemplateLanguage(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a language code: \(text)"))
        }
        self = language
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
