import Foundation

/// One POST to the webhook: `{"object": "whatsapp_business_account", "entry": [...]}`.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    /// Always `whatsapp_business_account` for WhatsApp.
    public var object: String
    public var entry: [WebhookEntry]

    public init(object: String = "whatsapp_business_account", entry: [WebhookEntry]) {
        self.object = object
        self.entry = entry
    }

    /// Decodes and checks a delivery's raw bytes. A well-formed delivery is parsed once; only a
    /// body that does not decode is looked at again, to say what is wrong with it.
    public static func decode(_ body: some DataProtocol) throws(WebhookDecodingError) -> WebhookDelivery {
        let data = Data(body)
        if let delivery = try? JSONDecoder().decode(WebhookDelivery.self, from: data) {
            guard delivery.object == "whatsapp_business_account" else { throw .wrongObject(delivery.object) }
            return delivery
        }
        guard let top = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw .malformed("the body is not JSON")
        }
        guard let object = top as? [String: Any] else { throw .malformed("the body is not a JSON object") }
        guard let kind = object["object"] as? String else { throw .malformed("\"object\" is missing") }
        guard kind == "whatsapp_business_account" else { throw .wrongObject(kind) }
        do {
            return try JSONDecoder().decode(WebhookDelivery.self, from: data)
        } catch let error as DecodingError {
            throw .malformed(WebhookDecodingError.describe(error))
        } catch {
            throw .malformed("the body could not be read")
        }
    }
}

/// Why a delivery could not be read. Reasons name fields, never message content.
public enum WebhookDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON, or not Meta's webhook shape.
    case malformed(String)
    /// `object` is not `whatsapp_business_account`.
    case wrongObject(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "malformed delivery: \(reason)"
        case .wrongObject(let object): "object is \(object.prefix(64)), not whatsapp_business_account"
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context)) has the wrong type"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription.prefix(120))"
        @unknown default: return "unreadable"
        }
    }
}

/// One entry: a WhatsApp Business Account and its changes.
public struct WebhookEntry: Sendable, Hashable, Codable {
    /// The WhatsApp Business Account id.
    public var id: String
    /// Present (as Unix seconds) on template and account webhooks, absent on messages webhooks.
    public var time: Date?
    public var changes: [WebhookChange]

    public init(id: String, time: Date? = nil, changes: [WebhookChange]) {
        self.id = id
        self.time = time
        self.changes = changes
    }

    enum CodingKeys: String, CodingKey { case id, time, changes }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try FlexibleID.decode(container, .id)
        time = try UnixTime.decodeIfPresent(container, .time)
        changes = try container.decodeIfPresent([WebhookChange].self, forKey: .changes) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        if let time { try container.encode(Int64(time.timeIntervalSince1970.rounded(.down)), forKey: .time) }
        try container.encode(changes, forKey: .changes)
    }
}

/// One change: a field name and its value.
public struct WebhookChange: Sendable, Hashable, Codable {
    public var field: String
    public var value: WebhookChangeValue

    public init(field: String, value: WebhookChangeValue) {
        self.field = field
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case field, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decode(String.self, forKey: .field)
        switch field {
        case "messages": value = .messages(try container.decode(MessagesValue.self, forKey: .value))
        case "message_template_status_update": value = .templateStatus(try container.decode(TemplateStatusUpdate.self, forKey: .value))
        case "message_template_quality_update": value = .templateQuality(try container.decode(TemplateQualityUpdate.self, forKey: .value))
        case "template_category_update": value = .templateCategory(try container.decode(TemplateCategoryUpdate.self, forKey: .value))
        default: value = .other(field: field, value: try container.decodeIfPresent(JSONValue.self, forKey: .value) ?? .null)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch value {
        case .messages(let value): try container.encode(value, forKey: .value)
        case .templateStatus(let value): try container.encode(value, forKey: .value)
        case .templateQuality(let value): try container.encode(value, forKey: .value)
        case .templateCategory(let value): try container.encode(value, forKey: .value)
        case .other(_, let value): try container.encode(value, forKey: .value)
        }
        try container.encode(field, forKey: .field)
    }
}

/// What a change carries, by its field.
public enum WebhookChangeValue: Sendable, Hashable {
    /// `messages`: inbound messages, statuses of outbound ones, or errors.
    case messages(MessagesValue)
    /// `message_template_status_update`.
    case templateStatus(TemplateStatusUpdate)
    /// `message_template_quality_update`.
    case templateQuality(TemplateQualityUpdate)
    /// `template_category_update`.
    case templateCategory(TemplateCategoryUpdate)
    /// Any field not known yet: kept, not dropped.
    case other(field: String, value: JSONValue)
}
