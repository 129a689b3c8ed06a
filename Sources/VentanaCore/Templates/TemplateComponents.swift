/// The parts of a template: optional header, the body, optional footer and buttons.
public struct TemplateComponents: Sendable, Hashable, Codable {
    public var header: TemplateHeader?
    /// The message text, with variables `{{1}}`, `{{2}}`… (required, at most 1024 characters).
    public var body: String
    /// A short line under the body, without variables (at most 60 characters).
    public var footer: String?
    public var buttons: [TemplateButton]

    public init(header: TemplateHeader? = nil, body: String, footer: String? = nil, buttons: [TemplateButton] = []) {
        self.header = header
        self.body = body
        self.footer = footer
        self.buttons = buttons
    }
}

/// A template's header.
public enum TemplateHeader: Sendable, Hashable, Codable {
    /// Text of at most 60 characters with at most one variable.
    case text(String)
    /// An image, video or document given at send time.
    case media(MediaFormat)
    /// A location given at send time.
    case location

    /// The kinds of media a header can hold.
    public enum MediaFormat: String, Sendable, Hashable, Codable, CaseIterable {
        case image = "IMAGE"
        case video = "VIDEO"
        case document = "DOCUMENT"
    }
}

/// A template button.
public enum TemplateButton: Sendable, Hashable, Codable {
    /// Sends `text` back as the contact's reply.
    case quickReply(text: String)
    /// Opens `url`, which may end in one variable `{{1}}`.
    case url(text: String, url: String)
    /// Calls a phone number.
    case phoneNumber(text: String, phoneNumber: String)
    /// Copies a code (one-time passwords, coupons).
    case copyCode(example: String)

    /// The label the contact sees.
    public var label: String {
        switch self {
        case .quickReply(let text), .url(let text, _), .phoneNumber(let text, _): text
        case .copyCode: "Copy code"
        }
    }
}
