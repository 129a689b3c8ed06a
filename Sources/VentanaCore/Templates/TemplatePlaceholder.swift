import Foundation

/// A `{{…}}` occurrence in template text.
struct TemplatePlaceholder: Hashable {
    enum Kind: Hashable { case positional(Int), named, malformed }

    /// What stood between the braces, trimmed.
    let key: String
    let kind: Kind
    /// Character offsets of the whole `{{…}}` in the text.
    let range: Range<Int>

    /// Every placeholder in `text`, in order of appearance, including malformed ones.
    static func occurrences(in text: String) -> [TemplatePlaceholder] {
        let characters = Array(text)
        var found: [TemplatePlaceholder] = []
        var index = 0
        while index + 1 < characters.count {
            guard characters[index] == "{", characters[index + 1] == "{" else { index += 1; continue }
            var end = index + 2
            while end + 1 < characters.count, !(characters[end] == "}" && characters[end + 1] == "}") { end += 1 }
            guard end + 1 < characters.count else { break }
            let inner = String(characters[(index + 2)..<end])
            let key = inner.trimmingCharacters(in: .whitespaces)
            found.append(TemplatePlaceholder(key: key, kind: kind(of: key), range: index..<(end + 2)))
            index = end + 2
        }
        return found
    }

    /// The distinct variables of `text`, in send order: positional ones by number, named ones
    /// in order of first appearance. Malformed placeholders are not variables.
    static func scan(_ text: String) -> [TemplatePlaceholder] {
        var seen: Set<String> = []
        let unique = occurrences(in: text).filter { $0.kind != .malformed && seen.insert($0.key).inserted }
        let positional = unique.compactMap { placeholder -> (Int, TemplatePlaceholder)? in
            if case .positional(let number) = placeholder.kind { return (number, placeholder) }
            return nil
        }
        return positional.sorted { $0.0 < $1.0 }.map(\.1) + unique.filter { $0.kind == .named }
    }

    private static func kind(of key: String) -> Kind {
        if !key.isEmpty, key.count <= 3, key.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(key), number > 0 {
            return .positional(number)
        }
        if let first = key.first, first.isASCII, first.isLowercase,
           key.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) {
            return .named
        }
        return .malformed
    }
}

