import AsyncHTTPClient
import Foundation
import VentanaCore
import WhatsAppCloud

/// The sandbox's simulated WhatsApp: it receives what Ventana sends as Meta would (checking
/// templates and the contact's window), and answers with the very webhook deliveries Meta
/// sends — statuses sent → delivered → read, template approvals, the contact's messages —
/// signed and posted to Ventana's own webhook over HTTP.
actor SandboxPhone {
    static let businessAccountID = "100000000000001"
    static let phoneNumberID = "100000000000002"
    static let displayPhoneNumber = "15550100001"

    /// The secrets the sandbox signs with; Ventana verifies against the same.
    nonisolated let secrets: WebhookSecrets
    private let clock: SandboxClock
    private let client: HTTPClient
    private let webhookURL: @Sendable () -> URL?
    /// How long Meta's "review" of a submitted template takes in the sandbox.
    private let reviewDelay: Duration
    /// The pause between a send and each of its status webhooks.
    private let statusDelay: Duration

    private(set) var contacts: [String: SandboxContact] = [:]
    private(set) var received: [SandboxReceivedMessage] = []
    private(set) var templates: [GraphTemplate] = SandboxPhone.starterTemplates
    private var counter = 0
    /// While true, Meta's status webhooks wait: a person can watch a send stay `resuming`.
    private(set) var statusesHeld = false
    /// A Meta error code the next message Ventana sends fails with (its status webhook says
    /// `failed`), as when the number cannot receive it; used once.
    private(set) var nextFailure: Int?

    init(clock: SandboxClock, client: HTTPClient, webhookURL: @escaping @Sendable () -> URL?, reviewDelay: Duration = .seconds(3), statusDelay: Duration = .milliseconds(400)) {
        secrets = WebhookSecrets(appSecret: "sandbox-" + UUID().uuidString, verifyToken: "sandbox-" + UUID().uuidString)
        self.clock = clock
        self.client = client
        self.webhookURL = webhookURL
        self.reviewDelay = reviewDelay
        self.statusDelay = statusDelay
    }

    // MARK: - The contact's side

    /// The contact writes a text message; returns its wamid once Ventana acknowledged it.
    @discardableResult
    func contactSends(text: String, from waID: String, name: String, referral: Bool = false) async throws -> String {
        try await contactSends(.text(body: text), type: "text", from: waID, name: name, context: nil, referral: referral)
    }

    /// The contact taps a template's quick-reply button.
    @discardableResult
    func contactTaps(button text: String, payload: String?, on messageID: String, from waID: String, name: String) async throws -> String {
        let context = MessageContext(from: Self.displayPhoneNumber, id: messageID)
        return try await contactSends(.button(payload: payload ?? text, text: text), type: "button", from: waID, name: name, context: context, referral: false)
    }

    private func contactSends(_ content: InboundContent, type: String, from waID: String, name: String, context: MessageContext?, referral: Bool) async throws -> String {
        let digits = waID.filter(\.isNumber)
        guard digits.count >= 7, digits.count <= 15 else { throw SandboxError.invalidNumber }
        let now = Self.whole(clock.now())
        contacts[digits] = SandboxContact(waID: digits, name: name, lastMessageAt: now)
        let id = nextMessageID(digits)
        let message = InboundMessage(
            id: id, from: digits, timestamp: now, type: type, context: context,
            referral: referral ? AdReferral.sandbox : nil, errors: [], content: content)
        let delivery = WebhookDelivery.inbound(
            businessAccountID: Self.businessAccountID, phoneNumberID: Self.phoneNumberID, displayPhoneNumber: Self.displayPhoneNumber,
            contact: WebhookContact(waID: digits, profileName: name), message: message)
        try await post(delivery)
        return id
    }

    // MARK: - What Ventana sends

    /// Receives a message as Meta's send endpoint would.
    func receive(_ message: OutboundMessage) throws(GraphAPIError) -> SendResponse {
        let waID = message.to.filter(\.isNumber)
        let now = Self.whole(clock.now())
        var text: String
        var buttons: [String] = []
        var isTemplate = false
        var category: String?
        switch message.content {
        case .text(let body, _):
            text = body
        case .media(let kind, let media):
            text = "[\(kind.rawValue)]" + (media.caption.map { " \($0)" } ?? "")
        case .interactive(let interactive):
            text = interactive.body
            switch interactive.action {
            case .buttons(let list): buttons = list.map(\.title)
            case .list(let button, _): buttons = [button]
            }
        case .template(let send):
            isTemplate = true
            guard let template = templates.first(where: { $0.name == send.name && $0.language == send.languageCode }) else {
                throw .meta(Self.error(132_001, httpStatus: 404, "template name (\(send.name)) does not exist in \(send.languageCode)"))
            }
            switch template.status {
            case "APPROVED": break
            case "PAUSED": throw .meta(Self.error(132_015, "Template is paused"))
            case "DISABLED": throw .meta(Self.error(132_016, "Template is disabled"))
            default: throw .meta(Self.error(132_001, httpStatus: 404, "template \(send.name) is not approved"))
            }
            let values = send.components.flatMap(\.parameters).compactMap { $0.text ?? $0.payload }
            let body = template.components.first { $0.type.uppercased() == "BODY" }?.text ?? ""
            let expected = Self.placeholders(in: body)
            guard send.parameterCount >= expected.count else {
                throw .meta(Self.error(132_000, "number of parameters does not match the expected number of params"))
            }
            text = Self.fill(body, with: values)
            category = template.category.lowercased()
            buttons = template.components.first { $0.type.uppercased() == "BUTTONS" }?.buttons?.compactMap(\.text) ?? []
        }
        let id = nextMessageID(waID)
        // Meta accepts free-form outside the window and fails it afterwards with 131047.
        let windowOpen = contacts[waID]?.lastMessageAt.map { now < $0.addingTimeInterval(SessionPolicy.windowLength) } ?? false
        var failure: Int? = (isTemplate || windowOpen) ? nil : MetaErrorCode.reEngagementRequired
        if let injected = nextFailure {
            failure = injected
            nextFailure = nil
        }
        received.append(SandboxReceivedMessage(
            id: id, to: waID, kind: isTemplate ? "template" : "text", text: text, buttons: buttons, at: now,
            status: "accepted", errorCode: failure))
        let billing = Billing(category: category, freeInWindow: category == "utility" && windowOpen)
        scheduleStatuses(for: id, to: waID, billing: isTemplate ? billing : nil, failure: failure, callbackData: message.callbackData)
        return SendResponse(contacts: [.init(input: message.to, waID: waID)], messages: [.init(id: id, messageStatus: isTemplate ? "accepted" : nil)])
    }

    /// Holds or releases the status webhooks of what Ventana sends.
    func holdStatuses(_ held: Bool) {
        statusesHeld = held
    }

    /// Makes the next message Ventana sends fail with Meta's `code` (nil cancels).
    func failNext(with code: Int?) {
        nextFailure = code
    }

    /// Accepts a template for review and approves it (with a status webhook) shortly after.
    func submit(_ submission: TemplateSubmission) throws(GraphAPIError) -> SubmittedTemplate {
        guard !templates.contains(where: { $0.name == submission.name && $0.language == submission.language }) else {
            throw .meta(Self.error(100, "Content in this language already exists"))
        }
        counter += 1
        let template = GraphTemplate(
            id: String(200_000_000_000_000 + counter), name: submission.name, language: submission.language,
            status: "PENDING", category: submission.category.uppercased(), components: submission.components)
        templates.append(template)
        let delay = reviewDelay
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.approve(templateID: template.id)
        }
        return SubmittedTemplate(id: template.id, status: "PENDING", category: template.category)
    }

    func delete(named name: String, templateID: String?) throws(GraphAPIError) {
        let before = templates.count
        templates.removeAll { $0.name == name && (templateID == nil || $0.id == templateID) }
        guard templates.count < before else { throw .meta(Self.error(100, "Message template not found")) }
    }

    private func approve(templateID: String) async {
        guard let index = templates.firstIndex(where: { $0.id == templateID }) else { return }
        templates[index].status = "APPROVED"
        let template = templates[index]
        let update = TemplateStatusUpdate(
            event: "APPROVED", messageTemplateID: template.id, messageTemplateName: template.name,
            messageTemplateLanguage: template.language, reason: "NONE", category: template.category)
        try? await post(WebhookDelivery.templateStatus(businessAccountID: Self.businessAccountID, at: clock.now(), update: update))
    }

    /// How Meta bills a template: its category, and whether the open window makes it free.
    struct Billing: Sendable {
        var category: String?
        var freeInWindow: Bool
    }

    private func scheduleStatuses(for id: String, to waID: String, billing: Billing?, failure: Int?, callbackData: String?) {
        let sequence = failure == nil ? ["sent", "delivered", "read"] : ["failed"]
        let delay = statusDelay
        Task { [weak self] in
            for status in sequence {
                try? await Task.sleep(for: delay)
                while await self?.statusesHeld == true { try? await Task.sleep(for: .milliseconds(100)) }
                await self?.report(status, for: id, to: waID, billing: billing, failure: failure, callbackData: callbackData)
            }
        }
    }

    private func report(_ status: String, for id: String, to waID: String, billing: Billing?, failure: Int?, callbackData: String?) async {
        if let index = received.firstIndex(where: { $0.id == id }) { received[index].status = status }
        let update = MessageStatus.simulated(id: id, status: status, recipientID: waID, at: Self.whole(clock.now()), isTemplate: billing != nil, errorCode: failure, callbackData: callbackData,
                                                 templateCategory: billing?.category, freeInWindow: billing?.freeInWindow ?? false)
        try? await post(WebhookDelivery.statusUpdate(
            businessAccountID: Self.businessAccountID, phoneNumberID: Self.phoneNumberID,
            displayPhoneNumber: Self.displayPhoneNumber, status: update))
    }

    private func post(_ delivery: WebhookDelivery) async throws {
        guard let url = webhookURL() else { throw SandboxError.notServing }
        let status = try await WebhookPoster.post(delivery, to: url, appSecret: secrets.appSecret, client: client)
        guard status == 200 else { throw SandboxError.refused(status: status) }
    }

    // MARK: - Helpers

    private func nextMessageID(_ waID: String) -> String {
        counter += 1
        return "wamid." + Data("sandbox-\(waID)-\(counter)-\(UUID().uuidString.prefix(8))".utf8).base64EncodedString()
    }

    /// WhatsApp timestamps are whole seconds.
    static func whole(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    static func error(_ code: Int, httpStatus: Int = 400, _ details: String) -> MetaGraphError {
        MetaGraphError(message: "(#\(code)) \(MetaErrorCode.explain(code).reason)", code: code, details: details, fbtraceID: "ASandbox", httpStatus: httpStatus)
    }

    static func placeholders(in text: String) -> [String] {
        var found: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let key = String(rest[open.upperBound..<close.lowerBound])
            if !found.contains(key) { found.append(key) }
            rest = rest[close.upperBound...]
        }
        return found
    }

    static func fill(_ text: String, with values: [String]) -> String {
        var result = text
        for (index, value) in values.enumerated() {
            result = result.replacingOccurrences(of: "{{\(index + 1)}}", with: value)
        }
        return result
    }

    /// Approved templates the sandbox starts with, so Resume can be tried at once.
    static let starterTemplates: [GraphTemplate] = [
        GraphTemplate(id: "300000000000001", name: "follow_up", language: "en_US", status: "APPROVED", category: "UTILITY", components: [
            GraphTemplateComponent(type: "BODY", text: "Hi {{1}}, this is {{2}} following up on your request. Reply to continue."),
            GraphTemplateComponent(type: "BUTTONS", buttons: [.init(type: "QUICK_REPLY", text: "Continue"), .init(type: "QUICK_REPLY", text: "Not now")]),
        ]),
        GraphTemplate(id: "300000000000002", name: "follow_up", language: "es", status: "APPROVED", category: "UTILITY", components: [
            GraphTemplateComponent(type: "BODY", text: "Hola {{1}}, soy {{2}} y te escribo sobre tu solicitud. Responde para continuar."),
            GraphTemplateComponent(type: "BUTTONS", buttons: [.init(type: "QUICK_REPLY", text: "Continuar"), .init(type: "QUICK_REPLY", text: "Ahora no")]),
        ]),
        GraphTemplate(id: "300000000000003", name: "spring_offer", language: "en_US", status: "APPROVED", category: "MARKETING", components: [
            GraphTemplateComponent(type: "BODY", text: "Hi {{1}}, our spring offer is on: {{2}} off until Friday."),
        ]),
    ]
}

/// Why the sandbox could not do what it was asked.
enum SandboxError: Error, CustomStringConvertible {
    case invalidNumber
    case notServing
    case refused(status: Int)

    var description: String {
        switch self {
        case .invalidNumber: "a WhatsApp number has 7 to 15 digits, country code first"
        case .notServing: "the server is not listening yet"
        case .refused(let status): "Ventana's webhook answered \(status)"
        }
    }
}
