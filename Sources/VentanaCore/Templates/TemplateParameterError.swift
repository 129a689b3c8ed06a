/// Why the values given for a template send do not fit it.
public enum TemplateParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template has `expected` variables but `given` values were supplied.
    case wrongCount(expected: Int, given: Int)
    /// A variable was given an empty (or blank) value.
    case emptyValue(TemplateVariable)

    /// A stable machine code for API errors.
    public var code: String {
        switch self {
        case .wrongCount: "parameter_count_mismatch"
        case .emptyValue: "parameter_empty"
        }
    }

    public var description: String {
        switch self {
        case .wrongCount(let expected, let given):
            "the template has \(expected) variable\(expected == 1 ? "" : "s") but \(given) value\(given == 1 ? " was" : "s were") given"
        case .emptyValue(let variable):
            "the value for \(variable) is empty"
        }
    }
}
