/// A message template as Meta's management API lists it.
public struct GraphTemplate: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var language: String
    public var status: String
    public var category: String
    public var components: [GraphTemplateComponent]
    public var rejectedReason: String?
    public var qualityScore: QualityScore?
    public var parameterFormat: String?

    public struct QualityScore: Sendable, Hashable, Codable {
        public var score: String
        public init(score: String) { self.score = score }
    }

    public init(id: String, name: String, language: String, status: String, category: String, components: [GraphTemplateComponent], rejectedReason: String? = nil, qualityScore: QualityScore? = nil, parameterFormat: String? = nil) {
        self.id = id
        self.name = name
        self.language = language
        self.status = status
        self.category = category
        self.components = components
        self.rejectedReason = rejectedReason
        self.qualityScore = qualityScore
        self.parameterFormat = parameterFormat
    }

    enum CodingKeys: String, CodingKey {
        case id, name, language, status, category, components
        case rejectedReason = "rejected_reason", qualityScore = "quality_score", parameterFormat = "parameter_format"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        language = try container.decode(String.self, forKey: .language)
        status = try container.decode(String.self, forKey: .status)
        category = try container.decode(String.self, forKey: .category)
        components = try container.decodeIfPresent([GraphTemplateComponent].self, forKey: .components) ?? []
        rejectedReason = try container.decodeIfPresent(String.self, forKey: .rejectedReason)
        qualityScore = try container.decodeIfPresent(QualityScore.self, forKey: .qualityScore)
        parameterFormat = try container.decodeIfPresent(String.self, forKey: .parameterFormat)
    }
}

/// One component of a template in Meta's management format (`HEADER`, `BODY`, `FOOTER`, `BUTTONS`).
public struct GraphTemplateComponent: Sendable, Hashable, Codable {
    public var type: String
    /// For headers: `TEXT`, `IMAGE`, `VIDEO`, `DOCUMENT`, `LOCATION`.
    public var format: String?
    public var text: String?
    public var buttons: [Button]?
    /// Example values Meta requires at creation for each variable.
    public var example: JSONValue?

    public init(type: String, format: String? = nil, text: String? = nil, buttons: [Button]? = nil, example: JSONValue? = nil) {
        self.type = type
        self.format = format
        self.text = text
        self.buttons = buttons
        self.example = example
    }

    /// A button in Meta's management format.
    public struct Button: Sendable, Hashable, Codable {
        /// `QUICK_REPLY`, `URL`, `PHONE_NUMBER`, `COPY_CODE` …
        public var type: String
        public var text: String?
        public var url: String?
        public var phoneNumber: String?
        public var example: JSONValue?

        public init(type: String, text: String? = nil, url: String? = nil, phoneNumber: String? = nil, example: JSONValue? = nil) {
            self.type = type
            self.text = text
            self.url = url
            self.phoneNumber = phoneNumber
            self.example = example
        }

        enum CodingKeys: String, CodingKey {
            case type, text, url, phoneNumber = "phone_number", example
        }
    }
}

/// A template to submit for review: `POST /{waba-id}/message_templates`.
public struct TemplateSubmission: Sendable, Hashable, Codable {
    public var name: String
    public var language: String
    public var category: String
    public var components: [GraphTemplateComponent]
    public var parameterFormat: String?

    public init(name: String, language: String, category: String, components: [GraphTemplateComponent], parameterFormat: String? = nil) {
        self.name = name
        self.language = language
        self.category = category
        self.components = components
        self.parameterFormat = parameterFormat
    }

    enum CodingKeys: String, CodingKey {
        case name, language, category, components, parameterFormat = "parameter_format"
    }
}

/// Meta's answer to a template submission: `{"id", "status": "PENDING", "category"}`.
public struct SubmittedTemplate: Sendable, Hashable, Codable {
    public var id: String
    public var status: String
    /// The category Meta assigned, which may differ from the one requested.
    public var category: String

    public init(id: String, status: String, category: String) {
        self.id = id
        self.status = status
        self.category = category
    }
}

/// One page of Meta's template list.
public struct TemplatePage: Sendable, Hashable, Codable {
    public var data: [GraphTemplate]
    public var paging: Paging?

    public struct Paging: Sendable, Hashable, Codable {
        public var cursors: Cursors?
        public var next: String?
        public init(cursors: Cursors?, next: String?) {
            self.cursors = cursors
            self.next = next
        }
    }

    public struct Cursors: Sendable, Hashable, Codable {
        public var before: String?
        public var after: String?
        public init(before: String?, after: String?) {
            self.before = before
            self.after = after
        }
    }

    public init(data: [GraphTemplate], paging: Paging?) {
        self.data = data
        self.paging = paging
    }

    /// The cursor of the next page, when there is one.
    public var nextCursor: String? {
        paging?.next == nil ? nil : paging?.cursors?.after
    }
}

/// Meta's answer to a send: the wamid and, for templates under pacing, its status.
public struct SendResponse: Sendable, Hashable, Codable {
    public var messagingProduct: String
    public var contacts: [Contact]
    public var messages: [Message]

    public struct Contact: Sendable, Hashable, Codable {
        public var input: String
        public var waID: String
        enum CodingKeys: String, CodingKey { case input, waID = "wa_id" }
        public init(input: String, waID: String) {
            self.input = input
            self.waID = waID
        }
    }

    public struct Message: Sendable, Hashable, Codable {
        public var id: String
        /// `accepted`, `held_for_quality_assessment` or `paused` (template pacing only).
        public var messageStatus: String?
        enum CodingKeys: String, CodingKey { case id, messageStatus = "message_status" }
        public init(id: String, messageStatus: String? = nil) {
            self.id = id
            self.messageStatus = messageStatus
        }
    }

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product", contacts, messages
    }

    public init(messagingProduct: String = "whatsapp", contacts: [Contact], messages: [Message]) {
        self.messagingProduct = messagingProduct
        self.contacts = contacts
        self.messages = messages
    }

    /// The wamid Meta gave the message.
    public var messageID: String? { messages.first?.id }
}
