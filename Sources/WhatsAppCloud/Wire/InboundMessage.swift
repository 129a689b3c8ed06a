import Foundation

/// A message from a contact.
public struct InboundMessage: Sendable, Hashable, Codable {
    /// The wamid.
    public var id: String
    /// The contact's number.
    public var from: String
    /// WhatsApp's own time of the message (Unix seconds on the wire).
    public var timestamp: Date
    /// The raw `type`.
    public var type: String
    /// Set when the message replies to, or was forwarded from, another.
    public var context: MessageContext?
    /// Set when the contact came from a click-to-WhatsApp ad or a page button.
    public var referral: AdReferral?
    /// Meta's errors, on `unsupported` messages.
    public var errors: [MetaErrorDetail]
    public var content: InboundContent

    public init(id: String, from: String, timestamp: Date, type: String, context: MessageContext? = nil, referral: AdReferral? = nil, errors: [MetaErrorDetail] = [], content: InboundContent) {
        self.id = id
        self.from = from
        self.timestamp = timestamp
        self.type = type
        self.context = context
        self.referral = referral
        self.errors = errors
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case id, from, timestamp, type, context, referral, errors
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        from = try container.decode(String.self, forKey: .from)
        guard !id.isEmpty, !from.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "id and from must not be empty")
        }
        timestamp = try UnixTime.decode(container, .timestamp)
        type = try container.decode(String.self, forKey: .type)
        context = try container.decodeIfPresent(MessageContext.self, forKey: .context)
        referral = try container.decodeIfPresent(AdReferral.self, forKey: .referral)
        errors = try container.decodeIfPresent([MetaErrorDetail].self, forKey: .errors) ?? []
        content = try InboundContent(type: type, from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(context, forKey: .context)
        try container.encode(from, forKey: .from)
        try container.encode(id, forKey: .id)
        try container.encode(UnixTime.string(timestamp), forKey: .timestamp)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(referral, forKey: .referral)
        if !errors.isEmpty { try container.encode(errors, forKey: .errors) }
        try content.encode(to: encoder)
    }
}

/// What a reply quotes, or where a forwarded message came from.
public struct MessageContext: Sendable, Hashable, Codable {
    /// The business number of the quoted message.
    public var from: String?
    /// The quoted message's wamid.
    public var id: String?
    public var forwarded: Bool?
    public var frequentlyForwarded: Bool?
    public var referredProduct: ReferredProduct?

    public struct ReferredProduct: Sendable, Hashable, Codable {
        public var catalogID: String?
        public var productRetailerID: String?
        public init(catalogID: String?, productRetailerID: String?) {
            self.catalogID = catalogID
            self.productRetailerID = productRetailerID
        }
        enum CodingKeys: String, CodingKey { case catalogID = "catalog_id", productRetailerID = "product_retailer_id" }
    }

    public init(from: String? = nil, id: String? = nil, forwarded: Bool? = nil, frequentlyForwarded: Bool? = nil, referredProduct: ReferredProduct? = nil) {
        self.from = from
        self.id = id
        self.forwarded = forwarded
        self.frequentlyForwarded = frequentlyForwarded
        self.referredProduct = referredProduct
    }

    enum CodingKeys: String, CodingKey {
        case from, id, forwarded, frequentlyForwarded = "frequently_forwarded", referredProduct = "referred_product"
    }
}

/// A click-to-WhatsApp ad or page call-to-action the contact came from.
public struct AdReferral: Sendable, Hashable, Codable {
    public var sourceURL: String?
    public var sourceID: String?
    public var sourceType: String?
    public var body: String?
    public var headline: String?
    public var mediaType: String?
    public var imageURL: String?
    public var videoURL: String?
    public var thumbnailURL: String?
    public var ctwaClid: String?
    public var welcomeMessage: WelcomeMessage?

    public struct WelcomeMessage: Sendable, Hashable, Codable {
        public var text: String?
        public init(text: String?) { self.text = text }
    }

    public init(sourceURL: String?, sourceID: String?, sourceType: String?, body: String?, headline: String?, mediaType: String?, imageURL: String?, videoURL: String?, thumbnailURL: String?, ctwaClid: String?, welcomeMessage: WelcomeMessage?) {
        self.sourceURL = sourceURL
        self.sourceID = sourceID
        self.sourceType = sourceType
        self.body = body
        self.headline = headline
        self.mediaType = mediaType
        self.imageURL = imageURL
        self.videoURL = videoURL
        self.thumbnailURL = thumbnailURL
        self.ctwaClid = ctwaClid
        self.welcomeMessage = welcomeMessage
    }

    enum CodingKeys: String, CodingKey {
        case sourceURL = "source_url", sourceID = "source_id", sourceType = "source_type", body, headline
        case mediaType = "media_type", imageURL = "image_url", videoURL = "video_url", thumbnailURL = "thumbnail_url"
        case ctwaClid = "ctwa_clid", welcomeMessage = "welcome_message"
    }
}
