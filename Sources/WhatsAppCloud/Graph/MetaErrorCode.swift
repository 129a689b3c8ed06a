/// What one of Meta's error codes means for an agent: a plain reason and the next step.
public struct MetaErrorCode: Sendable, Hashable {
    /// Meta's numeric code (`131047`).
    public let code: Int
    /// What happened, in plain words.
    public let reason: String
    /// What the agent (or the admin) should do next.
    public let nextStep: String
    /// Whether sending the same request again later can succeed without changing anything.
    public let isTransient: Bool

    /// The explanation of `code`, or a generic one for codes not listed.
    public static func explain(_ code: Int) -> MetaErrorCode {
        catalog[code] ?? MetaErrorCode(
            code: code, reason: "WhatsApp refused the message (error \(code))",
            nextStep: "check the details and try again; contact an admin if it keeps failing", isTransient: false)
    }

    /// Whether `code` is one of the errors this catalog explains.
    public static func isKnown(_ code: Int) -> Bool {
        catalog[code] != nil
    }

    /// Meta's window-closed error: only a template can reach the contact now.
    public static let reEngagementRequired = 131_047

    private static func entry(_ code: Int, _ reason: String, _ nextStep: String, transient: Bool = false) -> (Int, MetaErrorCode) {
        (code, MetaErrorCode(code: code, reason: reason, nextStep: nextStep, isTransient: transient))
    }

    private static let catalog: [Int: MetaErrorCode] = Dictionary(uniqueKeysWithValues: [
        entry(0, "WhatsApp could not authenticate Ventana", "an admin must renew the access token"),
        entry(4, "too many API calls from this app", "wait a few minutes and retry", transient: true),
        entry(10, "Ventana lacks a WhatsApp permission", "an admin must grant the app the WhatsApp permissions"),
        entry(100, "WhatsApp rejected a parameter of the request", "check the message's content; an admin can read the details"),
        entry(190, "the WhatsApp access token has expired", "an admin must set a new WHATSAPP_ACCESS_TOKEN"),
        entry(368, "the WhatsApp account is temporarily blocked for policy violations", "an admin must check the account in WhatsApp Manager"),
        entry(80_007, "the WhatsApp account hit its API rate limit", "wait and retry", transient: true),
        entry(130_429, "WhatsApp's sending rate for this number was reached", "wait a moment; Ventana retries on its own", transient: true),
        entry(130_472, "the contact is in one of Meta's marketing experiments", "the message was not sent; try a utility template or later"),
        entry(131_000, "WhatsApp had an unknown error", "retry", transient: true),
        entry(131_008, "a required parameter is missing", "fill every field and retry"),
        entry(131_009, "a parameter value is invalid", "check the values and retry"),
        entry(131_016, "WhatsApp is temporarily unavailable", "retry in a few minutes", transient: true),
        entry(131_026, "this number cannot receive WhatsApp messages", "check the number, or reach the contact another way"),
        entry(131_031, "the WhatsApp account is locked", "an admin must check the account in WhatsApp Manager"),
        entry(131_042, "there is a payment problem with the WhatsApp account", "an admin must fix the payment method"),
        entry(131_047, "window closed — more than 24 hours since the contact last wrote", "resume with a template"),
        entry(131_048, "too many messages from this number were blocked or flagged as spam", "slow down and review the templates"),
        entry(131_049, "Meta held the message to protect engagement (marketing limit per contact)", "wait at least 24 hours before another marketing template"),
        entry(131_050, "the contact opted out of marketing messages", "do not send marketing templates to this contact"),
        entry(131_051, "this message type is not supported", "send text or a supported media type"),
        entry(131_052, "the contact's media could not be downloaded", "ask the contact to send it again"),
        entry(131_053, "the media could not be uploaded", "check the file's type and size and retry"),
        entry(131_056, "too many messages to this contact in a short time", "wait a little before the next message", transient: true),
        entry(131_057, "the WhatsApp account is in maintenance", "retry in a minute", transient: true),
        entry(132_000, "the number of template values does not match the template", "fill exactly the template's variables"),
        entry(132_001, "the template does not exist in this language or is not approved", "pick an approved template in the contact's language"),
        entry(132_005, "the filled-in template is too long", "shorten the values"),
        entry(132_007, "the template's content breaks WhatsApp's policy", "edit the template"),
        entry(132_012, "a template value has the wrong format", "check the values' types (text, media, currency)"),
        entry(132_015, "template paused by Meta for low quality", "pick another template, or edit this one"),
        entry(132_016, "template disabled by Meta after repeated pauses", "create a new template"),
        entry(133_010, "the business number is not registered with the Cloud API", "an admin must register the number"),
        entry(135_000, "WhatsApp refused the request", "check the message and retry"),
    ])
}
