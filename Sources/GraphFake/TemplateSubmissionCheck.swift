import Foundation
import WhatsAppCloud

/// Meta's checks on a template submission, as the fake applies them (Meta's subcodes where known).
enum TemplateSubmissionCheck {
    struct Problem {
        var subcode: Int?
        var details: String
    }

    static func problem(with submission: TemplateSubmission) -> Problem? {
        let name = submission.name
        guard !name.isEmpty, name.count <= 512, name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            return Problem(details: "Invalid parameter: name must be lowercase letters, digits and underscores")
        }
        guard ["MARKETING", "UTILITY", "AUTHENTICATION"].contains(submission.category.uppercased()) else {
            return Problem(details: "Invalid parameter: category")
        }
        guard !submission.language.isEmpty else { return Problem(details: "Invalid parameter: language") }
        let bodies = submission.components.filter { $0.type.uppercased() == "BODY" }
        guard bodies.count == 1, let body = bodies[0].text, !body.isEmpty else {
            return Problem(details: "A template needs exactly one BODY component with text")
        }
        guard body.count <= 1024 else { return Problem(subcode: 2_388_040, details: "Body text exceeds 1024 characters") }
        for component in submission.components {
            switch component.type.uppercased() {
            case "HEADER":
                if (component.format ?? "TEXT").uppercased() == "TEXT", (component.text ?? "").count > 60 {
                    return Problem(subcode: 2_388_040, details: "Header text exceeds 60 characters")
                }
            case "FOOTER":
                if (component.text ?? "").count > 60 { return Problem(subcode: 2_388_040, details: "Footer text exceeds 60 characters") }
            case "BUTTONS":
                let buttons = component.buttons ?? []
                if buttons.count > 10 { return Problem(details: "At most 10 buttons") }
                if buttons.contains(where: { ($0.text ?? "").count > 25 }) { return Problem(subcode: 2_388_040, details: "Button text exceeds 25 characters") }
            case "BODY":
                break
            default:
                return Problem(details: "Invalid component type \(component.type)")
            }
        }
        let numbers = variables(in: body)
        if !numbers.isEmpty, Set(numbers).sorted() != Array(1...Set(numbers).count) {
            return Problem(subcode: 2_388_047, details: "Variables must be numbered {{1}}, {{2}}… without gaps")
        }
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{{") || trimmed.hasSuffix("}}") {
            return Problem(subcode: 2_388_299, details: "Variables can't be at the start or end of the template")
        }
        if body.replacingOccurrences(of: " ", with: "").contains("}}{{") {
            return Problem(subcode: 2_388_299, details: "Your template has parameters placed next to each other without text between them")
        }
        return nil
    }

    private static func variables(in text: String) -> [Int] {
        var found: [Int] = []
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            if let number = Int(rest[open.upperBound..<close.lowerBound]) { found.append(number) }
            rest = rest[close.upperBound...]
        }
        return found
    }
}
