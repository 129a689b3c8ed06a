/// What is about to be sent, as far as pricing is concerned.
public enum MessageKind: Sendable, Hashable, Codable {
    /// Free-form text, media or interactive: allowed only inside the window.
    case freeForm
    /// An approved template of a category.
    case template(TemplateCategory)
}
