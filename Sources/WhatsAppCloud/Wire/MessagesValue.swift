/// The value of a `messages` change.
public struct MessagesValue: Sendable, Hashable, Codable {
    public var messagingProduct: String?
    public var metadata: PhoneNumberMetadata
    public var contacts: [WebhookContact]
    public var messages: [InboundMessage]
    public var statuses: [MessageStatus]
    /// System-level errors not tied to one message.
    public var errors: [MetaErrorDetail]

    public init(messagingProduct: String? = "whatsapp", metadata: PhoneNumberMetadata, contacts: [WebhookContact] = [], messages: [InboundMessage] = [], statuses: [MessageStatus] = [], errors: [MetaErrorDetail] = []) {
        self.messagingProduct = messagingProduct
        self.metadata = metadata
        self.contacts = contacts
        self.messages = messages
        self.statuses = statuses
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product", metadata, contacts, messages, statuses, errors
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messagingProduct = try container.decodeIfPresent(String.self, forKey: .messagingProduct)
        metadata = try container.decode(PhoneNumberMetadata.self, forKey: .metadata)
        contacts = try container.decodeIfPresent([WebhookContact].self, forKey: .contacts) ?? []
        messages = try container.decodeIfPresent([InboundMessage].self, forKey: .messages) ?? []
        statuses = try container.decodeIfPresent([MessageStatus].self, forKey: .statuses) ?? []
        errors = try container.decodeIfPresent([MetaErrorDetail].self, forKey: .errors) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(messagingProduct, forKey: .messagingProduct)
        try container.encode(metadata, forKey: .metadata)
        if !contacts.isEmpty { try container.encode(contacts, forKey: .contacts) }
        if !messages.isEmpty { try container.encode(messages, forKey: .messages) }
        if !statuses.isEmpty { try container.encode(statuses, forKey: .statuses) }
        if !errors.isEmpty { try container.encode(errors, forKey: .errors) }
    }
}

/// The business number a change concerns.
public struct PhoneNumberMetadata: Sendable, Hashable, Codable {
    public var displayPhoneNumber: String
    public var phoneNumberID: String

    public init(displayPhoneNumber: String, phoneNumberID: String) {
        self.displayPhoneNumber = displayPhoneNumber
        self.phoneNumberID = phoneNumberID
    }

    enum CodingKeys: String, CodingKey {
        case displayPhoneNumber = "display_phone_number", phoneNumberID = "phone_number_id"
    }
}

/// A contact as webhooks describe them: `{"profile": {"name"}, "wa_id"}`.
public struct WebhookContact: Sendable, Hashable, Codable {
    public var waID: String
    public var profileName: String?

    public init(waID: String, profileName: String?) {
        self.waID = waID
        self.profileName = profileName
    }

    enum CodingKeys: String, CodingKey { case waID = "wa_id", profile }
    struct Profile: Codable { var name: String? }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        waID = try container.decode(String.self, forKey: .waID)
        profileName = try container.decodeIfPresent(Profile.self, forKey: .profile)?.name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Profile(name: profileName), forKey: .profile)
        try container.encode(waID, forKey: .waID)
    }
}

/// One of Meta's errors inside a webhook: `{"code", "title", "message", "error_data": {"details"}, "href"}`.
public struct MetaErrorDetail: Sendable, Hashable, Codable {
    public var code: Int
    public var title: String?
    public var message: String?
    public var details: String?
    public var href: String?

    public init(code: Int, title: String? = nil, message: String? = nil, details: String? = nil, href: String? = nil) {
        self.code = code
        self.title = title
        self.message = message
        self.details = details
        self.href = href
    }

    enum CodingKeys: String, CodingKey { case code, title, message, errorData = "error_data", href }
    struct ErrorData: Codable { var details: String? }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(Int.self, forKey: .code)
        title = try container.decodeIfPresent(String.self, forKey: .title)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        details = try container.decodeIfPresent(ErrorData.self, forKey: .errorData)?.details
        href = try container.decodeIfPresent(String.self, forKey: .href)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encodeIfPresent(title, forKey: .title)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(details.map { ErrorData(details: $0) }, forKey: .errorData)
        try container.encodeIfPresent(href, forKey: .href)
    }
}
