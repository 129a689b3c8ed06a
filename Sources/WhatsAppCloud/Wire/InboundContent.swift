/// What an inbound message carries, by its `type`.
public enum InboundContent: Sendable, Hashable {
    case text(body: String)
    case image(InboundMedia)
    case audio(InboundMedia)
    case video(InboundMedia)
    case document(InboundMedia)
    case sticker(InboundMedia)
    case location(InboundLocation)
    case contacts([SharedContact])
    case interactive(InteractiveReply)
    /// A tap on a template's quick-reply button.
    case button(payload: String?, text: String)
    /// A reaction to a message; `emoji` is nil when the reaction was removed.
    case reaction(messageID: String, emoji: String?)
    case order(JSONValue)
    case system(body: String?, waID: String?, kind: String?)
    /// A message WhatsApp cannot deliver to the API (`unsupported.type`: edit, poll_update …).
    case unsupported(kind: String?)
    /// A type not known yet: kept with its object, never a decoding failure.
    case unknown(type: String, value: JSONValue?)

    /// A short description for lists, never containing message text.
    public var kind: String {
        switch self {
        case .text: "text"
        case .image: "image"
        case .audio: "audio"
        case .video: "video"
        case .document: "document"
        case .sticker: "sticker"
        case .location: "location"
        case .contacts: "contacts"
        case .interactive: "interactive"
        case .button: "button"
        case .reaction: "reaction"
        case .order: "order"
        case .system: "system"
        case .unsupported: "unsupported"
        case .unknown(let type, _): type
        }
    }

    private struct Text: Codable { var body: String }
    private struct Button: Codable { var payload: String?; var text: String }
    private struct Reaction: Codable {
        var message_id: String
        var emoji: String?
    }
    private struct System: Codable {
        var body: String?
        var wa_id: String?
        var type: String?
    }
    private struct Unsupported: Codable { var type: String? }

    init(type: String, from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let key = AnyKey(type)
        switch type {
        case "text": self = .text(body: try container.decode(Text.self, forKey: key).body)
        case "image": self = .image(try container.decode(InboundMedia.self, forKey: key))
        case "audio": self = .audio(try container.decode(InboundMedia.self, forKey: key))
        case "video": self = .video(try container.decode(InboundMedia.self, forKey: key))
        case "document": self = .document(try container.decode(InboundMedia.self, forKey: key))
        case "sticker": self = .sticker(try container.decode(InboundMedia.self, forKey: key))
        case "location": self = .location(try container.decode(InboundLocation.self, forKey: key))
        case "contacts": self = .contacts(try container.decode([SharedContact].self, forKey: key))
        case "interactive": self = .interactive(try container.decode(InteractiveReply.self, forKey: key))
        case "button":
            let button = try container.decode(Button.self, forKey: key)
            self = .button(payload: button.payload, text: button.text)
        case "reaction":
            let reaction = try container.decode(Reaction.self, forKey: key)
            self = .reaction(messageID: reaction.message_id, emoji: reaction.emoji?.isEmpty == false ? reaction.emoji : nil)
        case "order": self = .order(try container.decode(JSONValue.self, forKey: key))
        case "system":
            let system = try container.decode(System.self, forKey: key)
            self = .system(body: system.body, waID: system.wa_id, kind: system.type)
        case "unsupported": self = .unsupported(kind: try container.decodeIfPresent(Unsupported.self, forKey: key)?.type)
        default: self = .unknown(type: type, value: try container.decodeIfPresent(JSONValue.self, forKey: key))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        let key = AnyKey(kind)
        switch self {
        case .text(let body): try container.encode(Text(body: body), forKey: key)
        case .image(let media), .audio(let media), .video(let media), .document(let media), .sticker(let media):
            try container.encode(media, forKey: key)
        case .location(let location): try container.encode(location, forKey: key)
        case .contacts(let contacts): try container.encode(contacts, forKey: key)
        case .interactive(let reply): try container.encode(reply, forKey: key)
        case .button(let payload, let text): try container.encode(Button(payload: payload, text: text), forKey: key)
        case .reaction(let id, let emoji): try container.encode(Reaction(message_id: id, emoji: emoji), forKey: key)
        case .order(let value): try container.encode(value, forKey: key)
        case .system(let body, let waID, let kind): try container.encode(System(body: body, wa_id: waID, type: kind), forKey: key)
        case .unsupported(let kind): if let kind { try container.encode(Unsupported(type: kind), forKey: key) }
        case .unknown(_, let value): try container.encodeIfPresent(value, forKey: key)
        }
    }
}

/// An image, audio, video, document or sticker the contact sent.
public struct InboundMedia: Sendable, Hashable, Codable {
    /// The media id, to download it with the Graph API.
    public var id: String
    public var mimeType: String?
    public var sha256: String?
    public var caption: String?
    public var filename: String?
    /// True for voice notes.
    public var voice: Bool?
    /// True for animated stickers.
    public var animated: Bool?
    public var url: String?

    public init(id: String, mimeType: String? = nil, sha256: String? = nil, caption: String? = nil, filename: String? = nil, voice: Bool? = nil, animated: Bool? = nil, url: String? = nil) {
        self.id = id
        self.mimeType = mimeType
        self.sha256 = sha256
        self.caption = caption
        self.filename = filename
        self.voice = voice
        self.animated = animated
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case id, mimeType = "mime_type", sha256, caption, filename, voice, animated, url
    }
}

/// A location the contact shared.
public struct InboundLocation: Sendable, Hashable, Codable {
    public var latitude: Double
    public var longitude: Double
    public var name: String?
    public var address: String?
    public var url: String?

    public init(latitude: Double, longitude: Double, name: String? = nil, address: String? = nil, url: String? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.name = name
        self.address = address
        self.url = url
    }
}

/// A contact card the contact shared.
public struct SharedContact: Sendable, Hashable, Codable {
    public var name: Name?
    public var phones: [Phone]

    public struct Name: Sendable, Hashable, Codable {
        public var formattedName: String?
        public var firstName: String?
        public var lastName: String?
        public init(formattedName: String?, firstName: String? = nil, lastName: String? = nil) {
            self.formattedName = formattedName
            self.firstName = firstName
            self.lastName = lastName
        }
        enum CodingKeys: String, CodingKey { case formattedName = "formatted_name", firstName = "first_name", lastName = "last_name" }
    }

    public struct Phone: Sendable, Hashable, Codable {
        public var phone: String?
        public var waID: String?
        public var type: String?
        public init(phone: String?, waID: String? = nil, type: String? = nil) {
            self.phone = phone
            self.waID = waID
            self.type = type
        }
        enum CodingKeys: String, CodingKey { case phone, waID = "wa_id", type }
    }

    /// A contact card with a name and phone numbers.
    public init(name: Name?, phones: [Phone] = []) {
        self.name = name
        self.phones = phones
    }

    enum CodingKeys: String, CodingKey { case name, phones }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(Name.self, forKey: .name)
        phones = try container.decodeIfPresent([Phone].self, forKey: .phones) ?? []
    }
}

/// A tap on an interactive message: a reply button, a list row, or a Flow's answer.
public enum InteractiveReply: Sendable, Hashable, Codable {
    case buttonReply(id: String, title: String)
    case listReply(id: String, title: String, description: String?)
    case nfmReply(name: String?, body: String?, responseJSON: String?)
    case other(type: String, value: JSONValue)

    private struct Reply: Codable {
        var id: String
        var title: String
        var description: String?
    }
    private struct Flow: Codable {
        var name: String?
        var body: String?
        var response_json: String?
    }
    private enum CodingKeys: String, CodingKey { case type, buttonReply = "button_reply", listReply = "list_reply", nfmReply = "nfm_reply" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "button_reply":
            let reply = try container.decode(Reply.self, forKey: .buttonReply)
            self = .buttonReply(id: reply.id, title: reply.title)
        case "list_reply":
            let reply = try container.decode(Reply.self, forKey: .listReply)
            self = .listReply(id: reply.id, title: reply.title, description: reply.description)
        case "nfm_reply":
            let flow = try container.decode(Flow.self, forKey: .nfmReply)
            self = .nfmReply(name: flow.name, body: flow.body, responseJSON: flow.response_json)
        default:
            self = .other(type: type, value: try JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .buttonReply(let id, let title):
            try container.encode("button_reply", forKey: .type)
            try container.encode(Reply(id: id, title: title), forKey: .buttonReply)
        case .listReply(let id, let title, let description):
            try container.encode("list_reply", forKey: .type)
            try container.encode(Reply(id: id, title: title, description: description), forKey: .listReply)
        case .nfmReply(let name, let body, let json):
            try container.encode("nfm_reply", forKey: .type)
            try container.encode(Flow(name: name, body: body, response_json: json), forKey: .nfmReply)
        case .other(_, let value):
            try value.encode(to: encoder)
        }
    }
}
