/// A message for `POST /{phone-number-id}/messages`, encoded in Meta's shape:
/// `{"messaging_product": "whatsapp", "recipient_type": "individual", "to": …, "type": …, "<type>": {…}}`.
///
/// Decoding is strict (the fake Graph API uses it to check requests as Meta would).
public struct OutboundMessage: Sendable, Hashable, Codable {
    /// The recipient's number, digits with or without `+`.
    public var to: String
    public var content: OutboundContent
    /// The wamid this message quotes (a contextual reply).
    public var replyTo: String?
    /// A string Meta echoes back in this message's status webhooks.
    public var callbackData: String?

    public init(to: String, content: OutboundContent, replyTo: String? = nil, callbackData: String? = nil) {
        self.to = to
        self.content = content
        self.replyTo = replyTo
        self.callbackData = callbackData
    }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product", recipientType = "recipient_type", to, type, context
        case callbackData = "biz_opaque_callback_data"
        case text, image, audio, video, document, sticker, interactive, template
    }

    struct Context: Codable, Hashable { var message_id: String }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("whatsapp", forKey: .messagingProduct)
        try container.encode("individual", forKey: .recipientType)
        try container.encode(to, forKey: .to)
        try container.encodeIfPresent(replyTo.map(Context.init(message_id:)), forKey: .context)
        try container.encodeIfPresent(callbackData, forKey: .callbackData)
        switch content {
        case .text(let body, let previewURL):
            try container.encode("text", forKey: .type)
            try container.encode(TextBody(body: body, preview_url: previewURL ? true : nil), forKey: .text)
        case .media(let kind, let media):
            try container.encode(kind.rawValue, forKey: .type)
            try container.encode(media, forKey: kind.codingKey)
        case .interactive(let interactive):
            try container.encode("interactive", forKey: .type)
            try container.encode(interactive, forKey: .interactive)
        case .template(let template):
            try container.encode("template", forKey: .type)
            try container.encode(template, forKey: .template)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let product = try container.decode(String.self, forKey: .messagingProduct)
        guard product == "whatsapp" else {
            throw DecodingError.dataCorruptedError(forKey: .messagingProduct, in: container, debugDescription: "messaging_product must be \"whatsapp\"")
        }
        if let recipientType = try container.decodeIfPresent(String.self, forKey: .recipientType), recipientType != "individual" {
            throw DecodingError.dataCorruptedError(forKey: .recipientType, in: container, debugDescription: "recipient_type must be \"individual\"")
        }
        to = try container.decode(String.self, forKey: .to)
        guard to.filter(\.isNumber).count >= 5, to.allSatisfy({ $0.isNumber || "+-() ".contains($0) }) else {
            throw DecodingError.dataCorruptedError(forKey: .to, in: container, debugDescription: "to is not a phone number")
        }
        replyTo = try container.decodeIfPresent(Context.self, forKey: .context)?.message_id
        callbackData = try container.decodeIfPresent(String.self, forKey: .callbackData)
        let type = try container.decodeIfPresent(String.self, forKey: .type) ?? "text"
        switch type {
        case "text":
            let text = try container.decode(TextBody.self, forKey: .text)
            guard !text.body.isEmpty, text.body.count <= 4096 else {
                throw DecodingError.dataCorruptedError(forKey: .text, in: container, debugDescription: "text.body must have 1 to 4096 characters")
            }
            content = .text(body: text.body, previewURL: text.preview_url ?? false)
        case "interactive":
            content = .interactive(try container.decode(InteractiveMessage.self, forKey: .interactive))
        case "template":
            content = .template(try container.decode(TemplateMessage.self, forKey: .template))
        default:
            guard let kind = MediaKind(rawValue: type) else {
                throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unsupported message type \(type)")
            }
            content = .media(kind, try container.decode(OutboundMedia.self, forKey: kind.codingKey))
        }
    }

    struct TextBody: Codable, Hashable {
        var body: String
        var preview_url: Bool?
    }
}

/// What an outbound message carries.
public enum OutboundContent: Sendable, Hashable {
    /// Free-form text; `previewURL` asks WhatsApp to render a link preview.
    case text(body: String, previewURL: Bool = false)
    /// An image, audio, video, document or sticker.
    case media(MediaKind, OutboundMedia)
    /// Reply buttons or a list.
    case interactive(InteractiveMessage)
    /// An approved template.
    case template(TemplateMessage)

    /// Whether this needs an open customer-service window.
    public var isFreeForm: Bool {
        if case .template = self { return false }
        return true
    }
}

/// The kinds of media WhatsApp carries.
public enum MediaKind: String, Sendable, Hashable, Codable, CaseIterable {
    case image, audio, video, document, sticker

    var codingKey: OutboundMessage.CodingKeys {
        switch self {
        case .image: .image
        case .audio: .audio
        case .video: .video
        case .document: .document
        case .sticker: .sticker
        }
    }
}

/// A media object: an uploaded media id or a public link, with an optional caption and file name.
public struct OutboundMedia: Sendable, Hashable, Codable {
    public var id: String?
    public var link: String?
    public var caption: String?
    public var filename: String?

    /// Media already uploaded to Meta.
    public static func id(_ id: String, caption: String? = nil, filename: String? = nil) -> OutboundMedia {
        OutboundMedia(id: id, link: nil, caption: caption, filename: filename)
    }

    /// Media Meta downloads from a URL.
    public static func link(_ link: String, caption: String? = nil, filename: String? = nil) -> OutboundMedia {
        OutboundMedia(id: nil, link: link, caption: caption, filename: filename)
    }

    public init(id: String?, link: String?, caption: String? = nil, filename: String? = nil) {
        self.id = id
        self.link = link
        self.caption = caption
        self.filename = filename
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        link = try container.decodeIfPresent(String.self, forKey: .link)
        caption = try container.decodeIfPresent(String.self, forKey: .caption)
        filename = try container.decodeIfPresent(String.self, forKey: .filename)
        guard (id == nil) != (link == nil) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "media needs exactly one of id or link"))
        }
    }
}
