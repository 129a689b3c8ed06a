import WhatsAppCloud

/// Meta's WhatsApp Cloud API, through the Graph API client.
struct CloudProvider: WhatsAppProvider {
    let client: GraphClient
    let phoneNumberID: String
    let businessAccountID: String

    func send(_ message: OutboundMessage) async throws(GraphAPIError) -> SendResponse {
        try await client.send(message, from: phoneNumberID)
    }

    func markAsRead(messageID: String) async throws(GraphAPIError) {
        try await client.markAsRead(messageID: messageID, from: phoneNumberID)
    }

    func templates() async throws(GraphAPIError) -> [GraphTemplate] {
        try await client.allTemplates(of: businessAccountID)
    }

    func submitTemplate(_ template: TemplateSubmission) async throws(GraphAPIError) -> SubmittedTemplate {
        try await client.submitTemplate(template, to: businessAccountID)
    }

    func deleteTemplate(named name: String, templateID: String?) async throws(GraphAPIError) {
        try await client.deleteTemplate(named: name, templateID: templateID, from: businessAccountID)
    }
}
