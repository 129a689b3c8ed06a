/// Meta's naming, length and variable rules for templates, checked locally before submitting.
public enum TemplateRules {
    public static let maxNameLength = 512
    public static let maxBodyLength = 1024
    public static let maxHeaderTextLength = 60
    public static let maxFooterLength = 60
    public static let maxButtons = 10
    public static let maxQuickReplies = 10
    public static let maxURLButtons = 2
    public static let maxPhoneButtons = 1
    public static let maxCopyCodeButtons = 1
    public static let maxButtonLabelLength = 25
    public static let maxURLLength = 2000
    public static let maxPhoneNumberLength = 20

    /// Whether `name` is a valid template name: lowercase letters, digits and underscores.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= maxNameLength
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    /// Every rule `template` breaks; empty when Meta's rules are met.
    public static func violations(of template: MessageTemplate) -> [TemplateRuleViolation] {
        var found: [TemplateRuleViolation] = []
        func add(_ code: String, _ message: String) { found.append(TemplateRuleViolation(code: code, message: message)) }

        if !isValidName(template.name) {
            add("invalid_name", "the name must be 1–\(maxNameLength) lowercase letters, digits or underscores")
        }

        let components = template.components
        if case .text(let text)? = components.header {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                add("header_empty", "a text header cannot be empty")
            } else if text.count > maxHeaderTextLength {
                add("header_too_long", "the header has \(text.count) characters; at most \(maxHeaderTextLength) are allowed")
            }
            if TemplatePlaceholder.scan(text).count > 1 {
                add("header_too_many_variables", "a text header can hold at most one variable")
            }
            found += variableViolations(in: text, part: "header", edgesAllowed: true)
        }

        let body = components.body
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            add("body_required", "the body is required")
        } else if body.count > maxBodyLength {
            add("body_too_long", "the body has \(body.count) characters; at most \(maxBodyLength) are allowed")
        }
        found += variableViolations(in: body, part: "body", edgesAllowed: false)

        if let footer = components.footer {
            if footer.trimmingCharacters(in: .whitespaces).isEmpty {
                add("footer_empty", "a footer cannot be empty (leave it out instead)")
            } else if footer.count > maxFooterLength {
                add("footer_too_long", "the footer has \(footer.count) characters; at most \(maxFooterLength) are allowed")
            }
            if !TemplatePlaceholder.occurrences(in: footer).isEmpty {
                add("footer_variables", "a footer cannot hold variables")
            }
        }

        found += buttonViolations(components.buttons)
        return found
    }

    /// Throws the first rule `template` breaks.
    public static func check(_ template: MessageTemplate) throws(TemplateRuleViolation) {
        if let first = violations(of: template).first { throw first }
    }

    private static func variableViolations(in text: String, part: String, edgesAllowed: Bool) -> [TemplateRuleViolation] {
        var found: [TemplateRuleViolation] = []
        let occurrences = TemplatePlaceholder.occurrences(in: text)
        if let bad = occurrences.first(where: { $0.kind == .malformed }) {
            found.append(.init(code: "invalid_variable", message: "'{{\(bad.key)}}' in the \(part) is not a variable: use {{1}}, {{2}}… or {{lower_case_name}}"))
        }
        let numbers = occurrences.compactMap { placeholder -> Int? in
            if case .positional(let n) = placeholder.kind { return n }
            return nil
        }
        let hasNamed = occurrences.contains { $0.kind == .named }
        if !numbers.isEmpty, hasNamed {
            found.append(.init(code: "mixed_variables", message: "the \(part) mixes numbered and named variables"))
        }
        let distinct = Set(numbers).sorted()
        if !distinct.isEmpty, distinct != Array(1...distinct.count) {
            found.append(.init(
                code: "variables_not_sequential",
                message: "the \(part)'s variables must be numbered from {{1}} without gaps (found \(distinct.map { "{{\($0)}}" }.joined(separator: ", ")))"))
        }
        if !edgesAllowed, let first = occurrences.first, let last = occurrences.last {
            let characters = Array(text)
            let leading = characters[..<first.range.lowerBound].allSatisfy(\.isWhitespace)
            let trailing = characters[last.range.upperBound...].allSatisfy(\.isWhitespace)
            if leading || trailing {
                found.append(.init(code: "variable_at_edge", message: "the \(part) cannot start or end with a variable"))
            }
        }
        let characters = Array(text)
        for (previous, next) in zip(occurrences, occurrences.dropFirst())
        where characters[previous.range.upperBound..<next.range.lowerBound].allSatisfy(\.isWhitespace) {
            found.append(.init(code: "adjacent_variables", message: "the \(part) has variables next to each other ({{\(previous.key)}}{{\(next.key)}}) with no text between them"))
            break
        }
        return found
    }

    private static func buttonViolations(_ buttons: [TemplateButton]) -> [TemplateRuleViolation] {
        var found: [TemplateRuleViolation] = []
        func add(_ code: String, _ message: String) { found.append(TemplateRuleViolation(code: code, message: message)) }

        if buttons.count > maxButtons { add("too_many_buttons", "at most \(maxButtons) buttons are allowed") }
        var quickReplies = 0, urls = 0, phones = 0, copyCodes = 0
        for button in buttons {
            switch button {
            case .quickReply: quickReplies += 1
            case .url(_, let url):
                urls += 1
                if url.count > maxURLLength { add("url_too_long", "a button URL can have at most \(maxURLLength) characters") }
                if !(url.hasPrefix("https://") || url.hasPrefix("http://")) { add("invalid_url", "a button URL must start with https://") }
                let placeholders = TemplatePlaceholder.occurrences(in: url)
                if placeholders.count > 1 || placeholders.contains(where: { $0.key != "1" }) {
                    add("url_variables", "a button URL can hold one variable, {{1}}, at its end")
                } else if let only = placeholders.first, only.range.upperBound != url.count {
                    add("url_variables", "a button URL's variable must be at its end")
                }
            case .phoneNumber(_, let phone):
                phones += 1
                if phone.isEmpty || phone.count > maxPhoneNumberLength || !phone.allSatisfy({ $0.isNumber || $0 == "+" }) {
                    add("invalid_phone_number", "a phone button needs a number of at most \(maxPhoneNumberLength) digits, e.g. +15550783881")
                }
            case .copyCode(let example):
                copyCodes += 1
                if example.isEmpty || example.count > 15 { add("invalid_copy_code", "a copy-code example must have 1–15 characters") }
            }
            if case .copyCode = button { continue }
            let label = button.label
            if label.trimmingCharacters(in: .whitespaces).isEmpty {
                add("button_label_empty", "a button needs a label")
            } else if label.count > maxButtonLabelLength {
                add("button_label_too_long", "the button label '\(label)' has \(label.count) characters; at most \(maxButtonLabelLength) are allowed")
            }
        }
        if quickReplies > maxQuickReplies { add("too_many_quick_replies", "at most \(maxQuickReplies) quick-reply buttons are allowed") }
        if urls > maxURLButtons { add("too_many_url_buttons", "at most \(maxURLButtons) URL buttons are allowed") }
        if phones > maxPhoneButtons { add("too_many_phone_buttons", "at most \(maxPhoneButtons) phone-number button is allowed") }
        if copyCodes > maxCopyCodeButtons { add("too_many_copy_code_buttons", "at most \(maxCopyCodeButtons) copy-code button is allowed") }

        // Quick replies must sit together, before or after the other buttons.
        let kinds = buttons.map { button -> Bool in
            if case .quickReply = button { return true }
            return false
        }
        let switches = zip(kinds, kinds.dropFirst()).filter { $0 != $1 }.count
        if switches > 1 { add("quick_replies_not_grouped", "quick-reply buttons must be grouped together, before or after the other buttons") }
        return found
    }
}
