import Fluent
import Foundation
import Vapor
import VentanaCore

/// `GET /api/v1/reports/spend?from=…&to=…&group_by=day|market|category|template|agent`:
/// template spend from the ledger, replies inside the window, and the "saved" figure; JSON, or
/// CSV with `Accept: text/csv`. Supervisors and admins.
struct ReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(AgentAuthenticator()).get("reports", "spend", use: spend)
    }

    struct Row: Content {
        var key: String
        var amount: String
        var templates: Int
        /// For `group_by=template`: sends the contact answered within 24 hours.
        var replied: Int?
    }

    struct Report: Content {
        var from: String
        var to: String
        var groupBy: String
        var currency: String
        var rows: [Row]
        var total: Row
        /// Chats an agent answered inside the window, so no template was needed.
        var repliesInWindow: Int
        /// Those replies valued at the utility rate of each contact's market.
        var saved: String
    }

    static let groupings = ["day", "market", "category", "template", "agent"]

    @Sendable
    func spend(request: Request) async throws -> Response {
        try request.require(.admin, .supervisor)
        let today = CalendarDay(request.now)
        let from = try day(request, "from") ?? CalendarDay(year: today.year, month: today.month, day: 1)!
        let to = try day(request, "to") ?? today
        guard from <= to else { throw APIError(.badRequest, code: "invalid_range", message: "from is after to") }
        let groupBy = request.query[String.self, at: "group_by"] ?? "day"
        guard Self.groupings.contains(groupBy) else {
            throw APIError(.badRequest, code: "invalid_group_by", message: "group_by is one of \(Self.groupings.joined(separator: ", "))")
        }
        let start = from.start
        let end = to.start.addingTimeInterval(86_400)

        let entries = try await LedgerEntry.query(on: request.db).filter(\.$createdAt >= start).filter(\.$createdAt < end).filter(\.$state != "void").all()
        // Agents by name; two with one name are told apart by their email.
        let everyone = try await AgentRecord.query(on: request.db).all()
        let names = Dictionary(grouping: everyone, by: \.name)
        let agents = Dictionary(uniqueKeysWithValues: everyone.map { ($0.id!, names[$0.name]!.count > 1 ? "\($0.name) <\($0.email)>" : $0.name) })
        func key(_ entry: LedgerEntry) -> String {
            switch groupBy {
            case "market": entry.countryCode ?? entry.pricingMarket
            case "category": entry.category
            case "template": "\(entry.templateName) (\(entry.templateLanguage))"
            case "agent": entry.agentID.flatMap { agents[$0] } ?? "—"
            default: CalendarDay(entry.createdAt).description
            }
        }
        var replied: [UUID: Bool] = [:]
        if groupBy == "template" { replied = try await Self.answered(entries, on: request.db) }
        var sums: [String: (Decimal, Int, Int)] = [:]
        for entry in entries {
            var sum = sums[key(entry)] ?? (0, 0, 0)
            sum.0 += Decimal(string: entry.amount) ?? 0
            sum.1 += 1
            if replied[entry.messageID] == true { sum.2 += 1 }
            sums[key(entry)] = sum
        }
        let rows = sums.keys.sorted().map { key in
            Row(key: key, amount: PriceQuote.format(sums[key]!.0), templates: sums[key]!.1, replied: groupBy == "template" ? sums[key]!.2 : nil)
        }
        let total = Row(key: "total", amount: PriceQuote.format(entries.reduce(Decimal(0)) { $0 + (Decimal(string: $1.amount) ?? 0) }), templates: entries.count,
                        replied: groupBy == "template" ? sums.values.map(\.2).reduce(0, +) : nil)

        // Replies inside the window (text can only go out inside it), that went out: one per chat
        // and day, so a range's figure is the sum of its days'. Each is valued at the utility
        // rate of the contact's market on the card in force that day.
        let replies = try await MessageRecord.query(on: request.db).filter(\.$direction == MessageRecord.outbound).filter(\.$kind == "text")
            .filter(\.$status != "failed").filter(\.$at >= start).filter(\.$at < end).all()
        struct ChatDay: Hashable { var chat: UUID; var day: CalendarDay }
        let answered = Set(replies.map { ChatDay(chat: $0.$conversation.id, day: CalendarDay($0.at)) })
        let card = try await RateCardBook.card(on: min(end.addingTimeInterval(-1), request.now), db: request.db)
        var saved = Decimal(0)
        if !answered.isEmpty {
            let conversations = try await ConversationRecord.query(on: request.db).filter(\.$id ~~ Array(Set(answered.map(\.chat)))).with(\.$contact).all()
            let market = Dictionary(uniqueKeysWithValues: conversations.map { ($0.id!, PricingMarket(rawValue: $0.contact.pricingMarket)) })
            var cards: [CalendarDay: RateCard] = [:]
            for reply in answered {
                let dayCard: RateCard
                if let known = cards[reply.day] {
                    dayCard = known
                } else {
                    dayCard = try await RateCardBook.card(on: min(reply.day.start, request.now), db: request.db)
                    cards[reply.day] = dayCard
                }
                saved += market[reply.chat].flatMap { dayCard.rate(for: $0, category: .utility) } ?? 0
            }
        }
        let report = Report(from: from.description, to: to.description, groupBy: groupBy, currency: card.currency, rows: rows, total: total,
                            repliesInWindow: answered.count, saved: PriceQuote.format(saved))

        if request.headers.accept.contains(where: { $0.mediaType.type == "text" && $0.mediaType.subType == "csv" }) {
            var csv = "\(groupBy),amount,currency,templates\(groupBy == "template" ? ",replied" : "")\n"
            for row in rows + [total] {
                csv += "\(Self.csvCell(row.key)),\(row.amount),\(card.currency),\(row.templates)\(row.replied.map { ",\($0)" } ?? "")\n"
            }
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            headers.contentDisposition = .init(.attachment, filename: "spend-\(from)-\(to)-\(groupBy).csv")
            return Response(status: .ok, headers: headers, body: .init(string: csv))
        }
        let response = Response(status: .ok)
        try response.content.encode(report)
        return response
    }

    private func day(_ request: Request, _ name: String) throws -> CalendarDay? {
        guard let raw = request.query[String.self, at: name] else { return nil }
        guard let day = CalendarDay(iso: raw) else {
            throw APIError(.badRequest, code: "invalid_date", message: "\(name) is a day written YYYY-MM-DD")
        }
        return day
    }

    /// Which template sends the contact answered within 24 hours.
    static func answered(_ entries: [LedgerEntry], on db: any Database) async throws -> [UUID: Bool] {
        guard !entries.isEmpty else { return [:] }
        let inbound = try await MessageRecord.query(on: db).filter(\.$conversation.$id ~~ Array(Set(entries.map(\.conversationID))))
            .filter(\.$direction == MessageRecord.inbound).filter(\.$at >= entries.map(\.createdAt).min()!).all()
        var result: [UUID: Bool] = [:]
        for entry in entries {
            result[entry.messageID] = inbound.contains {
                $0.$conversation.id == entry.conversationID && $0.at > entry.createdAt && $0.at <= entry.createdAt.addingTimeInterval(86_400)
            }
        }
        return result
    }

    static func csvCell(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
