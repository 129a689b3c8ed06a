import Foundation

/// `message_template_status_update`: a template was approved, rejected, paused, disabled …
public struct TemplateStatusUpdate: Sendable, Hashable, Codable {
    /// `APPROVED`, `REJECTED`, `PAUSED`, `DISABLED`, `REINSTATED` …
    public var event: String
    /// Meta sends an integer; kept as its decimal string.
    public var messageTemplateID: String
    public var messageTemplateName: String
    public var messageTemplateLanguage: String
    /// `NONE` on approval; the rejection reason otherwise.
    public var reason: String?
    public var category: String?
    public var rejectionInfo: RejectionInfo?
    public var otherInfo: OtherInfo?
    public var disableDate: String?

    public struct RejectionInfo: Sendable, Hashable, Codable {
        public var reason: String?
        public var recommendation: String?
        public init(reason: String?, recommendation: String?) {
            self.reason = reason
            self.recommendation = recommendation
        }
    }

    public struct OtherInfo: Sendable, Hashable, Codable {
        public var title: String?
        public var description: String?
        public init(title: String?, description: String?) {
            self.title = title
            self.description = description
        }
    }

    public init(event: String, messageTemplateID: String, messageTemplateName: String, messageTemplateLanguage: String, reason: String? = nil, category: String? = nil, rejectionInfo: RejectionInfo? = nil, otherInfo: OtherInfo? = nil, disableDate: String? = nil) {
        self.event = event
        self.messageTemplateID = messageTemplateID
        self.messageTemplateName = messageTemplateName
        self.messageTemplateLanguage = messageTemplateLanguage
        self.reason = reason
        self.category = category
        self.rejectionInfo = rejectionInfo
        self.otherInfo = otherInfo
        self.disableDate = disableDate
    }

    enum CodingKeys: String, CodingKey {
        case event, messageTemplateID = "message_template_id", messageTemplateName = "message_template_name"
        case messageTemplateLanguage = "message_template_language", reason, category = "message_template_category"
        case rejectionInfo = "rejection_info", otherInfo = "other_info", disableInfo = "disable_info"
    }
    struct DisableInfo: Codable { var disable_date: String? }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        event = try container.decode(String.self, forKey: .event)
        messageTemplateID = try FlexibleID.decode(container, .messageTemplateID)
        messageTemplateName = try container.decode(String.self, forKey: .messageTemplateName)
        messageTemplateLanguage = try container.decode(String.self, forKey: .messageTemplateLanguage)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        category = try container.decodeIfPresent(String.self, forKey: .category)
        rejectionInfo = try container.decodeIfPresent(RejectionInfo.self, forKey: .rejectionInfo)
        otherInfo = try container.decodeIfPresent(OtherInfo.self, forKey: .otherInfo)
        disableDate = try container.decodeIfPresent(DisableInfo.self, forKey: .disableInfo)?.disable_date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event, forKey: .event)
        try container.encodeTemplateID(messageTemplateID, forKey: .messageTemplateID)
        try container.encode(messageTemplateName, forKey: .messageTemplateName)
        try container.encode(messageTemplateLanguage, forKey: .messageTemplateLanguage)
        try container.encodeIfPresent(reason, forKey: .reason)
        try container.encodeIfPresent(category, forKey: .category)
        try container.encodeIfPresent(rejectionInfo, forKey: .rejectionInfo)
        try container.encodeIfPresent(otherInfo, forKey: .otherInfo)
        try container.encodeIfPresent(disableDate.map { DisableInfo(disable_date: $0) }, forKey: .disableInfo)
    }
}

/// `message_template_quality_update`: a template's quality score changed.
public struct TemplateQualityUpdate: Sendable, Hashable, Codable {
    public var previousQualityScore: String?
    /// `GREEN`, `YELLOW`, `RED` or `UNKNOWN`.
    public var newQualityScore: String
    public var messageTemplateID: String
    public var messageTemplateName: String
    public var messageTemplateLanguage: String

    public init(previousQualityScore: String?, newQualityScore: String, messageTemplateID: String, messageTemplateName: String, messageTemplateLanguage: String) {
        self.previousQualityScore = previousQualityScore
        self.newQualityScore = newQualityScore
        self.messageTemplateID = messageTemplateID
        self.messageTemplateName = messageTemplateName
        self.messageTemplateLanguage = messageTemplateLanguage
    }

    enum CodingKeys: String, CodingKey {
        case previousQualityScore = "previous_quality_score", newQualityScore = "new_quality_score"
        case messageTemplateID = "message_template_id", messageTemplateName = "message_template_name"
        case messageTemplateLanguage = "message_template_language"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        previousQualityScore = try container.decodeIfPresent(String.self, forKey: .previousQualityScore)
        newQualityScore = try container.decode(String.self, forKey: .newQualityScore)
        messageTemplateID = try FlexibleID.decode(container, .messageTemplateID)
        messageTemplateName = try container.decode(String.self, forKey: .messageTemplateName)
        messageTemplateLanguage = try container.decode(String.self, forKey: .messageTemplateLanguage)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(previousQualityScore, forKey: .previousQualityScore)
        try container.encode(newQualityScore, forKey: .newQualityScore)
        try container.encodeTemplateID(messageTemplateID, forKey: .messageTemplateID)
        try container.encode(messageTemplateName, forKey: .messageTemplateName)
        try container.encode(messageTemplateLanguage, forKey: .messageTemplateLanguage)
    }
}

/// `template_category_update`: Meta changed (or will change, with 24 hours' notice) a template's category.
public struct TemplateCategoryUpdate: Sendable, Hashable, Codable {
    public var messageTemplateID: String
    public var messageTemplateName: String
    public var messageTemplateLanguage: String
    /// Set on a completed change.
    public var previousCategory: String?
    /// The category now (on notice: still the current one).
    public var newCategory: String
    /// Set on notice of an impending change: the category it will become.
    public var correctCategory: String?
    public var categoryUpdateTimestamp: Date?

    public init(messageTemplateID: String, messageTemplateName: String, messageTemplateLanguage: String, previousCategory: String?, newCategory: String, correctCategory: String? = nil, categoryUpdateTimestamp: Date? = nil) {
        self.messageTemplateID = messageTemplateID
        self.messageTemplateName = messageTemplateName
        self.messageTemplateLanguage = messageTemplateLanguage
        self.previousCategory = previousCategory
        self.newCategory = newCategory
        self.correctCategory = correctCategory
        self.categoryUpdateTimestamp = categoryUpdateTimestamp
    }

    enum CodingKeys: String, CodingKey {
        case messageTemplateID = "message_template_id", messageTemplateName = "message_template_name"
        case messageTemplateLanguage = "message_template_language", previousCategory = "previous_category"
        case newCategory = "new_category", correctCategory = "correct_category", categoryUpdateTimestamp = "category_update_timestamp"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        messageTemplateID = try FlexibleID.decode(container, .messageTemplateID)
        messageTemplateName = try container.decode(String.self, forKey: .messageTemplateName)
        messageTemplateLanguage = try container.decode(String.self, forKey: .messageTemplateLanguage)
        previousCategory = try container.decodeIfPresent(String.self, forKey: .previousCategory)
        newCategory = try container.decode(String.self, forKey: .newCategory)
        correctCategory = try container.decodeIfPresent(String.self, forKey: .correctCategory)
        categoryUpdateTimestamp = try UnixTime.decodeIfPresent(container, .categoryUpdateTimestamp)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeTemplateID(messageTemplateID, forKey: .messageTemplateID)
        try container.encode(messageTemplateName, forKey: .messageTemplateName)
        try container.encode(messageTemplateLanguage, forKey: .messageTemplateLanguage)
        try container.encodeIfPresent(previousCategory, forKey: .previousCategory)
        try container.encode(newCategory, forKey: .newCategory)
        try container.encodeIfPresent(correctCategory, forKey: .correctCategory)
        try container.encodeIfPresent(categoryUpdateTimestamp.map { Int64($0.timeIntervalSince1970) }, forKey: .categoryUpdateTimestamp)
    }
}
