import Foundation

/// A template with its variables filled in: what the contact will see.
public struct RenderedTemplate: Sendable, Hashable, Codable {
    /// The header text, or `[image]` / `[video]` / `[document]` / `[location]` for media headers.
    public var header: String?
    public var body: String
    public var footer: String?
    /// Button labels, with URL buttons' filled-in addresses.
    public var buttons: [RenderedButton]

    /// A button as the contact sees it.
    public struct RenderedButton: Sendable, Hashable, Codable {
        public var label: String
        /// The filled-in URL of a URL button.
        public var url: String?
    }
}

extension MessageTemplate {
    /// Fills the template's ``variables`` with `values`, given in the same order.
    public func render(_ values: [String]) throws(TemplateParameterError) -> RenderedTemplate {
        let variables = self.variables
        guard values.count == variables.count else {
            throw .wrongCount(expected: variables.count, given: values.count)
        }
        for (variable, value) in zip(variables, values) where value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .emptyValue(variable)
        }
        var lookup: [TemplateVariable: String] = [:]
        for (variable, value) in zip(variables, values) { lookup[variable] = value }

        func fill(_ text: String, slot: TemplateVariable.Slot) -> String {
            let characters = Array(text)
            var result = ""
            var cursor = 0
            for placeholder in TemplatePlaceholder.occurrences(in: text) {
                result += String(characters[cursor..<placeholder.range.lowerBound])
                result += lookup[TemplateVariable(slot: slot, key: placeholder.key)] ?? String(characters[placeholder.range])
                cursor = placeholder.range.upperBound
            }
            return result + String(characters[cursor...])
        }

        let header: String?
        switch components.header {
        case .text(let text)?: header = fill(text, slot: .header)
        case .media(let format)?: header = "[\(format.rawValue.lowercased())]"
        case .location?: header = "[location]"
        case nil: header = nil
        }
        let buttons = components.buttons.enumerated().map { index, button -> RenderedTemplate.RenderedButton in
            if case .url(let text, let url) = button {
                return .init(label: text, url: fill(url, slot: .button(index)))
            }
            return .init(label: button.label, url: nil)
        }
        return RenderedTemplate(header: header, body: fill(components.body, slot: .body), footer: components.footer, buttons: buttons)
    }
}
