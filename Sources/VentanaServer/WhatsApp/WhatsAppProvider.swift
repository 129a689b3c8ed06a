import WhatsAppCloud

/// The one seam between Ventana and WhatsApp: Meta's Cloud API in production, the built-in
/// sandbox otherwise. Everything past it — webhooks in, statuses, templates — is the same path.
public protocol WhatsAppProvider: Sendable {
    /// Sends a message from the business number; returns Meta's answer with the wamid.
    func send(_ message: OutboundMessage) async throws(GraphAPIError) -> SendResponse
    /// Marks an inbound message read.
    func markAsRead(messageID: String) async throws(GraphAPIError)
    /// Every template of the account, all pages.
    func templates() async throws(GraphAPIError) -> [GraphTemplate]
    /// Submits a template for review.
    func submitTemplate(_ template: TemplateSubmission) async throws(GraphAPIError) -> SubmittedTemplate
    /// Deletes a template (every language, or one by id).
    func deleteTemplate(named name: String, templateID: String?) async throws(GraphAPIError)
}
