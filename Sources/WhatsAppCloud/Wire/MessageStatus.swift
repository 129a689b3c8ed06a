import Foundation

/// A status of a message the business sent: sent, delivered, read, failed (or played).
public struct MessageStatus: Sendable, Hashable, Codable {
    /// The wamid of the business's message.
    public var id: String
    public var status: MessageStatusKind
    public var timestamp: Date
    public var recipientID: String
    /// Before v24, and inside free entry points, the conversation it opened or belongs to.
    public var conversation: StatusConversation?
    /// On `sent` and one of `delivered`/`read`: how Meta prices the message.
    public var pricing: StatusPricing?
    /// On `failed`: why.
    public var errors: [MetaErrorDetail]
    /// The string the business attached to the send.
    public var bizOpaqueCallbackData: String?

    public init(id: String, status: MessageStatusKind, timestamp: Date, recipientID: String, conversation: StatusConversation? = nil, pricing: StatusPricing? = nil, errors: [MetaErrorDetail] = [], bizOpaqueCallbackData: String? = nil) {
        self.id = id
        self.status = status
        self.timestamp = timestamp
        self.recipientID = recipientID
        self.conversation = conversation
        self.pricing = pricing
        self.errors = errors
        self.bizOpaqueCallbackData = bizOpaqueCallbackData
    }

    enum CodingKeys: String, CodingKey {
        case id, status, timestamp, recipientID = "recipient_id", conversation, pricing, errors
        case bizOpaqueCallbackData = "biz_opaque_callback_data"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard !id.isEmpty else { throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "empty id") }
        status = MessageStatusKind(name: try container.decode(String.self, forKey: .status))
        timestamp = try UnixTime.decode(container, .timestamp)
        recipientID = try container.decode(String.self, forKey: .recipientID)
        conversation = try container.decodeIfPresent(StatusConversation.self, forKey: .conversation)
        pricing = try container.decodeIfPresent(StatusPricing.self, forKey: .pricing)
        errors = try container.decodeIfPresent([MetaErrorDetail].self, forKey: .errors) ?? []
        bizOpaqueCallbackData = try container.decodeIfPresent(String.self, forKey: .bizOpaqueCallbackData)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status.name, forKey: .status)
        try container.encode(UnixTime.string(timestamp), forKey: .timestamp)
        try container.encode(recipientID, forKey: .recipientID)
        try container.encodeIfPresent(conversation, forKey: .conversation)
        try container.encodeIfPresent(pricing, forKey: .pricing)
        if !errors.isEmpty { try container.encode(errors, forKey: .errors) }
        try container.encodeIfPresent(bizOpaqueCallbackData, forKey: .bizOpaqueCallbackData)
    }
}

/// The status values Meta reports; unknown ones are kept.
public enum MessageStatusKind: Sendable, Hashable {
    case sent, delivered, read, failed, played
    case unknown(String)

    public init(name: String) {
        switch name {
        case "sent": self = .sent
        case "delivered": self = .delivered
        case "read": self = .read
        case "failed": self = .failed
        case "played": self = .played
        default: self = .unknown(name)
        }
    }

    /// Meta's spelling.
    public var name: String {
        switch self {
        case .sent: "sent"
        case .delivered: "delivered"
        case .read: "read"
        case .failed: "failed"
        case .played: "played"
        case .unknown(let name): name
        }
    }
}

/// The conversation a status reports (conversation-based pricing, or a free entry point).
public struct StatusConversation: Sendable, Hashable, Codable {
    public var id: String?
    public var expirationTimestamp: Date?
    /// `marketing`, `utility`, `authentication`, `service`, `referral_conversion` …
    public var originType: String?

    public init(id: String?, expirationTimestamp: Date? = nil, originType: String?) {
        self.id = id
        self.expirationTimestamp = expirationTimestamp
        self.originType = originType
    }

    enum CodingKeys: String, CodingKey { case id, expirationTimestamp = "expiration_timestamp", origin }
    struct Origin: Codable { var type: String? }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        expirationTimestamp = try UnixTime.decodeIfPresent(container, .expirationTimestamp)
        originType = try container.decodeIfPresent(Origin.self, forKey: .origin)?.type
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encodeIfPresent(expirationTimestamp.map(UnixTime.string), forKey: .expirationTimestamp)
        try container.encodeIfPresent(originType.map { Origin(type: $0) }, forKey: .origin)
    }
}

/// How Meta prices a message: `{"billable", "pricing_model", "type", "category"}`.
public struct StatusPricing: Sendable, Hashable, Codable {
    /// Being deprecated by Meta; `type` and `category` say the same.
    public var billable: Bool?
    /// `PMP` (per message) or `CBP` (conversation-based).
    public var pricingModel: String?
    /// `regular`, `free_customer_service` or `free_entry_point`.
    public var type: String?
    /// `marketing`, `utility`, `authentication`, `authentication-international`, `service` …
    public var category: String?

    public init(billable: Bool?, pricingModel: String?, type: String?, category: String?) {
        self.billable = billable
        self.pricingModel = pricingModel
        self.type = type
        self.category = category
    }

    enum CodingKeys: String, CodingKey { case billable, pricingModel = "pricing_model", type, category }
}
