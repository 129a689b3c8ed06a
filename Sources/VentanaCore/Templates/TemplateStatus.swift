/// Where a template stands: a local draft, or a status Meta reported.
public enum TemplateStatus: String, Sendable, Codable, CaseIterable, Hashable {
    /// Created in Ventana, not submitted to Meta yet.
    case draft = "DRAFT"
    case pending = "PENDING"
    case approved = "APPROVED"
    case rejected = "REJECTED"
    case paused = "PAUSED"
    case disabled = "DISABLED"
    case flagged = "FLAGGED"
    case inAppeal = "IN_APPEAL"
    case limitExceeded = "LIMIT_EXCEEDED"
    case locked = "LOCKED"
    case archived = "ARCHIVED"
    case pendingDeletion = "PENDING_DELETION"
    case deleted = "DELETED"

    /// Reads Meta's status or status-webhook event (`REINSTATED` and `UNARCHIVED` mean approved
    /// again); nil for a word Meta has not used before.
    public init?(metaName: String) {
        switch metaName.uppercased() {
        case "REINSTATED", "UNARCHIVED", "UNPAUSED": self = .approved
        default: self.init(rawValue: metaName.uppercased())
        }
    }

    /// Only approved templates can be sent.
    public var isSendable: Bool { self == .approved }

    /// Why a template in this status cannot be sent, in plain words; nil when it can.
    public var refusal: String? {
        switch self {
        case .approved: nil
        case .draft: "the template is a draft that was never submitted to Meta"
        case .pending: "the template is waiting for Meta's review"
        case .rejected: "Meta rejected the template"
        case .paused: "Meta paused the template for low quality"
        case .disabled: "Meta disabled the template after repeated pauses; create a new one"
        case .flagged: "Meta flagged the template for low quality"
        case .inAppeal: "the template's rejection is under appeal"
        case .limitExceeded: "the account's template limit was exceeded"
        case .locked: "the template is locked"
        case .archived: "the template was archived after a year unused"
        case .pendingDeletion, .deleted: "the template was deleted"
        }
    }
}
