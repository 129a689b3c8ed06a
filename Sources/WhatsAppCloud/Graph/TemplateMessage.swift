/// A template send: `{"name", "language": {"code"}, "components": [{"type": "body", "parameters": [...]}]}`.
public struct TemplateMessage: Sendable, Hashable, Codable {
    public var name: String
    /// The exact language code the template was created with (`es_MX`).
    public var languageCode: String
    public var components: [Component]

    public init(name: String, languageCode: String, components: [Component] = []) {
        self.name = name
        self.languageCode = languageCode
        self.components = components
    }

    /// The values for one part of the template.
    public struct Component: Sendable, Hashable, Codable {
        /// `header`, `body` or `button`.
        public var type: String
        /// For buttons: `quick_reply`, `url`, `copy_code` …
        public var subType: String?
        /// For buttons: the button's position, `"0"`…`"9"`.
        public var index: String?
        public var parameters: [Parameter]

        public init(type: String, subType: String? = nil, index: String? = nil, parameters: [Parameter]) {
            self.type = type
            self.subType = subType
            self.index = index
            self.parameters = parameters
        }

        enum CodingKeys: String, CodingKey {
            case type, subType = "sub_type", index, parameters
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type).lowercased()
            subType = try container.decodeIfPresent(String.self, forKey: .subType)
            index = try container.decodeIfPresent(String.self, forKey: .index)
            parameters = try container.decodeIfPresent([Parameter].self, forKey: .parameters) ?? []
            guard ["header", "body", "button"].contains(type) else {
                throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "component type must be header, body or button")
            }
            if type == "button" {
                guard subType != nil, let index, let position = Int(index), (0...9).contains(position) else {
                    throw DecodingError.dataCorruptedError(forKey: .index, in: container, debugDescription: "a button component needs sub_type and an index \"0\"…\"9\"")
                }
            }
        }
    }

    /// One value of a template variable.
    public struct Parameter: Sendable, Hashable, Codable {
        /// `text`, `payload`, `image`, `video`, `document`, `location`, `currency` or `date_time`.
        public var type: String
        public var text: String?
        public var payload: String?
        public var image: OutboundMedia?
        public var video: OutboundMedia?
        public var document: OutboundMedia?
        /// For named-parameter templates.
        public var parameterName: String?

        public static func text(_ value: String) -> Parameter {
            Parameter(type: "text", text: value)
        }

        public static func payload(_ value: String) -> Parameter {
            Parameter(type: "payload", payload: value)
        }

        public static func image(_ media: OutboundMedia) -> Parameter {
            Parameter(type: "image", image: media)
        }

        public init(type: String, text: String? = nil, payload: String? = nil, image: OutboundMedia? = nil, video: OutboundMedia? = nil, document: OutboundMedia? = nil, parameterName: String? = nil) {
            self.type = type
            self.text = text
            self.payload = payload
            self.image = image
            self.video = video
            self.document = document
            self.parameterName = parameterName
        }

        enum CodingKeys: String, CodingKey {
            case type, text, payload, image, video, document, parameterName = "parameter_name"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type)
            text = try container.decodeIfPresent(String.self, forKey: .text)
            payload = try container.decodeIfPresent(String.self, forKey: .payload)
            image = try container.decodeIfPresent(OutboundMedia.self, forKey: .image)
            video = try container.decodeIfPresent(OutboundMedia.self, forKey: .video)
            document = try container.decodeIfPresent(OutboundMedia.self, forKey: .document)
            parameterName = try container.decodeIfPresent(String.self, forKey: .parameterName)
            let present: Bool = switch type {
            case "text": text != nil
            case "payload": payload != nil
            case "image": image != nil
            case "video": video != nil
            case "document": document != nil
            case "location", "currency", "date_time": true
            default: false
            }
            guard present else {
                throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "a \(type) parameter needs its \(type) value")
            }
        }
    }

    private enum CodingKeys: String, CodingKey { case name, language, components }
    private struct Language: Codable { var code: String; var policy: String? }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(Language(code: languageCode, policy: nil), forKey: .language)
        if !components.isEmpty { try container.encode(components, forKey: .components) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        languageCode = try container.decode(Language.self, forKey: .language).code
        components = try container.decodeIfPresent([Component].self, forKey: .components) ?? []
    }

    /// Every parameter value, header first, then body, then buttons by index.
    public var parameterCount: Int {
        components.map(\.parameters.count).reduce(0, +)
    }
}
