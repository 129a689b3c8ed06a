import Fluent
import Foundation
import Vapor
import VentanaCore
import WhatsAppCloud

/// Sends text inside the window and templates at any time. Every send is stored as `queued`
/// before the Graph call, then accepted (with Meta's wamid) or failed with Meta's reason.
struct SendController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let signedIn = routes.grouped(AgentAuthenticator())
        signedIn.post("conversations", ":conversationID", "messages", use: sendText)
        signedIn.post("conversations", ":conversationID", "templates", use: sendTemplate)
    }

    struct TextInput: Content {
        var text: String
    }

    @Sendable
    func sendText(request: Request) async throws -> Response {
        try await Idempotency.run(request) {
            let conversation = try await ConversationController.accessible(request)
            let input = try request.content.decode(TextInput.self)
            guard !input.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, input.text.count <= 4096 else {
                throw APIError(.unprocessableEntity, code: "invalid_text", message: "a message has 1 to 4096 characters")
            }
            let policy = request.application.sessionPolicy
            let snapshot = try await ConversationSession.snapshot(conversation, at: request.now, policy: policy, on: request.db)
            guard snapshot.canSendText else {
                request.application.metrics.sendsRefusedWindowClosed.increment()
                throw APIError(.conflict, code: "session_expired", message: "the 24-hour window is closed (\(snapshot.state.rawValue)): resume with an approved template")
            }
            let contact = try await conversation.$contact.get(on: request.db)
            let message = MessageRecord()
            message.$conversation.id = conversation.id!
            message.direction = MessageRecord.outbound
            message.kind = "text"
            message.text = input.text
            message.status = DeliveryStatus.queued.rawValue
            message.$sender.id = try request.signedIn.id
            message.at = request.now
            message.createdAt = request.now
            message.costAmount = PriceQuote.format(0)
            message.costCurrency = try await RateCardBook.card(on: request.now, db: request.db).currency
            message.freeReason = FreeReason.serviceMessage.rawValue
            try await message.create(on: request.db)
            // The agent's reply is activity too ("the rest by last activity"); never moved back.
            try await ConversationRecord.query(on: request.db).filter(\.$id == conversation.id!).filter(\.$lastMessageAt < request.now)
                .set(\.$lastMessageAt, to: request.now).update()

            let outbound = OutboundMessage(to: "+" + contact.waID, content: .text(body: input.text), callbackData: message.id?.uuidString)
            try await Self.deliver(outbound, record: message, conversation: conversation, request: request)
            let response = Response(status: message.status == DeliveryStatus.failed.rawValue ? .badGateway : .created)
            try response.content.encode(MessageView(message))
            return response
        }
    }

    struct TemplateInput: Content {
        var name: String
        var language: String
        var parameters: [String]?
    }

    struct TemplateSent: Content {
        var message: MessageView
        var cost: CostView
    }

    @Sendable
    func sendTemplate(request: Request) async throws -> Response {
        try await Idempotency.run(request) {
            let conversation = try await ConversationController.accessible(request)
            let input = try request.content.decode(TemplateInput.self)
            let contact = try await conversation.$contact.get(on: request.db)
            let all = try await request.application.templateCatalog.templates(request: request)
            guard let language = TemplateLanguage(rawValue: input.language),
                  let found = all.first(where: { $0.name == input.name && TemplateLanguage(rawValue: $0.language) == language }) else {
                throw APIError(.unprocessableEntity, code: "template_not_found", message: "no template \(input.name) in \(input.language)")
            }
            let template = try TemplateMapping.template(from: found)
            guard template.status.isSendable else {
                throw APIError(.unprocessableEntity, code: "template_not_approved", message: "\(input.name) is \(template.status.rawValue.lowercased()): \(template.status.refusal ?? "")")
            }
            if case .location? = template.components.header {
                // Meta wants a map point (latitude, longitude, name, address) there, which a
                // list of text values cannot carry: refused here rather than failed by Meta.
                throw APIError(.unprocessableEntity, code: "template_unsupported", message: "\(input.name) has a location header, which Ventana cannot fill yet: choose another template")
            }
            let values = try await Self.values(given: input.parameters ?? [], for: template, named: found.name, language: found.language,
                                               contact: contact, agent: try request.signedIn.agent, on: request.db)
            do throws(TemplateParameterError) {
                _ = try template.render(values)
            } catch {
                throw APIError(.unprocessableEntity, code: error.code, message: error.description)
            }
            let configuration = request.application.ventana.configuration
            let snapshot = try await ConversationSession.snapshot(conversation, at: request.now, policy: request.application.sessionPolicy, on: request.db)
            let quote = try PriceQuoter(rateCard: try await RateCardBook.card(on: request.now, db: request.db), model: configuration.pricingModel)
                .quote(.template(template.category), to: contact.waID, session: snapshot,
                       openConversations: try await CostLedger.openConversations(in: conversation.id!, now: request.now, on: request.db))

            // The budget check and the ledger row go together, one send at a time, so parallel
            // sends cannot each see the same room left in the budget.
            let agentID = try request.signedIn.id
            let body = try template.render(values).body
            let now = request.now, conversationID = conversation.id!, templateName = found.name, templateLanguage = found.language
            let message = try await BudgetGuard.exclusively(on: request.db) { db -> MessageRecord in
                try await BudgetGuard.check(quote, agentID: agentID, now: now, on: db)
                let message = MessageRecord()
                message.$conversation.id = conversationID
                message.direction = MessageRecord.outbound
                message.kind = "template"
                message.text = body
                message.status = DeliveryStatus.queued.rawValue
                message.$sender.id = agentID
                message.templateName = templateName
                message.templateLanguage = templateLanguage
                message.templateCategory = template.category.rawValue
                message.costAmount = quote.formattedAmount
                message.costCurrency = quote.currency
                message.freeReason = quote.freeReason?.rawValue
                message.at = now
                message.createdAt = now
                try await message.create(on: db)
                try await CostLedger.record(quote, for: message, conversationID: conversationID, on: db)
                return message
            }

            let outbound = OutboundMessage(to: "+" + contact.waID, content: .template(TemplateMapping.send(template, languageCode: found.language, values: values)), callbackData: message.id?.uuidString)
            try await Self.routeToSender(conversation, agentID: agentID, request: request)
            conversation.lastMessageAt = max(conversation.lastMessageAt, request.now)
            try await conversation.save(on: request.db)
            try await Self.deliver(outbound, record: message, conversation: conversation, request: request)
            let response = Response(status: message.status == DeliveryStatus.failed.rawValue ? .badGateway : .accepted)
            try response.content.encode(TemplateSent(message: MessageView(message), cost: CostView(quote)))
            return response
        }
    }

    /// The answer to a template goes back to whoever sent it (SPEC §3): a chat in the shared
    /// inbox, or a closed one, becomes the sender's and waits in their ongoing list. A chat
    /// another agent holds stays theirs. One conditional update, as `take` does.
    static func routeToSender(_ conversation: ConversationRecord, agentID: UUID, request: Request) async throws {
        guard conversation.$assignee.id == nil || conversation.closed else { return }
        let previous = conversation.$assignee.id
        try await ConversationRecord.query(on: request.db).filter(\.$id == conversation.id!)
            .group(.or) { $0.filter(\.$assignee.$id == nil).filter(\.$closed == true) }
            .set(\.$assignee.$id, to: agentID).set(\.$closed, to: false).update()
        guard let routed = try await ConversationRecord.find(conversation.id, on: request.db), routed.$assignee.id == agentID, !routed.closed else { return }
        conversation.$assignee.id = agentID
        conversation.closed = false
        await request.application.scheduler.routed(conversation.id!, kind: .conversationAssigned, previousAssignee: previous)
    }

    /// The template's values: typed ones for the unbound variables, in order, with the bound ones
    /// filled from the chat. Giving every value, bound ones included, also works.
    static func values(given: [String], for template: MessageTemplate, named name: String, language: String,
                       contact: ContactRecord, agent: AgentRecord, on db: any Database) async throws -> [String] {
        let bindings = try await TemplateStore.find(name, language, on: db)?.variableBindings ?? [:]
        let total = template.variables.count
        guard !bindings.isEmpty, given.count != total else { return given }
        var typed = given.makeIterator()
        var values: [String] = []
        for position in 1...max(total, 1) where total > 0 {
            if let binding = bindings[position] {
                guard let value = binding.value(contact: contact, agent: agent) else {
                    throw APIError(.unprocessableEntity, code: "parameter_empty", message: "variable \(position) is bound to \(binding.rawValue), which this chat does not have: type it instead")
                }
                values.append(value)
            } else if let value = typed.next() {
                values.append(value)
            }
        }
        let unbound = total - bindings.keys.filter { (1...total).contains($0) }.count
        guard given.count == unbound else {
            throw APIError(.unprocessableEntity, code: "parameter_count_mismatch", message: "the template has \(unbound) variable\(unbound == 1 ? "" : "s") left to fill (\(total) in all) but \(given.count) value\(given.count == 1 ? " was" : "s were") given")
        }
        return values
    }

    /// Calls the provider and records the outcome on the stored message.
    static func deliver(_ outbound: OutboundMessage, record message: MessageRecord, conversation: ConversationRecord, request: Request) async throws {
        let answer: SendResponse
        do throws(GraphAPIError) {
            answer = try await request.application.whatsApp.send(outbound)
        } catch {
            request.application.metrics.sendsFailed.increment()
            let code = error.metaCode
            // Failed only if still queued: a status webhook may already have said Meta took it
            // (an answer lost on the way back), and Meta's word stands.
            let id = message.id!
            try await MessageRecord.query(on: request.db).filter(\.$id == id).filter(\.$status == DeliveryStatus.queued.rawValue)
                .set(\.$status, to: DeliveryStatus.failed.rawValue).set(\.$errorCode, to: code).set(\.$errorReason, to: error.explanation.reason)
                .update()
            if let stored = try await MessageRecord.find(id, on: request.db) {
                message.status = stored.status
                message.errorCode = stored.errorCode
                message.errorReason = stored.errorReason
                message.wamid = stored.wamid
            }
            guard message.status == DeliveryStatus.failed.rawValue else {
                await request.application.scheduler.touched([conversation.id!])
                return
            }
            // A failed send costs nothing and spends no budget. If Meta did take it after all (a
            // timeout after it left), its status revives the row and charges it then. Voided
            // under the message's lock, only if still failed: a status that said Meta took it in
            // the meantime is not undone.
            let now = request.now
            try await request.db.writeTransaction { db in
                guard try await MessageRecord.findForUpdate(id, on: db)?.status == DeliveryStatus.failed.rawValue else { return }
                try await CostLedger.void(messageID: id, at: now, on: db)
            }
            request.logger.warning("send failed", metadata: ["conversation": "\(conversation.id!)", "meta_code": "\(code ?? 0)"])
            if code == MetaErrorCode.reEngagementRequired {
                // Read under lock: a message from the contact may arrive during the Graph call or
                // while this writes, and the window must build on it.
                let now = request.now, id = conversation.id!
                try await request.db.writeTransaction { db in
                    guard let current = try await ConversationRecord.findForUpdate(id, on: db) else { return }
                    current.reEngagementAt = max(current.reEngagementAt ?? now, now)
                    current.expiresAt = ConversationSession.timeline(current, templates: []).expiresAt
                    try await current.save(on: db)
                }
                await request.application.scheduler.touched([id])
                throw APIError(.conflict, code: "session_expired", message: "WhatsApp says the window is closed: resume with a template")
            }
            await request.application.scheduler.touched([conversation.id!])
            return
        }
        request.application.metrics.sendsAccepted.increment()
        request.application.metrics.messagesOut.increment()
        message.wamid = answer.messageID
        try await message.save(on: request.db)
        try await StatusApplier.applyPending(to: message, on: request.db)
        // After the statuses that came before Meta's answer: the event says where the chat is.
        await request.application.scheduler.touched([conversation.id!])
        request.logger.info("message accepted", metadata: ["conversation": "\(conversation.id!)", "wamid": "\(answer.messageID ?? "")"])
    }
}

/// A template as the list shows it.
struct TemplateListItem: Content {
    var id: String
    var name: String
    var language: String
    var status: String
    var category: String
    var header: String?
    var body: String?
    var footer: String?
    var buttons: [String]
    var variables: Int
    var rejectedReason: String?
    var quality: String?
    /// Set when Meta moved the template to another category: its price changed.
    var categoryChange: CategoryChange?
    /// Variables filled from the chat: position → field.
    var bindings: [String: String]

    struct CategoryChange: Content {
        var from: String
        var at: Date
    }

    init(_ record: TemplateRecord) {
        let template = record.graph
        id = template.id
        name = template.name
        language = template.language
        status = template.status
        category = template.category
        let header = template.components.first { $0.type.uppercased() == "HEADER" }
        self.header = header.map { ($0.format ?? "TEXT").uppercased() == "TEXT" ? $0.text ?? "" : ($0.format ?? "").uppercased() }
        body = template.components.first { $0.type.uppercased() == "BODY" }?.text
        footer = template.components.first { $0.type.uppercased() == "FOOTER" }?.text
        buttons = template.components.first { $0.type.uppercased() == "BUTTONS" }?.buttons?.map { $0.text ?? $0.type } ?? []
        variables = (try? TemplateMapping.template(from: template).variables.count) ?? 0
        rejectedReason = record.rejectedReason
        quality = record.quality
        categoryChange = zip2(record.previousCategory, record.categoryChangedAt).map { CategoryChange(from: $0, at: $1) }
        bindings = Dictionary(uniqueKeysWithValues: record.variableBindings.map { (String($0.key), $0.value.rawValue) })
    }
}

private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
