import TapebenchCore

public enum AccountStatus: String, Sendable, Hashable, Codable {
    case active, paused, closed
}

/// A paper account: cash, positions, and the running totals the reference system keeps.
///
/// Invariants (exact, in fixed point):
/// - `equity == cash + Σ position.marketValue`
/// - `equity − initialBalance == realizedPnL + unrealizedPnL − commissions`
///
/// Bounds (`Limits`; L = `Limits.maxAmount`), kept by `apply` and `mark`, which compute wide and throw
/// `AmountOutOfRange`, changing nothing, when a fill or a price would break them:
/// - |cash|, |realizedPnL|, |commissions|, |slippage| ≤ L, and every position within ±`Limits.maxShares`;
/// - Σ |position market value| ≤ L and Σ |position cost basis| ≤ L.
/// So `marketValue`, `equity` and `buyingPower` (≤ 2L), `unrealizedPnL` (≤ 2L) and `totalPnL` (≤ 3L) are
/// plain sums that cannot overflow.
public struct Account: Sendable, Hashable {
    public var id: Int64
    public var agent: String
    public let initialBalance: Money
    public private(set) var cash: Money
    public var status: AccountStatus = .active
    /// Open positions by ticker. Never iterated into output unsorted: see `sortedPositions`.
    public private(set) var positions: [String: Position] = [:]
    /// Realized price P&L of closed shares, commissions not included.
    public private(set) var realizedPnL: Money = .zero
    public private(set) var commissions: Money = .zero
    /// What slippage cost, at fill time (already inside fill prices and so inside P&L).
    public private(set) var slippage: Money = .zero
    public private(set) var winningCloses = 0
    public private(set) var losingCloses = 0
    /// Σ |market value| and Σ |cost basis| of the positions, kept as they change (the bounds above).
    private var grossValue: Int128 = 0
    private var grossCost: Int128 = 0
    /// Σ market value, Σ cost basis, and Σ market value of the shorts, kept as they change: the lane asks
    /// for the market value and the unrealized P&L every step (its equity mark, its risk facts), and a sum
    /// over the positions' dictionary each time was 1 % of the peers tape. Integers, so the running sums
    /// are the sums, in any order.
    private var netValue: Int128 = 0
    private var netCost: Int128 = 0
    private var shortValue: Int128 = 0

    /// `initialBalance` within ±`Limits.maxAmount` (a scenario allows at most $1 000 000 000).
    public init(id: Int64, agent: String, initialBalance: Money) {
        precondition(initialBalance.raw.magnitude <= UInt64(Limits.maxAmount.raw), "an initial balance within Limits.maxAmount")
        self.id = id
        self.agent = agent
        self.initialBalance = initialBalance
        self.cash = initialBalance
    }

    public var sortedPositions: [Position] { positions.keys.sorted().compactMap { positions[$0] } }
    public var marketValue: Money { Fixed(raw: Int64(netValue)) }
    public var equity: Money { cash + marketValue }
    public var unrealizedPnL: Money { Fixed(raw: Int64(netValue - netCost)) }
    /// Cash available for buys: cash less the proceeds of open short sales, which stay as collateral.
    /// Without shorts, simply cash (a cash account, no margin).
    public var buyingPower: Money { cash + shortMarketValue }
    /// The market value of short positions (≤ 0).
    public var shortMarketValue: Money { Fixed(raw: Int64(shortValue)) }
    /// Equity change since the start: realized + unrealized − commissions.
    public var totalPnL: Money { equity - initialBalance }
    /// Closing trades with a positive realized P&L, over all closing trades (0 when none).
    public var winRate: Double {
        let closes = winningCloses + losingCloses
        return closes == 0 ? 0 : Double(winningCloses) / Double(closes)
    }
    public var closingTrades: Int { winningCloses + losingCloses }

    public func position(_ ticker: String) -> Position? { positions[ticker] }

    /// Marks a position to a new price (a bar's close). Throws, changing nothing, when the positions' value
    /// would leave ±`Limits.maxAmount` (a price that multiplies, such as an unadjusted reverse split).
    public mutating func mark(_ ticker: String, at price: Price) throws(AmountOutOfRange) {
        // One hash: the position is found by ticker, then changed where it lies, by index (the dictionary's
        // modify accessor by key cost two allocations a bar; storing it back by key hashed the ticker again).
        guard let index = positions.index(forKey: ticker) else { return }
        try mark(at: index, price)
    }

    /// Where `ticker`'s position lies in `positions`, nil when flat: valid for `mark(at:_:)` until the next
    /// fill (`apply` may add or remove positions, which moves them), so a caller marking a ticker every bar
    /// finds it once per fill, not by hashing its ticker every bar.
    public func positionIndex(_ ticker: String) -> Dictionary<String, Position>.Index? { positions.index(forKey: ticker) }

    /// `mark(_:at:)` of the position at `index` (`positionIndex`, taken since the last fill).
    public mutating func mark(at index: Dictionary<String, Position>.Index, _ price: Price) throws(AmountOutOfRange) {
        // Read and changed where it lies, through the values' modify accessor: a copy of the position read out
        // (its ticker's text and signal retained, then released) was most of a mark (a one-ticker order tape
        // marks its held ticker every bar).
        try Self.mark(&positions.values[index], at: price, grossValue: &grossValue, netValue: &netValue, shortValue: &shortValue)
    }

    /// Marks `position` at `price`, keeping the running sums; throws, changing nothing, when the positions'
    /// value would leave ±`Limits.maxAmount`.
    @inline(__always)
    private static func mark(_ position: inout Position, at price: Price, grossValue: inout Int128, netValue: inout Int128,
                             shortValue: inout Int128) throws(AmountOutOfRange) {
        // At an unchanged price there is nothing to write.
        guard position.currentPrice != price else { return }
        let quantity = position.quantity
        let before = position.currentPrice.wideProduct(quantity), after = price.wideProduct(quantity)
        let gross = grossValue - Int128(before.magnitude) + Int128(after.magnitude)
        guard gross <= Limits.maxAmount.wide else {
            throw AmountOutOfRange(what: "the positions' value with \(quantity) \(position.ticker) at $\(price)", raw: gross)
        }
        grossValue = gross
        let change = after - before
        netValue += change
        if quantity < 0 { shortValue += change }
        position.currentPrice = price
    }

    /// Books a fill; returns the realized price P&L when it closed shares. The executor has already
    /// checked it against the risk limits. Throws, changing nothing, when the account would break its
    /// bounds (see the type's comment).
    ///
    /// Positions are signed: a short has a negative quantity and a negative cost basis (the proceeds of the
    /// sale), so `equity = cash + Σ quantity × price` and `unrealized = market value − cost basis` hold for
    /// both sides. A fill that crosses zero closes the position and opens one on the other side.
    @discardableResult
    public mutating func apply(_ fill: Fill, signal: SignalReason? = nil) throws(AmountOutOfRange) -> Money? {
        let booking = try booking(fill, signal: signal)
        book(booking)
        return booking.realized
    }

    /// A fill worked out against the account and checked against its bounds, not booked yet: `book` books
    /// it. So a caller that keeps other totals beside the account checks those too before either changes,
    /// without copying the account (and its positions) for every fill.
    public struct Booking: Sendable {
        /// The realized price P&L of the shares the fill closed, if it closed any.
        public let realized: Money?
        fileprivate let fill: Fill
        fileprivate let signal: SignalReason?
        fileprivate let commissions, slippage, cash, realizedPnL: Money
        fileprivate let grossValue, grossCost: Int128
        fileprivate let realizedWide: Int128?
        fileprivate let quantity: Int64, cost: Int64
        fileprivate let opensNew: Bool
        fileprivate let old: Position?
    }

    /// `fill` worked out and checked as `apply` books it (see there); throws, changing nothing, when the
    /// account would break its bounds. Book the result (`book`) on this account, unchanged since.
    public func booking(_ fill: Fill, signal: SignalReason? = nil) throws(AmountOutOfRange) -> Booking {
        let quantity = Int128(fill.quantity)
        guard fill.quantity > 0, fill.quantity <= Limits.maxShares else { throw AmountOutOfRange(what: "a fill", shares: quantity) }
        let price = fill.price.wide
        let notional = try Fixed(amount: price * quantity, "\(fill.quantity) × $\(fill.price)").wide
        let signed = fill.side == .buy ? quantity : -quantity
        let newCommissions = try amount(commissions.wide + fill.commission.wide, "the commissions")
        let newSlippage = try amount(slippage.wide + fill.wideSlippageCost, "the slippage paid")
        let newCash = try amount(cash.wide - fill.commission.wide + (fill.side == .buy ? -notional : notional), "the cash")

        // The ticker's position after the fill, and the realized P&L of the shares it closed.
        let old = positions[fill.ticker].flatMap { $0.quantity == 0 ? nil : $0 }
        var realized: Int128? = nil
        var newQuantity = signed
        var newCost = price * signed
        var opensNew = true
        if let old {
            let held = Int128(old.quantity)
            if (held > 0) == (signed > 0) {
                newQuantity = held + signed
                newCost = old.costBasis.wide + price * signed
                opensNew = false
            } else {
                let closing = min(quantity, Int128(held.magnitude))
                let released = Fixed.divideRoundingHalfEvenWide(old.costBasis.wide * closing, Int128(held.magnitude))
                let closingValue = price * closing
                realized = held > 0 ? closingValue - released : -released - closingValue
                let rest = quantity - closing
                if rest > 0 {
                    newQuantity = fill.side == .buy ? rest : -rest
                    newCost = price * newQuantity
                } else {
                    newQuantity = held + (held > 0 ? -closing : closing)
                    newCost = old.costBasis.wide - released
                    opensNew = false
                }
            }
        }
        guard newQuantity.magnitude <= UInt128(Limits.maxShares) else { throw AmountOutOfRange(what: "the \(fill.ticker) position", shares: newQuantity) }
        let oldValue = old.map { Int128($0.currentPrice.wideProduct($0.quantity).magnitude) } ?? 0
        let oldCost = old.map { Int128($0.costBasis.raw.magnitude) } ?? 0
        let newGrossValue = grossValue - oldValue + Int128((price * newQuantity).magnitude)
        let newGrossCost = grossCost - oldCost + Int128(newCost.magnitude)
        guard newGrossValue <= Limits.maxAmount.wide else { throw AmountOutOfRange(what: "the positions' value", raw: newGrossValue) }
        guard newGrossCost <= Limits.maxAmount.wide else { throw AmountOutOfRange(what: "the positions' cost", raw: newGrossCost) }
        let newRealized = try amount(realizedPnL.wide + (realized ?? 0), "the realized P&L")

        // Everything fits.
        return Booking(realized: realized.map { Fixed(raw: Int64($0)) }, fill: fill, signal: signal, commissions: newCommissions,
                       slippage: newSlippage, cash: newCash, realizedPnL: newRealized, grossValue: newGrossValue, grossCost: newGrossCost,
                       realizedWide: realized, quantity: Int64(newQuantity), cost: Int64(newCost), opensNew: opensNew, old: old)
    }

    /// Books a fill worked out by `booking` on this account as it stood then.
    public mutating func book(_ b: Booking) {
        commissions = b.commissions
        slippage = b.slippage
        cash = b.cash
        realizedPnL = b.realizedPnL
        grossValue = b.grossValue
        grossCost = b.grossCost
        if let realized = b.realizedWide {
            if realized > 0 { winningCloses += 1 } else { losingCloses += 1 }
        }
        let fill = b.fill
        if let old = b.old {
            let value = old.currentPrice.wideProduct(old.quantity)
            netValue -= value
            netCost -= old.costBasis.wide
            if old.quantity < 0 { shortValue -= value }
        }
        if b.quantity != 0 {
            let value = fill.price.wideProduct(b.quantity)
            netValue += value
            netCost += Int128(b.cost)
            if b.quantity < 0 { shortValue += value }
        }
        if b.quantity == 0 {
            positions[fill.ticker] = nil
        } else if b.opensNew || b.old == nil {
            positions[fill.ticker] = Position(ticker: fill.ticker, quantity: b.quantity, costBasis: Fixed(raw: b.cost),
                                              currentPrice: fill.price, openedAt: fill.time, signal: b.signal)
        } else if var position = b.old {
            // Read, changed and stored: three changes through the dictionary's modify accessor were three mallocs.
            position.quantity = b.quantity
            position.costBasis = Fixed(raw: b.cost)
            position.currentPrice = fill.price
            positions[fill.ticker] = position
        }
    }

    private func amount(_ value: Int128, _ what: String) throws(AmountOutOfRange) -> Money {
        try Fixed(amount: value, what)
    }
}
