import Foundation
import VentanaCore
import WhatsAppCloud

/// Maps between Meta's template format and the core's `MessageTemplate`.
enum TemplateMapping {
    /// The core template of a template Meta listed.
    static func template(from graph: GraphTemplate) throws -> MessageTemplate {
        guard let language = TemplateLanguage(rawValue: graph.language) else {
            throw APIError(.unprocessableEntity, code: "invalid_language", message: "\(graph.language) is not a language code")
        }
        let category = TemplateCategory(metaName: graph.category) ?? .marketing
        let status = TemplateStatus(metaName: graph.status) ?? .pending
        var header: TemplateHeader? = nil
        var body = ""
        var footer: String? = nil
        var buttons: [TemplateButton] = []
        for component in graph.components {
            switch component.type.uppercased() {
            case "HEADER":
                switch component.format?.uppercased() ?? "TEXT" {
                case "TEXT": header = .text(component.text ?? "")
                case "IMAGE": header = .media(.image)
                case "VIDEO": header = .media(.video)
                case "DOCUMENT": header = .media(.document)
                case "LOCATION": header = .location
                default: break
                }
            case "BODY": body = component.text ?? ""
            case "FOOTER": footer = component.text
            case "BUTTONS":
                for button in component.buttons ?? [] {
                    switch button.type.uppercased() {
                    case "QUICK_REPLY": buttons.append(.quickReply(text: button.text ?? ""))
                    case "URL": buttons.append(.url(text: button.text ?? "", url: button.url ?? ""))
                    case "PHONE_NUMBER": buttons.append(.phoneNumber(text: button.text ?? "", phoneNumber: button.phoneNumber ?? ""))
                    case "COPY_CODE": buttons.append(.copyCode(example: button.example?.stringValue ?? "code"))
                    default: break
                    }
                }
            default: break
            }
        }
        return MessageTemplate(name: graph.name, language: language, category: category, status: status,
                               components: TemplateComponents(header: header, body: body, footer: footer, buttons: buttons))
    }

    /// The send of `template` with `values` in the order of its variables.
    static func send(_ template: MessageTemplate, languageCode: String, values: [String]) -> TemplateMessage {
        var header: [TemplateMessage.Parameter] = []
        var body: [TemplateMessage.Parameter] = []
        var buttons: [Int: [TemplateMessage.Parameter]] = [:]
        for (variable, value) in zip(template.variables, values) {
            switch variable.slot {
            case .header:
                switch template.components.header {
                case .media(let format)?:
                    let media = OutboundMedia.link(value)
                    header.append(format == .image ? .image(media) : TemplateMessage.Parameter(type: format.rawValue.lowercased(), video: format == .video ? media : nil, document: format == .document ? media : nil))
                default:
                    header.append(.text(value, named: variable))
                }
            case .body: body.append(.text(value, named: variable))
            case .button(let index): buttons[index, default: []].append(.text(value))
            }
        }
        var components: [TemplateMessage.Component] = []
        if !header.isEmpty { components.append(.init(type: "header", parameters: header)) }
        if !body.isEmpty { components.append(.init(type: "body", parameters: body)) }
        for index in buttons.keys.sorted() {
            components.append(.init(type: "button", subType: "url", index: String(index), parameters: buttons[index]!))
        }
        return TemplateMessage(name: template.name, languageCode: languageCode, components: components)
    }
}

private extension TemplateMessage.Parameter {
    /// A text value, named as the template names it (`parameter_name`) when it does.
    static func text(_ value: String, named variable: TemplateVariable) -> Self {
        var parameter = Self.text(value)
        if variable.isNamed { parameter.parameterName = variable.key }
        return parameter
    }
}
