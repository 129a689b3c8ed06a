import Fluent
import Foundation
import Vapor
import VentanaCore

/// `GET /api/v1/pricing/quote?wa_id=…&template=…&language=…`: what a template send to this
/// contact costs now — the same figure the send records in the ledger.
struct PricingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(AgentAuthenticator()).get("pricing", "quote", use: quote)
    }

    struct QuoteView: Content {
        var amount: String
        var currency: String
        var market: String?
        var pricingMarket: String
        var category: String
        var freeReason: String?
        var listPrice: String
        var summary: String
        var rateCard: RateCardView
    }

    struct RateCardView: Content {
        var currency: String
        var effectiveFrom: String
    }

    @Sendable
    func quote(request: Request) async throws -> QuoteView {
        guard let waID = request.query[String.self, at: "wa_id"]?.filter(\.isNumber), (7...15).contains(waID.count) else {
            throw APIError(.badRequest, code: "invalid_wa_id", message: "wa_id is the contact's number, 7 to 15 digits")
        }
        guard let name = request.query[String.self, at: "template"], let raw = request.query[String.self, at: "language"],
              let language = TemplateLanguage(rawValue: raw) else {
            throw APIError(.badRequest, code: "invalid_template", message: "template and language (e.g. es_MX) are required")
        }
        let all = try await request.application.templateCatalog.templates(request: request)
        guard let found = all.first(where: { $0.name == name && TemplateLanguage(rawValue: $0.language) == language }) else {
            throw APIError(.unprocessableEntity, code: "template_not_found", message: "no template \(name) in \(raw)")
        }
        let template = try TemplateMapping.template(from: found)
        let configuration = request.application.ventana.configuration

        // The chat the send would go from decides the window and any free entry point: the one
        // named by `conversation_id`, else the contact's latest; none means the window is closed.
        var snapshot = SessionTimeline().snapshot(at: request.now, policy: request.application.sessionPolicy)
        var open: Set<PricingCategory> = []
        var conversation: ConversationRecord? = nil
        if let raw = request.query[String.self, at: "conversation_id"] {
            guard let chosen = UUID(uuidString: raw) else {
                throw APIError(.badRequest, code: "invalid_conversation_id", message: "conversation_id is a chat's id")
            }
            guard let found = try await ConversationRecord.find(chosen, on: request.db) else {
                throw APIError(.notFound, code: "conversation_not_found", message: "no such conversation")
            }
            conversation = found
        } else if let contact = try await ContactRecord.query(on: request.db).filter(\.$waID == waID).first() {
            conversation = try await ConversationRecord.query(on: request.db).filter(\.$contact.$id == contact.id!)
                .sort(\.$closed).sort(\.$lastMessageAt, .descending).first()
        }
        if let conversation {
            let signedIn = try request.signedIn
            let mayRead = signedIn.role.seesAllChats || conversation.$assignee.id == signedIn.id
                || (conversation.$assignee.id == nil && !conversation.closed)
            guard mayRead else { throw APIError(.forbidden, code: "forbidden", message: "this chat belongs to another agent") }
            snapshot = try await ConversationSession.snapshot(conversation, at: request.now, policy: request.application.sessionPolicy, on: request.db)
            open = try await CostLedger.openConversations(in: conversation.id!, now: request.now, on: request.db)
        }
        let card = try await RateCardBook.card(on: request.now, db: request.db)
        let quote = try PriceQuoter(rateCard: card, model: configuration.pricingModel).quote(.template(template.category), to: waID, session: snapshot, openConversations: open)
        return QuoteView(
            amount: quote.formattedAmount, currency: quote.currency, market: quote.market.countryCode,
            pricingMarket: quote.market.pricingMarket.rawValue, category: quote.category.rawValue,
            freeReason: quote.freeReason?.rawValue, listPrice: PriceQuote.format(quote.listPrice), summary: quote.summary,
            rateCard: RateCardView(currency: card.currency, effectiveFrom: card.effectiveFrom.description))
    }
}
