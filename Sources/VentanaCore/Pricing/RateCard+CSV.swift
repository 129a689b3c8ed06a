import Foundation

extension RateCard {
    /// Parses a rate card in the layout of Meta's CSV cards:
    ///
    ///     Cost per message in USD on the WhatsApp Business Platform, effective July 1, 2026
    ///     Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service
    ///     Colombia,USD,0.0125,0.0008,0.0008,n/a,0
    ///
    /// The title names the currency and the effective day (`July 1, 2026` or `2026-07-01`).
    /// Every market of Meta's card must have a row; `n/a` or an empty cell means not applicable.
    public init(csv text: String) throws(RateCardError) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var numbered = lines.enumerated()
            .map { (number: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.text.isEmpty }
            .makeIterator()

        guard let title = numbered.next() else {
            throw RateCardError(line: 0, reason: "the file is empty")
        }
        let (currency, effectiveFrom) = try Self.parseTitle(title.text, line: title.number)

        guard let header = numbered.next() else {
            throw RateCardError(line: 0, reason: "no header row after the title")
        }
        let columns = try Self.parseHeader(try CSVLine.split(header.text, line: header.number), line: header.number)

        var rates: [PricingMarket: [PricingCategory: Decimal]] = [:]
        let known = Set(PricingMarket.all)
        while let row = numbered.next() {
            let cells = try CSVLine.split(row.text, line: row.number)
            guard cells.count == columns.width else {
                throw RateCardError(line: row.number, reason: "expected \(columns.width) cells, found \(cells.count)")
            }
            let market = PricingMarket(rawValue: cells[columns.market])
            guard known.contains(market) else {
                throw RateCardError(line: row.number, reason: "'\(cells[columns.market])' is not a market of Meta's rate card")
            }
            guard rates[market] == nil else {
                throw RateCardError(line: row.number, reason: "'\(market)' appears twice")
            }
            if let index = columns.currency, cells[index].uppercased() != currency {
                throw RateCardError(line: row.number, reason: "currency '\(cells[index])' differs from the title's \(currency)")
            }
            var prices: [PricingCategory: Decimal] = [:]
            for (category, index) in columns.categories {
                let cell = cells[index]
                if cell.isEmpty || cell.lowercased() == "n/a" { continue }
                guard let price = Self.parsePrice(cell) else {
                    throw RateCardError(line: row.number, reason: "'\(cell)' is not a price for \(category.rawValue) (a decimal number ≥ 0, or n/a)")
                }
                prices[category] = price
            }
            for required in [PricingCategory.marketing, .utility, .authentication] where prices[required] == nil {
                throw RateCardError(line: row.number, reason: "\(market) needs a \(required.rawValue) price")
            }
            rates[market] = prices
        }
        let missing = known.subtracting(rates.keys).map(\.rawValue).sorted()
        guard missing.isEmpty else {
            throw RateCardError(line: 0, reason: "no row for \(missing.joined(separator: ", "))")
        }
        self.init(currency: currency, effectiveFrom: effectiveFrom, rates: rates)
    }

    /// Writes the card back in the layout `init(csv:)` reads.
    public func csv() -> String {
        var out = "Cost per message in \(currency) on the WhatsApp Business Platform, effective \(effectiveFrom)\n"
        out += "Market,Currency,Marketing,Utility,Authentication,Authentication-International,Service\n"
        for market in rates.keys.sorted() {
            let cells = [PricingCategory.marketing, .utility, .authentication, .authenticationInternational, .service]
                .map { rate(for: market, category: $0).map { "\($0)" } ?? "n/a" }
            out += ([CSVLine.quote(market.rawValue), currency] + cells).joined(separator: ",") + "\n"
        }
        return out
    }

    private struct Columns {
        var width: Int
        var market: Int
        var currency: Int?
        var categories: [(PricingCategory, Int)]
    }

    private static func parseHeader(_ cells: [String], line: Int) throws(RateCardError) -> Columns {
        var market: Int?
        var currency: Int?
        var categories: [(PricingCategory, Int)] = []
        for (index, cell) in cells.enumerated() {
            let name = cell.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
            if name == "market" {
                market = index
            } else if name == "currency" {
                currency = index
            } else if let category = PricingCategory(rawValue: name) {
                guard !categories.contains(where: { $0.0 == category }) else {
                    throw RateCardError(line: line, reason: "column '\(cell)' appears twice")
                }
                categories.append((category, index))
            } else {
                throw RateCardError(line: line, reason: "unknown column '\(cell)'")
            }
        }
        guard let market else { throw RateCardError(line: line, reason: "the header has no Market column") }
        for required in [PricingCategory.marketing, .utility, .authentication] where !categories.contains(where: { $0.0 == required }) {
            throw RateCardError(line: line, reason: "the header has no \(required.rawValue.capitalized) column")
        }
        return Columns(width: cells.count, market: market, currency: currency, categories: categories)
    }

    private static func parseTitle(_ title: String, line: Int) throws(RateCardError) -> (String, CalendarDay) {
        let words = title.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard let inIndex = words.firstIndex(where: { $0.lowercased() == "in" }), inIndex + 1 < words.count,
              words[inIndex + 1].count == 3, words[inIndex + 1].allSatisfy({ $0.isLetter && $0.isASCII }) else {
            throw RateCardError(line: line, reason: "the title must name the currency, e.g. 'Cost per message in USD … effective July 1, 2026'")
        }
        let currency = words[inIndex + 1].uppercased()
        guard let effectiveIndex = words.lastIndex(where: { $0.lowercased() == "effective" }) else {
            throw RateCardError(line: line, reason: "the title must give the effective day, e.g. 'effective July 1, 2026' or 'effective 2026-07-01'")
        }
        let rest = Array(words[(effectiveIndex + 1)...])
        if rest.count == 1, let day = CalendarDay(iso: rest[0]) {
            return (currency, day)
        }
        if rest.count == 3, let month = Self.months.firstIndex(of: rest[0].lowercased()),
           let dayNumber = Int(rest[1]), let year = Int(rest[2]),
           let day = CalendarDay(year: year, month: month + 1, day: dayNumber) {
            return (currency, day)
        }
        throw RateCardError(line: line, reason: "'\(rest.joined(separator: " "))' is not a day (use 'July 1, 2026' or '2026-07-01')")
    }

    private static func parsePrice(_ cell: String) -> Decimal? {
        guard cell.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              cell.filter({ $0 == "." }).count <= 1, cell.first != ".", cell.last != "." else { return nil }
        return Decimal(string: cell, locale: Locale(identifier: "en_US_POSIX"))
    }

    private static let months = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]
}

/// Splits one CSV line into cells (RFC 4180 quoting; no newlines inside cells).
enum CSVLine {
    static func split(_ line: String, line number: Int) throws(RateCardError) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        let characters = Array(line)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if quoted {
                if character != "\"" {
                    cell.append(character)
                } else if index < characters.count, characters[index] == "\"" {
                    cell.append("\"")  // "" inside quotes is one quote
                    index += 1
                } else {
                    quoted = false
                }
            } else if character == "\"", cell.trimmingCharacters(in: .whitespaces).isEmpty {
                cell = ""
                quoted = true
            } else if character == "," {
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            } else {
                cell.append(character)
            }
        }
        guard !quoted else { throw RateCardError(line: number, reason: "a quoted cell is not closed") }
        cells.append(cell.trimmingCharacters(in: .whitespaces))
        return cells
    }

    static func quote(_ value: String) -> String {
        value.contains(",") || value.contains("\"") ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }
}
