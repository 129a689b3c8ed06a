import Fluent
import Foundation
import VentanaCore

/// An uploaded rate card, kept as the CSV it came as.
final class RateCardRecord: Model, @unchecked Sendable {
    static let schema = "rate_cards"

    @ID(key: .id) var id: UUID?
    @Field(key: "currency") var currency: String
    @Field(key: "effective_from") var effectiveFrom: String
    @Field(key: "csv") var csv: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

struct CreateRateCards: AsyncMigration {
    var name: String { "2026-11-25-rate-cards" }

    func prepare(on database: any Database) async throws {
        try await database.schema(RateCardRecord.schema)
            .id()
            .field("currency", .string, .required)
            .field("effective_from", .string, .required)
            .field("csv", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .unique(on: "effective_from")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RateCardRecord.schema).delete()
    }
}

/// Every rate card Ventana knows — the shipped one and the uploaded ones — by effective day.
enum RateCardBook {
    /// The cards, oldest first.
    static func all(on db: any Database) async throws -> [(card: RateCard, source: String)] {
        var cards: [(RateCard, String)] = [(RateCard.shipped, "shipped")]
        for record in try await RateCardRecord.query(on: db).all() {
            if let card = try? RateCard(csv: record.csv) { cards.append((card, "uploaded")) }
        }
        // An uploaded card for the same day replaces the shipped one.
        var byDay: [CalendarDay: (RateCard, String)] = [:]
        for entry in cards { byDay[entry.0.effectiveFrom] = entry }
        return byDay.values.sorted { $0.0.effectiveFrom < $1.0.effectiveFrom }.map { (card: $0.0, source: $0.1) }
    }

    /// The card in force on `date`: the newest whose first day is not after it (the oldest
    /// card when every card is newer).
    static func card(on date: Date, db: any Database) async throws -> RateCard {
        let day = CalendarDay(date)
        let cards = try await all(on: db)
        return cards.last { $0.card.effectiveFrom <= day }?.card ?? cards.first?.card ?? .shipped
    }

    /// The card that took effect on `day`, for correcting ledger rows priced with it.
    static func card(effectiveFrom day: String, db: any Database) async throws -> RateCard {
        try await all(on: db).first { $0.card.effectiveFrom.description == day }?.card ?? .shipped
    }
}
