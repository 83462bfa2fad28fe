import TapebenchCore

/// The account facts a risk check needs, as of just before a fill.
public struct RiskContext: Sendable, Hashable {
    /// Cash available for buys: the account's buying power (cash less the collateral of open shorts).
    public var cash: Money
    /// Cash plus open positions at their latest prices.
    public var equity: Money
    /// Shares held in the order's ticker.
    public var positionQuantity: Int64
    /// Number of tickers with a non-zero position.
    public var openPositions: Int
    /// The order's ticker's group, when it has one: its name and the value of the group's other positions.
    public var group: (name: String, otherValue: Money)?
    /// Market value of all short positions (≤ 0).
    public var shortMarketValue: Money

    public init(cash: Money, equity: Money, positionQuantity: Int64, openPositions: Int, group: (name: String, otherValue: Money)? = nil,
                shortMarketValue: Money = .zero) {
        self.cash = cash
        self.equity = equity
        self.positionQuantity = positionQuantity
        self.openPositions = openPositions
        self.group = group
        self.shortMarketValue = shortMarketValue
    }

    public static func == (a: RiskContext, b: RiskContext) -> Bool {
        a.cash == b.cash && a.equity == b.equity && a.positionQuantity == b.positionQuantity && a.openPositions == b.openPositions
            && a.group?.name == b.group?.name && a.group?.otherValue == b.group?.otherValue
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(cash)
        hasher.combine(equity)
        hasher.combine(positionQuantity)
    }
}

/// The reference risk checks, run before every fill. Fractions are in basis points so that every
/// comparison is exact integer arithmetic.
/// What the drawdown circuit breaker does to an account.
public enum BreakerAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// No new orders; positions stay and are marked.
    case pause
    /// Positions are liquidated at the next bar's open under the fill model; no new orders.
    case close
}

public struct RiskLimits: Sendable, Hashable, Codable {
    /// A position, valued at the fill price after the fill, at most this share of equity (2 000 bp = 20 %).
    public var maxPositionBasisPoints: Int64
    public var maxOpenPositions: Int
    /// Cash left after a buy at least this share of equity (500 bp = 5 %).
    public var minCashReserveBasisPoints: Int64
    /// A group of correlated tickers (scenario `risk.groups`) may hold at most this share of equity; nil: no limit.
    public var maxGroupBasisPoints: Int64?
    /// Stop new entries for the rest of the day once equity is this far below the day's start; nil: off.
    public var dailyLossLimitBasisPoints: Int64?
    /// Pause the account (or close it) once equity is this far below its peak; nil: off.
    public var maxDrawdownBasisPoints: Int64?
    /// What the drawdown breaker does.
    public var drawdownAction: BreakerAction = .pause
    /// Tickers by group name.
    public var groups: [String: [String]] = [:]
    /// Groups by rolling correlation instead of (or beside) named groups: tickers whose one-minute returns
    /// over the bar window correlate at least this much with the order's ticker (nil: off).
    public var minCorrelation: Double?
    /// Returns both tickers must share for a correlation to count.
    public var correlationMinBars = 30
    /// Short selling allowed, with all shorts together at most this share of equity; nil: long-only (the reference).
    public var maxShortBasisPoints: Int64?

    public static let reference = RiskLimits(maxPositionBasisPoints: 2_000, maxOpenPositions: 10, minCashReserveBasisPoints: 500)

    public init(maxPositionBasisPoints: Int64, maxOpenPositions: Int, minCashReserveBasisPoints: Int64) {
        self.maxPositionBasisPoints = maxPositionBasisPoints
        self.maxOpenPositions = maxOpenPositions
        self.minCashReserveBasisPoints = minCashReserveBasisPoints
    }

    /// Nil when the fill may go ahead; otherwise the reason it is rejected.
    /// Checks in order: long-only position, buying power, position size, open positions, cash reserve.
    /// Sells that reduce a position only need the position to exist: they lower risk.
    /// Every amount is computed in `Int128` from the exact operands; one that cannot be represented rejects
    /// the fill as `amount_out_of_range` instead of any other check.
    public func check(side: OrderSide, quantity: Int64, price: Price, commission: Money, context: RiskContext) -> RiskRejection? {
        do {
            return try checkWide(side: side, quantity: quantity, price: price, commission: commission, context: context)
        } catch {
            return .amountOutOfRange(error.description)
        }
    }

    private func checkWide(side: OrderSide, quantity: Int64, price: Price, commission: Money, context: RiskContext) throws(AmountOutOfRange) -> RiskRejection? {
        let equity = context.equity.wide
        func exceeds(_ value: Int128, _ basisPoints: Int64) -> Bool { value * 10_000 > equity * Int128(basisPoints) }
        /// An amount for a rejection's text: it must at least be a `Fixed`.
        func money(_ value: Int128, _ what: String) throws(AmountOutOfRange) -> Money {
            guard let amount = Fixed(exactly: value) else { throw AmountOutOfRange(what: what, raw: value) }
            return amount
        }
        let held = Int128(context.positionQuantity)
        let shares = Int128(quantity)
        if side == .sell {
            guard shares > max(held, 0) else { return nil }  // reduces a long: always allowed
            guard let shortLimit = maxShortBasisPoints else {
                return .exceedsPosition(quantity: quantity, held: context.positionQuantity)
            }
            // Opens or adds to a short: its size (the whole short after the sale), and all shorts together, within limits.
            let positionValue = price.wide * (shares - held)
            if exceeds(positionValue, maxPositionBasisPoints) {
                return .positionSize(value: try money(positionValue, "the short position"), equity: context.equity, limitBasisPoints: maxPositionBasisPoints)
            }
            if context.positionQuantity == 0 && context.openPositions >= maxOpenPositions {
                return .openPositions(open: context.openPositions, limit: maxOpenPositions)
            }
            let newShorts = price.wide * (shares - max(held, 0)) - context.shortMarketValue.wide
            if exceeds(newShorts, shortLimit) {
                return .shortExposure(value: try money(newShorts, "all shorts"), equity: context.equity, limitBasisPoints: shortLimit)
            }
            return nil
        }
        let cost = price.wide * shares + commission.wide
        if held < 0 {
            // Covering a short releases the collateral of the shares covered; a buy past zero opens a long.
            let covered = min(shares, -held)
            let available = context.cash.wide + price.wide * covered
            if cost > available {
                return .buyingPower(required: try money(cost, "the cost"), available: try money(available, "the buying power"))
            }
            let long = price.wide * (shares - covered)
            if exceeds(long, maxPositionBasisPoints) {
                return .positionSize(value: try money(long, "the position"), equity: context.equity, limitBasisPoints: maxPositionBasisPoints)
            }
            return nil
        }
        if cost > context.cash.wide {
            return .buyingPower(required: try money(cost, "the cost"), available: context.cash)
        }
        let positionValue = price.wide * (held + shares)
        if exceeds(positionValue, maxPositionBasisPoints) {
            return .positionSize(value: try money(positionValue, "the position"), equity: context.equity, limitBasisPoints: maxPositionBasisPoints)
        }
        if context.positionQuantity == 0 && context.openPositions >= maxOpenPositions {
            return .openPositions(open: context.openPositions, limit: maxOpenPositions)
        }
        if let limit = maxGroupBasisPoints, let group = context.group {
            let groupValue = group.otherValue.wide + positionValue
            if exceeds(groupValue, limit) {
                return .groupExposure(group: group.name, value: try money(groupValue, "the group"), equity: context.equity, limitBasisPoints: limit)
            }
        }
        let cashAfter = context.cash.wide - cost
        if cashAfter * 10_000 < equity * Int128(minCashReserveBasisPoints) {
            return .cashReserve(cashAfter: try money(cashAfter, "the cash left"), equity: context.equity, minimumBasisPoints: minCashReserveBasisPoints)
        }
        return nil
    }
}

/// A rate in basis points as a percentage, trailing zeros trimmed (`1050` → `10.5%`).
func basisPointsAsPercent(_ bp: Int64) -> String { Fixed.percentText(basisPoints: bp) }
