import WhatsAppCloud

/// The sandbox behind the provider seam: sends reach the simulated phone instead of Meta.
struct SandboxProvider: WhatsAppProvider {
    let phone: SandboxPhone

    func send(_ message: OutboundMessage) async throws(GraphAPIError) -> SendResponse {
        try await phone.receiveSend(message)
    }

    func markAsRead(messageID: String) async throws(GraphAPIError) {}

    func templates() async throws(GraphAPIError) -> [GraphTemplate] {
        await phone.templates
    }

    func submitTemplate(_ template: TemplateSubmission) async throws(GraphAPIError) -> SubmittedTemplate {
        try await phone.submitTemplate(template)
    }

    func deleteTemplate(named name: String, templateID: String?) async throws(GraphAPIError) {
        try await phone.deleteTemplate(named: name, templateID: templateID)
    }
}

extension SandboxPhone {
    // Typed throws across actor hops: re-wrap so callers keep GraphAPIError.
    func receiveSend(_ message: OutboundMessage) throws(GraphAPIError) -> SendResponse { try receive(message) }
    func submitTemplate(_ submission: TemplateSubmission) throws(GraphAPIError) -> SubmittedTemplate { try submit(submission) }
    func deleteTemplate(named name: String, templateID: String?) throws(GraphAPIError) { try delete(named: name, templateID: templateID) }
}
