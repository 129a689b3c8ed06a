/// One value a template send must supply: where it goes and its number (or name).
public struct TemplateVariable: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Where a variable sits.
    public enum Slot: Sendable, Hashable, Codable, CustomStringConvertible {
        case header
        case body
        /// The URL of the button at this index.
        case button(Int)

        public var description: String {
            switch self {
            case .header: "header"
            case .body: "body"
            case .button(let index): "button \(index)"
            }
        }
    }

    /// The key of a media header's value (an image, video or document link or id).
    public static let mediaKey = "media"
    /// The key of a location header's value.
    public static let locationKey = "location"

    public let slot: Slot
    /// `1`, `2`… for positional variables, or the name of a named one.
    public let key: String

    public init(slot: Slot, key: String) {
        self.slot = slot
        self.key = key
    }

    /// Whether a text value names its variable (Meta's `parameter_name`): `{{first_name}}`,
    /// not `{{1}}`. (A media or location header's value is not text.)
    public var isNamed: Bool {
        !key.isEmpty && !key.allSatisfy(\.isNumber)
    }

    public var description: String {
        key == Self.mediaKey || key == Self.locationKey ? "\(slot) \(key)" : "\(slot) {{\(key)}}"
    }
}
