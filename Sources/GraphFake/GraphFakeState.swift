import Foundation
import WhatsAppCloud

/// Everything the fake Graph API knows: its templates, what it was sent, what it must fail,
/// and where it posts status webhooks.
public actor GraphFakeState {
    /// The bearer token requests must carry.
    public let accessToken: String
    public let phoneNumberID: String
    public let displayPhoneNumber: String
    public let businessAccountID: String

    public private(set) var requests: [RecordedRequest] = []
    var templates: [GraphTemplate] = []
    private var failures: [(route: GraphFakeRoute, failure: GraphFakeFailure)] = []
    private var counter = 0

    /// Contacts Meta considers outside the customer-service window.
    public private(set) var outsideWindow: Set<String> = []
    /// Whether a free-form send outside the window is refused at once (400) instead of
    /// accepted and failed later by a status webhook, as Meta does either way.
    public private(set) var refuseOutsideWindowSynchronously = false

    /// Where status webhooks go, and the app secret that signs them.
    public private(set) var webhook: (url: URL, appSecret: String)?
    /// The statuses posted after an accepted send, in order.
    public private(set) var statusSequence: [String] = ["sent", "delivered", "read"]
    /// The pause before each status webhook.
    public private(set) var statusDelay: Duration = .milliseconds(50)

    public init(accessToken: String, phoneNumberID: String, displayPhoneNumber: String = "15550783881", businessAccountID: String) {
        self.accessToken = accessToken
        self.phoneNumberID = phoneNumberID
        self.displayPhoneNumber = displayPhoneNumber
        self.businessAccountID = businessAccountID
    }

    // MARK: Telling the fake what to do

    /// Makes the next `count` requests to `route` fail with `failure`.
    public func fail(_ route: GraphFakeRoute = .messages, with failure: GraphFakeFailure, times count: Int = 1) {
        for _ in 0..<count { failures.append((route, failure)) }
    }

    /// Marks a contact's window closed (Meta answers 131047 to free-form sends).
    public func closeWindow(for waID: String, synchronously: Bool = false) {
        outsideWindow.insert(waID)
        refuseOutsideWindowSynchronously = synchronously
    }

    /// Posts signed status webhooks to `url` after each accepted send.
    public func postStatuses(to url: URL, appSecret: String, sequence: [String] = ["sent", "delivered", "read"], delay: Duration = .milliseconds(50)) {
        webhook = (url, appSecret)
        statusSequence = sequence
        statusDelay = delay
    }

    /// Adds a template as if Meta had it (status as given). A header is text unless
    /// `headerFormat` says otherwise (`IMAGE`, `LOCATION`…; then `header` is not used).
    @discardableResult
    public func addTemplate(name: String, language: String, category: String = "UTILITY", status: String = "APPROVED", body: String, header: String? = nil,
                            headerFormat: String = "TEXT", buttons: [GraphTemplateComponent.Button] = []) -> GraphTemplate {
        var components: [GraphTemplateComponent] = []
        if let header { components.append(GraphTemplateComponent(type: "HEADER", format: headerFormat, text: headerFormat == "TEXT" ? header : nil)) }
        components.append(GraphTemplateComponent(type: "BODY", text: body))
        if !buttons.isEmpty { components.append(GraphTemplateComponent(type: "BUTTONS", buttons: buttons)) }
        let template = GraphTemplate(id: nextID(), name: name, language: language, status: status, category: category, components: components)
        templates.append(template)
        return template
    }

    /// Changes a template's status (as Meta's review or quality checks would).
    public func setTemplateStatus(id: String, to status: String) {
        guard let index = templates.firstIndex(where: { $0.id == id }) else { return }
        templates[index].status = status
    }

    /// Every template the fake holds.
    public var allTemplates: [GraphTemplate] { templates }

    /// Requests whose path ends with `suffix`.
    public func requests(endingWith suffix: String) -> [RecordedRequest] {
        requests.filter { $0.path.hasSuffix(suffix) }
    }

    // MARK: Used by the routes

    func record(_ request: RecordedRequest) {
        requests.append(request)
    }

    func takeFailure(for route: GraphFakeRoute) -> GraphFakeFailure? {
        guard let index = failures.firstIndex(where: { $0.route == route || $0.route == .any }) else { return nil }
        return failures.remove(at: index).failure
    }

    func nextID() -> String {
        counter += 1
        return String(1_000_000_000_000_000 + counter)
    }

    func nextMessageID(for waID: String) -> String {
        counter += 1
        let raw = "\(waID)-\(counter)-\(UUID().uuidString.prefix(8))"
        return "wamid." + Data(raw.utf8).base64EncodedString()
    }

    func appendTemplate(_ template: GraphTemplate) {
        templates.append(template)
    }

    func removeTemplates(named name: String, id: String?) -> Int {
        let before = templates.count
        templates.removeAll { $0.name == name && (id == nil || $0.id == id) }
        return before - templates.count
    }
}
