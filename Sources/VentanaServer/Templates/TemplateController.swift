import Fluent
import Foundation
import Vapor
import VentanaCore
import WhatsAppCloud

/// Templates: list (everyone signed in), create and submit, sync now, delete (admins and supervisors).
struct TemplateController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let templates = routes.grouped(AgentAuthenticator()).grouped("templates")
        templates.get(use: list)
        templates.post(use: create)
        templates.post("sync", use: sync)
        templates.delete(":name", use: delete)
        templates.put(":name", "bindings", use: bind)
    }

    @Sendable
    func list(request: Request) async throws -> [TemplateListItem] {
        _ = try await request.application.templateCatalog.templates(request: request)
        return try await TemplateRecord.query(on: request.db).sort(\.$name).sort(\.$language).all().map(TemplateListItem.init)
    }

    struct ButtonInput: Content {
        var type: String
        var text: String?
        var url: String?
        var phoneNumber: String?
    }

    struct CreateInput: Content {
        var name: String
        var language: String
        var category: String
        var header: String?
        var body: String
        var footer: String?
        var buttons: [ButtonInput]?
        /// Example values for the variables, in order (Meta requires them for review).
        var examples: [String]?
    }

    @Sendable
    func create(request: Request) async throws -> Response {
        try request.require(.admin, .supervisor)
        let input = try request.content.decode(CreateInput.self)
        guard let language = TemplateLanguage(rawValue: input.language) else {
            throw APIError(.unprocessableEntity, code: "invalid_language", message: "\(input.language) is not a language code such as es or es_MX")
        }
        guard let category = TemplateCategory(metaName: input.category) else {
            throw APIError(.unprocessableEntity, code: "invalid_category", message: "category is MARKETING, UTILITY or AUTHENTICATION")
        }
        var buttons: [TemplateButton] = []
        for button in input.buttons ?? [] {
            switch button.type.lowercased() {
            case "quick_reply": buttons.append(.quickReply(text: button.text ?? ""))
            case "url": buttons.append(.url(text: button.text ?? "", url: button.url ?? ""))
            case "phone_number": buttons.append(.phoneNumber(text: button.text ?? "", phoneNumber: button.phoneNumber ?? ""))
            default: throw APIError(.unprocessableEntity, code: "invalid_button", message: "a button is quick_reply, url or phone_number")
            }
        }
        let template = MessageTemplate(name: input.name, language: language, category: category, status: .draft,
                                       components: TemplateComponents(header: input.header.map(TemplateHeader.text), body: input.body, footer: input.footer, buttons: buttons))
        // Meta's rules, checked here first: a template Meta would reject is never submitted.
        let violations = TemplateRules.violations(of: template)
        guard violations.isEmpty else {
            throw APIError(.unprocessableEntity, code: "template_invalid", message: violations.map(\.message).joined(separator: "; "))
        }
        if try await TemplateStore.find(input.name, language.rawValue, on: request.db) != nil {
            throw APIError(.conflict, code: "template_exists", message: "\(input.name) already exists in \(language.rawValue)")
        }
        let submission = TemplateSubmission(name: template.name, language: language.rawValue, category: category.rawValue,
                                            components: Self.components(of: template, examples: input.examples ?? []))
        let submitted: SubmittedTemplate
        do throws(GraphAPIError) {
            submitted = try await request.application.whatsApp.submitTemplate(submission)
        } catch {
            throw APIError(.badGateway, code: "whatsapp_refused", message: "WhatsApp refused the template: \(error.explanation.reason)")
        }
        let record = TemplateRecord()
        record.name = template.name
        record.language = language.rawValue
        record.category = ""
        record.update(from: GraphTemplate(id: submitted.id, name: template.name, language: language.rawValue, status: submitted.status,
                                          category: submitted.category, components: submission.components), at: request.now)
        if submitted.category.uppercased() != category.rawValue {
            // Meta categorised it differently from what was asked: that changes its price.
            record.previousCategory = category.rawValue
            record.categoryChangedAt = request.now
        }
        try await record.save(on: request.db)
        let response = Response(status: .created)
        try response.content.encode(TemplateListItem(record))
        return response
    }

    struct SyncOutput: Content {
        var templates: Int
    }

    @Sendable
    func sync(request: Request) async throws -> SyncOutput {
        try request.require(.admin, .supervisor)
        return SyncOutput(templates: try await TemplateStore.sync(from: request.application.whatsApp, on: request.db, now: request.now))
    }

    @Sendable
    func delete(request: Request) async throws -> HTTPStatus {
        try request.require(.admin, .supervisor)
        let name = request.parameters.get("name") ?? ""
        guard let language = request.query[String.self, at: "language"],
              let record = try await TemplateStore.find(name, language, on: request.db) else {
            throw APIError(.notFound, code: "template_not_found", message: "no template \(name) in that language (give ?language=)")
        }
        do throws(GraphAPIError) {
            try await request.application.whatsApp.deleteTemplate(named: record.name, templateID: record.metaID)
        } catch {
            throw APIError(.badGateway, code: "whatsapp_refused", message: "WhatsApp refused the deletion: \(error.explanation.reason)")
        }
        try await record.delete(on: request.db)
        return .noContent
    }

    struct BindingsInput: Content {
        /// Variable position (1-based, in send order) → `contact_name`, `contact_number` or `agent_name`.
        var bindings: [String: String]
    }

    @Sendable
    func bind(request: Request) async throws -> TemplateListItem {
        try request.require(.admin, .supervisor)
        let name = request.parameters.get("name") ?? ""
        guard let language = request.query[String.self, at: "language"],
              let record = try await TemplateStore.find(name, language, on: request.db) else {
            throw APIError(.notFound, code: "template_not_found", message: "no template \(name) in that language (give ?language=)")
        }
        let input = try request.content.decode(BindingsInput.self)
        let count = try TemplateMapping.template(from: record.graph).variables.count
        for (key, value) in input.bindings {
            guard let position = Int(key), (1...max(count, 1)).contains(position), count > 0 else {
                throw APIError(.unprocessableEntity, code: "invalid_binding", message: "\(key) is not a variable of \(name) (it has \(count))")
            }
            guard TemplateBinding(rawValue: value) != nil else {
                throw APIError(.unprocessableEntity, code: "invalid_binding", message: "\(value) is not one of \(TemplateBinding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        record.bindings = try JSONEncoder().encode(input.bindings)
        try await record.save(on: request.db)
        return TemplateListItem(record)
    }

    /// The template in Meta's submission format, with example values for its variables.
    static func components(of template: MessageTemplate, examples: [String]) -> [GraphTemplateComponent] {
        var next = 0
        func examplesFor(_ slot: TemplateVariable.Slot) -> [JSONValue] {
            template.variables.filter { $0.slot == slot }.map { _ in
                defer { next += 1 }
                return .string(next < examples.count ? examples[next] : "example \(next + 1)")
            }
        }
        var components: [GraphTemplateComponent] = []
        if case .text(let text)? = template.components.header {
            let values = examplesFor(.header)
            components.append(GraphTemplateComponent(type: "HEADER", format: "TEXT", text: text, example: values.isEmpty ? nil : .object(["header_text": .array(values)])))
        }
        let bodyValues = examplesFor(.body)
        components.append(GraphTemplateComponent(type: "BODY", text: template.components.body, example: bodyValues.isEmpty ? nil : .object(["body_text": .array([.array(bodyValues)])])))
        if let footer = template.components.footer {
            components.append(GraphTemplateComponent(type: "FOOTER", text: footer))
        }
        if !template.components.buttons.isEmpty {
            components.append(GraphTemplateComponent(type: "BUTTONS", buttons: template.components.buttons.map { button in
                switch button {
                case .quickReply(let text): .init(type: "QUICK_REPLY", text: text)
                case .url(let text, let url): .init(type: "URL", text: text, url: url)
                case .phoneNumber(let text, let phone): .init(type: "PHONE_NUMBER", text: text, phoneNumber: phone)
                case .copyCode(let example): .init(type: "COPY_CODE", example: .string(example))
                }
            }))
        }
        return components
    }
}
