import AsyncHTTPClient
import Foundation
import Vapor
import WhatsAppCloud

/// The Graph API paths the fake serves.
struct GraphFakeRoutes: RouteCollection {
    let state: GraphFakeState
    let client: HTTPClient

    func boot(routes: any RoutesBuilder) throws {
        let version = routes.grouped(":version")
        version.on(.POST, ":node", "messages", body: .collect(maxSize: "1mb"), use: messages)
        version.get(":node", "message_templates", use: listTemplates)
        version.on(.POST, ":node", "message_templates", body: .collect(maxSize: "1mb"), use: createTemplate)
        version.delete(":node", "message_templates", use: deleteTemplate)
    }

    // MARK: - Messages

    @Sendable
    func messages(request: Request) async throws -> Response {
        let body = request.body.data.map { Data($0.readableBytesView) } ?? Data()
        do {
            let response = try await handleMessage(request: request, body: body)
            await state.record(Self.recording(request, body: body, status: Int(response.status.code)))
            return response
        } catch let error as MetaGraphErrorResponse {
            await state.record(Self.recording(request, body: body, status: error.error.httpStatus))
            throw error
        } catch let failure as BareHTTPFailure {
            await state.record(Self.recording(request, body: body, status: failure.status))
            throw failure
        }
    }

    private func handleMessage(request: Request, body: Data) async throws -> Response {
        try await authenticate(request)
        guard request.parameters.get("node") == state.phoneNumberID else {
            throw Self.metaError(100, details: "Unsupported post request. Object with ID '\(request.parameters.get("node") ?? "")' does not exist")
        }
        if let failure = await state.takeFailure(for: .messages) {
            try await apply(failure)
        }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw Self.metaError(100, details: "The request body is not a JSON object")
        }
        if object["status"] as? String == "read" {
            guard object["messaging_product"] as? String == "whatsapp", object["message_id"] is String else {
                throw Self.metaError(100, details: "messaging_product and message_id are required to mark a message read")
            }
            return try Self.json(["success": true])
        }
        let message: OutboundMessage
        do {
            message = try JSONDecoder().decode(OutboundMessage.self, from: body)
        } catch {
            throw Self.metaError(100, details: "Invalid parameter: \(Self.describe(error))")
        }
        let waID = message.to.filter(\.isNumber)

        var messageStatus: String? = nil
        switch message.content {
        case .template(let template):
            try await checkTemplate(template)
            messageStatus = "accepted"
        default:
            if await state.outsideWindow.contains(waID), await state.refuseOutsideWindowSynchronously {
                throw Self.metaError(131_047, details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
            }
        }

        let wamid = await state.nextMessageID(for: waID)
        let outside = await state.outsideWindow.contains(waID)
        let failsLater = !message.content.isTemplate && outside
        scheduleStatuses(for: wamid, recipient: waID, failing: failsLater ? 131_047 : nil, isTemplate: message.content.isTemplate, callbackData: message.callbackData)
        let answer = SendResponse(contacts: [.init(input: message.to, waID: waID)], messages: [.init(id: wamid, messageStatus: messageStatus)])
        return try Self.json(answer)
    }

    private func checkTemplate(_ template: TemplateMessage) async throws {
        let all = await state.templates
        guard let found = all.first(where: { $0.name == template.name && $0.language == template.languageCode }) else {
            throw Self.metaError(132_001, httpStatus: 404, details: "template name (\(template.name)) does not exist in \(template.languageCode)")
        }
        switch found.status {
        case "APPROVED": break
        case "PAUSED": throw Self.metaError(132_015, details: "Template is paused")
        case "DISABLED": throw Self.metaError(132_016, details: "Template is disabled")
        default: throw Self.metaError(132_001, httpStatus: 404, details: "template name (\(template.name)) is not approved in \(template.languageCode)")
        }
        let expected = Self.variableCount(of: found)
        guard template.parameterCount == expected else {
            throw Self.metaError(132_000, details: "body: number of localizable_params (\(template.parameterCount)) does not match the expected number of params (\(expected))")
        }
        // A named-parameter template: each value carries the name of its variable.
        for component in found.components where ["HEADER", "BODY"].contains(component.type.uppercased()) {
            let named = Self.namedVariables(component.text ?? "")
            guard !named.isEmpty else { continue }
            let sent = template.components.first { $0.type == component.type.lowercased() }?.parameters ?? []
            guard sent.allSatisfy({ $0.parameterName != nil }), Set(sent.compactMap(\.parameterName)) == named else {
                throw Self.metaError(132_000, details: "\(component.type.lowercased()): parameter_name missing or not the template's (\(named.sorted().joined(separator: ", ")))")
            }
        }
    }

    /// The names of `{{first_name}}`-style variables in `text`.
    static func namedVariables(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let first = name.first, first.isLetter { names.insert(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// Posts the configured status webhooks for an accepted message, signed, in order.
    private func scheduleStatuses(for wamid: String, recipient: String, failing code: Int?, isTemplate: Bool, callbackData: String?) {
        let state = self.state
        let client = self.client
        Task {
            guard let target = await state.webhook else { return }
            let sequence = code == nil ? await state.statusSequence : ["failed"]
            let delay = await state.statusDelay
            for status in sequence {
                try? await Task.sleep(for: delay)
                let update = WebhookDelivery.statusUpdate(
                    businessAccountID: state.businessAccountID, phoneNumberID: state.phoneNumberID,
                    displayPhoneNumber: state.displayPhoneNumber,
                    status: MessageStatus.simulated(id: wamid, status: status, recipientID: recipient, at: Date(), isTemplate: isTemplate, errorCode: code, callbackData: callbackData))
                // As Meta does, a delivery that was not acknowledged is sent again, with backoff.
                for attempt in 0..<5 {
                    if let status = try? await WebhookPoster.post(update, to: target.url, appSecret: target.appSecret, client: client), (200..<300).contains(status) { break }
                    try? await Task.sleep(for: .milliseconds(100 << attempt))
                }
            }
        }
    }

    // MARK: - Templates

    @Sendable
    func listTemplates(request: Request) async throws -> Response {
        try await authenticate(request)
        try await checkAccount(request)
        if let failure = await state.takeFailure(for: .templates) { try await apply(failure) }
        let limit = min(max(request.query[Int.self, at: "limit"] ?? 25, 1), 1_000)
        let offset = request.query[String.self, at: "after"].flatMap { Data(base64Encoded: $0) }.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
        let all = await state.templates
        guard offset <= all.count else { throw Self.metaError(100, details: "Invalid cursor") }
        let page = Array(all[offset..<min(all.count, offset + limit)])
        let end = offset + page.count
        let cursor = { (index: Int) in Data(String(index).utf8).base64EncodedString() }
        var next: String? = nil
        if end < all.count {
            var components = URLComponents(string: "http://127.0.0.1:\(request.application.http.server.shared.localAddress?.port ?? 0)\(request.url.path)")!
            components.queryItems = [URLQueryItem(name: "limit", value: String(limit)), URLQueryItem(name: "after", value: cursor(end))]
            next = components.url?.absoluteString
        }
        let answer = TemplatePage(data: page, paging: .init(cursors: .init(before: cursor(offset), after: cursor(end)), next: next))
        await state.record(Self.recording(request, body: Data(), status: 200))
        return try Self.json(answer)
    }

    @Sendable
    func createTemplate(request: Request) async throws -> Response {
        try await authenticate(request)
        try await checkAccount(request)
        if let failure = await state.takeFailure(for: .templates) { try await apply(failure) }
        let body = request.body.data.map { Data($0.readableBytesView) } ?? Data()
        let submission: TemplateSubmission
        do {
            submission = try JSONDecoder().decode(TemplateSubmission.self, from: body)
        } catch {
            throw Self.metaError(100, details: "Invalid parameter: \(Self.describe(error))")
        }
        if let problem = TemplateSubmissionCheck.problem(with: submission) {
            throw Self.metaError(100, subcode: problem.subcode, details: problem.details)
        }
        let existing = await state.templates
        if existing.contains(where: { $0.name == submission.name && $0.language == submission.language }) {
            throw Self.metaError(100, subcode: 2_388_024, details: "Content in this language already exists")
        }
        let category = submission.category.uppercased()
        let template = GraphTemplate(
            id: await state.nextID(), name: submission.name, language: submission.language, status: "PENDING",
            category: category, components: submission.components, parameterFormat: submission.parameterFormat)
        await state.appendTemplate(template)
        await state.record(Self.recording(request, body: body, status: 200))
        return try Self.json(SubmittedTemplate(id: template.id, status: "PENDING", category: category))
    }

    @Sendable
    func deleteTemplate(request: Request) async throws -> Response {
        try await authenticate(request)
        try await checkAccount(request)
        guard let name = request.query[String.self, at: "name"], !name.isEmpty else {
            throw Self.metaError(100, details: "The parameter name is required")
        }
        let removed = await state.removeTemplates(named: name, id: request.query[String.self, at: "hsm_id"])
        guard removed > 0 else {
            throw Self.metaError(100, subcode: 2_593_002, details: "Message template not found")
        }
        await state.record(Self.recording(request, body: Data(), status: 200))
        return try Self.json(["success": true])
    }

    // MARK: - Helpers

    private func authenticate(_ request: Request) async throws {
        let expected = "Bearer \(state.accessToken)"
        guard request.headers.first(name: .authorization) == expected else {
            await state.record(Self.recording(request, body: Data(), status: 401))
            throw MetaGraphErrorResponse(GraphFakeFailure.envelope(code: 190, httpStatus: 401, details: "Invalid OAuth access token"))
        }
    }

    private func checkAccount(_ request: Request) async throws {
        guard request.parameters.get("node") == state.businessAccountID else {
            throw Self.metaError(100, details: "Unsupported request. Object with ID '\(request.parameters.get("node") ?? "")' does not exist")
        }
    }

    private func apply(_ failure: GraphFakeFailure) async throws {
        switch failure {
        case .meta(let code, let status):
            throw MetaGraphErrorResponse(GraphFakeFailure.envelope(code: code, httpStatus: status))
        case .http(let status):
            throw BareHTTPFailure(status: status)
        case .slow(let seconds):
            try await Task.sleep(for: .seconds(seconds))
        }
    }

    static func metaError(_ code: Int, httpStatus: Int = 400, subcode: Int? = nil, details: String) -> MetaGraphErrorResponse {
        var error = GraphFakeFailure.envelope(code: code, httpStatus: httpStatus, details: details)
        error.errorSubcode = subcode
        return MetaGraphErrorResponse(error)
    }

    static func json<T: Encodable>(_ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(data: try encoder.encode(value)))
    }

    static func recording(_ request: Request, body: Data, status: Int) -> RecordedRequest {
        RecordedRequest(
            method: request.method.rawValue, path: request.url.path, query: request.url.query,
            authorization: request.headers.first(name: .authorization), body: body, status: status)
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context): "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let context): context.debugDescription
        default: "malformed JSON"
        }
    }

    /// The number of values a send of `template` must give: distinct variables in the header,
    /// the body and URL buttons (a media header takes one value).
    static func variableCount(of template: GraphTemplate) -> Int {
        var count = 0
        for component in template.components {
            switch component.type.uppercased() {
            case "HEADER":
                if let format = component.format?.uppercased(), format != "TEXT" { count += 1 } else { count += distinctVariables(component.text ?? "") }
            case "BODY":
                count += distinctVariables(component.text ?? "")
            case "BUTTONS":
                count += (component.buttons ?? []).map { distinctVariables($0.url ?? "") }.reduce(0, +)
            default:
                break
            }
        }
        return count
    }

    static func distinctVariables(_ text: String) -> Int {
        var names: Set<Substring> = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.insert(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
        }
        return names.count
    }
}

extension OutboundContent {
    var isTemplate: Bool {
        if case .template = self { return true }
        return false
    }
}
