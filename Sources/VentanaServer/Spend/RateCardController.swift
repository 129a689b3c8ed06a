import Fluent
import Foundation
import Vapor
import VentanaCore

/// `GET /api/v1/rate-cards` and `POST /api/v1/rate-cards` (admins upload Meta's CSV layout;
/// a bad file changes nothing and names the bad line). Cards are effective-dated: ledger rows
/// keep the price of the card they were quoted with.
struct RateCardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cards = routes.grouped(AgentAuthenticator()).grouped("rate-cards")
        cards.get(use: list)
        cards.on(.POST, body: .collect(maxSize: "1mb"), use: upload)
    }

    struct CardView: Content {
        var currency: String
        var effectiveFrom: String
        var source: String
        var markets: Int
        var inForce: Bool
    }

    @Sendable
    func list(request: Request) async throws -> [CardView] {
        try request.require(.admin, .supervisor)
        let current = try await RateCardBook.card(on: request.now, db: request.db)
        return try await RateCardBook.all(on: request.db).map {
            CardView(currency: $0.card.currency, effectiveFrom: $0.card.effectiveFrom.description, source: $0.source,
                     markets: $0.card.rates.count, inForce: $0.card == current)
        }
    }

    @Sendable
    func upload(request: Request) async throws -> Response {
        try request.require(.admin)
        guard let buffer = request.body.data, let text = String(bytes: buffer.readableBytesView, encoding: .utf8) else {
            throw APIError(.badRequest, code: "invalid_rate_card", message: "send the rate card as a UTF-8 CSV body")
        }
        let card: RateCard
        do {
            card = try RateCard(csv: text)
        } catch {
            throw APIError(.unprocessableEntity, code: "invalid_rate_card", message: error.description)
        }
        guard card.currency == RateCard.shipped.currency else {
            throw APIError(.unprocessableEntity, code: "invalid_rate_card", message: "the card is in \(card.currency); budgets and the ledger are kept in \(RateCard.shipped.currency)")
        }
        if try await LedgerEntry.query(on: request.db).filter(\.$rateCardEffectiveFrom == card.effectiveFrom.description).count() > 0 {
            throw APIError(.conflict, code: "rate_card_in_use", message: "sends were already priced with the card effective \(card.effectiveFrom); upload a card with a later effective day")
        }
        let record = try await RateCardRecord.query(on: request.db).filter(\.$effectiveFrom == card.effectiveFrom.description).first() ?? RateCardRecord()
        record.currency = card.currency
        record.effectiveFrom = card.effectiveFrom.description
        record.csv = text
        record.uploadedAt = request.now
        try await record.save(on: request.db)
        let response = Response(status: .created)
        let current = try await RateCardBook.card(on: request.now, db: request.db)
        try response.content.encode(CardView(currency: card.currency, effectiveFrom: card.effectiveFrom.description, source: "uploaded", markets: card.rates.count, inForce: card == current))
        return response
    }
}
