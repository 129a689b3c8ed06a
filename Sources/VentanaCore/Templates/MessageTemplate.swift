/// A message template: a name in a language, its category, status and components.
public struct MessageTemplate: Sendable, Hashable, Codable {
    /// Lowercase letters, digits and underscores, at most 512 characters.
    public var name: String
    public var language: TemplateLanguage
    public var category: TemplateCategory
    public var status: TemplateStatus
    public var components: TemplateComponents

    public init(name: String, language: TemplateLanguage, category: TemplateCategory, status: TemplateStatus = .draft, components: TemplateComponents) {
        self.name = name
        self.language = language
        self.category = category
        self.status = status
        self.components = components
    }

    /// Every variable the template has, in send order: header, body, then buttons.
    public var variables: [TemplateVariable] {
        var found: [TemplateVariable] = []
        switch components.header {
        case .text(let text)?:
            found += TemplatePlaceholder.scan(text).map { TemplateVariable(slot: .header, key: $0.key) }
        case .media?:
            found.append(TemplateVariable(slot: .header, key: TemplateVariable.mediaKey))
        case .location?:
            found.append(TemplateVariable(slot: .header, key: TemplateVariable.locationKey))
        case nil:
            break
        }
        found += TemplatePlaceholder.scan(components.body).map { TemplateVariable(slot: .body, key: $0.key) }
        for (index, button) in components.buttons.enumerated() {
            if case .url(_, let url) = button {
                found += TemplatePlaceholder.scan(url).map { TemplateVariable(slot: .button(index), key: $0.key) }
            }
        }
        return found
    }
}
