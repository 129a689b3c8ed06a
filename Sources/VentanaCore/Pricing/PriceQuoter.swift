import Foundation

/// Prices a message for a contact from the rate card, the pricing model and the chat's session.
public struct PriceQuoter: Sendable {
    /// The card prices come from.
    public var rateCard: RateCard
    /// Meta's pricing model to follow.
    public var model: PricingModel

    public init(rateCard: RateCard = .shipped, model: PricingModel = .perMessage) {
        self.rateCard = rateCard
        self.model = model
    }

    /// The price of sending `kind` to the contact `waID` in a chat whose session is `session`.
    ///
    /// - Parameter openConversations: under the conversation model, the categories of the
    ///   24-hour conversations already open with this contact (ignored under per-message).
    public func quote(
        _ kind: MessageKind,
        to waID: String,
        session: SessionSnapshot,
        openConversations: Set<PricingCategory> = []
    ) throws(PricingError) -> PriceQuote {
        try quote(kind, market: Market.of(waID: waID), session: session, openConversations: openConversations)
    }

    /// The price of sending `kind` to a contact in `market`.
    public func quote(
        _ kind: MessageKind,
        market: Market,
        session: SessionSnapshot,
        openConversations: Set<PricingCategory> = []
    ) throws(PricingError) -> PriceQuote {
        let category: PricingCategory
        switch kind {
        case .freeForm:
            guard session.canSendText else { throw .windowClosed }
            category = .service
        case .template(let templateCategory):
            category = PricingCategory(templateCategory)
        }

        let listPrice: Decimal
        if category == .service {
            listPrice = rateCard.rate(for: market.pricingMarket, category: .service) ?? 0
        } else {
            guard let price = rateCard.rate(for: market.pricingMarket, category: category) else {
                throw .noRate(market: market.pricingMarket, category: category)
            }
            listPrice = price
        }

        let freeReason = freeReason(for: category, session: session, openConversations: openConversations)
        return PriceQuote(
            amount: freeReason == nil ? listPrice : 0,
            currency: rateCard.currency,
            market: market,
            category: category,
            freeReason: freeReason,
            pricingModel: model,
            rateCardEffectiveFrom: rateCard.effectiveFrom,
            listPrice: listPrice)
    }

    private func freeReason(for category: PricingCategory, session: SessionSnapshot, openConversations: Set<PricingCategory>) -> FreeReason? {
        if category == .service { return .serviceMessage }
        if session.inFreeEntryPoint { return .freeEntryPoint }
        switch model {
        case .perMessage:
            return category == .utility && session.state.isWindowOpen ? .windowOpenUtility : nil
        case .conversation:
            return openConversations.contains(category) ? .conversationOpen : nil
        }
    }
}
