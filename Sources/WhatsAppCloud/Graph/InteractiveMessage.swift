/// An interactive message: up to three reply buttons, or a list of options.
public struct InteractiveMessage: Sendable, Hashable, Codable {
    public var header: String?
    public var body: String
    public var footer: String?
    public var action: Action

    /// What the contact can tap.
    public enum Action: Sendable, Hashable {
        /// Up to three buttons, each with an id and a title of at most 20 characters.
        case buttons([ReplyButton])
        /// A button that opens sections of rows.
        case list(button: String, sections: [ListSection])
    }

    public struct ReplyButton: Sendable, Hashable, Codable {
        public var id: String
        public var title: String
        public init(id: String, title: String) {
            self.id = id
            self.title = title
        }
    }

    public struct ListSection: Sendable, Hashable, Codable {
        public var title: String?
        public var rows: [ListRow]
        public init(title: String?, rows: [ListRow]) {
            self.title = title
            self.rows = rows
        }
    }

    public struct ListRow: Sendable, Hashable, Codable {
        public var id: String
        public var title: String
        public var description: String?
        public init(id: String, title: String, description: String? = nil) {
            self.id = id
            self.title = title
            self.description = description
        }
    }

    public init(header: String? = nil, body: String, footer: String? = nil, action: Action) {
        self.header = header
        self.body = body
        self.footer = footer
        self.action = action
    }

    private enum CodingKeys: String, CodingKey { case type, header, body, footer, action }
    private struct Text: Codable { var type: String?; var text: String }
    private struct Body: Codable { var text: String }
    private struct WireButton: Codable { var type: String; var reply: ReplyButton }
    private struct WireAction: Codable {
        var buttons: [WireButton]?
        var button: String?
        var sections: [ListSection]?
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(header.map { Text(type: "text", text: $0) }, forKey: .header)
        try container.encode(Body(text: body), forKey: .body)
        try container.encodeIfPresent(footer.map { Body(text: $0) }, forKey: .footer)
        switch action {
        case .buttons(let buttons):
            try container.encode("button", forKey: .type)
            try container.encode(WireAction(buttons: buttons.map { WireButton(type: "reply", reply: $0) }), forKey: .action)
        case .list(let button, let sections):
            try container.encode("list", forKey: .type)
            try container.encode(WireAction(button: button, sections: sections), forKey: .action)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        header = try container.decodeIfPresent(Text.self, forKey: .header)?.text
        body = try container.decode(Body.self, forKey: .body).text
        footer = try container.decodeIfPresent(Body.self, forKey: .footer)?.text
        let type = try container.decode(String.self, forKey: .type)
        let wire = try container.decode(WireAction.self, forKey: .action)
        switch type {
        case "button":
            guard let buttons = wire.buttons, (1...3).contains(buttons.count),
                  buttons.allSatisfy({ $0.type == "reply" && !$0.reply.title.isEmpty && $0.reply.title.count <= 20 }) else {
                throw DecodingError.dataCorruptedError(forKey: .action, in: container, debugDescription: "a button message needs 1 to 3 reply buttons with titles of at most 20 characters")
            }
            action = .buttons(buttons.map(\.reply))
        case "list":
            guard let button = wire.button, let sections = wire.sections, !sections.isEmpty,
                  sections.allSatisfy({ !$0.rows.isEmpty }), sections.map(\.rows.count).reduce(0, +) <= 10 else {
                throw DecodingError.dataCorruptedError(forKey: .action, in: container, debugDescription: "a list needs a button label and 1 to 10 rows in non-empty sections")
            }
            action = .list(button: button, sections: sections)
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unsupported interactive type \(type)")
        }
    }
}
