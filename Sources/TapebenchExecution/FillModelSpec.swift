import TapebenchCore

/// When a market order fills.
public enum MarketTiming: Sendable, Hashable {
    /// The open of the first bar starting at or after the decision (seed).
    case nextOpen
    /// The close of that bar.
    case nextClose
    /// The open of the bar `bars` bars after that one (a delay of `bars` bars).
    case latency(bars: Int)
    /// The close of the bar the decision was made on: look-ahead, allowed only when named, flagged in reports.
    case sameBarClose

    public var isLookAhead: Bool { self == .sameBarClose }
}

/// When and where a limit order fills.
public struct LimitRule: Sendable, Hashable {
    /// 0: a touch fills (seed); N: the bar must trade N ticks through the limit.
    public var throughTicks: Int64
    /// A bar that opens beyond the limit fills at the open, the better price (the gap rule).
    public var gapFillsAtOpen: Bool

    public init(throughTicks: Int64 = 0, gapFillsAtOpen: Bool = false) {
        self.throughTicks = throughTicks
        self.gapFillsAtOpen = gapFillsAtOpen
    }
}

/// Where a triggered stop order fills.
public enum StopRule: String, Sendable, Hashable, CaseIterable {
    /// At the stop price, even when the bar gaps through it (seed).
    case atStop = "at_stop"
    /// At the worse of the stop and the open: a gap through the stop fills at the open.
    case gapAware = "gap_aware"
    /// Triggered like `gapAware`, then filled as a market order: slippage applies.
    case toMarket = "to_market"
}

/// The order of prices inside a bar, where it matters (a stop-limit triggered and limited in one bar,
/// a stop and a take-profit in one bar).
public enum IntrabarPath: String, Sendable, Hashable, CaseIterable {
    /// Seed: the path is ignored; a stop-limit fills at its limit when the bar touches both prices, in any
    /// order, and of a stop and a target in one bar the target wins (optimistic).
    case anyOrder = "any"
    case openHighLowClose = "ohlc"
    case openLowHighClose = "olhc"
    /// The extreme nearer the open comes first.
    case nearestFirst = "nearest"
    /// Whichever path is worse for the trader.
    case worstCase = "worst"

    /// The two paths a bar can take, as the sequence of prices visited.
    static func path(highFirst: Bool, _ bar: Bar) -> [Price] {
        highFirst ? [bar.open, bar.high, bar.low, bar.close] : [bar.open, bar.low, bar.high, bar.close]
    }

    /// The concrete path for a bar, or nil for `worstCase` (which needs the trader's side).
    func highFirst(_ bar: Bar) -> Bool? {
        switch self {
        case .openHighLowClose: return true
        case .openLowHighClose: return false
        case .nearestFirst: return (bar.high.wide - bar.open.wide) <= (bar.open.wide - bar.low.wide)
        case .worstCase, .anyOrder: return nil
        }
    }
}

/// A cap on the share of a bar's volume an order may take; the rest waits for later bars.
public struct Participation: Sendable, Hashable {
    /// The share of the bar's volume, in basis points (1 000 = 10 %).
    public var maxBasisPoints: Int64
    /// Whether what is left of an order is cancelled at the end of the session.
    public var cancelAtSessionEnd: Bool

    public init(maxBasisPoints: Int64, cancelAtSessionEnd: Bool = false) {
        self.maxBasisPoints = maxBasisPoints
        self.cancelAtSessionEnd = cancelAtSessionEnd
    }

    /// The whole shares a bar of `volume` allows: ⌊volume × share⌋, 0 for a volume that is not a positive
    /// number, and at most `Limits.maxShares` (a larger cap never binds an order, which is within it).
    public func shares(ofVolume volume: Double) -> Int64 {
        let allowed = (volume * Double(maxBasisPoints) / 10_000).rounded(.down)
        guard allowed >= 1 else { return 0 }  // also NaN
        return allowed >= Double(Limits.maxShares) ? Limits.maxShares : Int64(allowed)
    }
}

/// A fill model as a value with named parts. Presets name the common ones; a scenario may override any part.
public struct FillModelSpec: Sendable, Hashable {
    public var name: String
    public var marketTiming: MarketTiming = .nextOpen
    public var limit = LimitRule()
    public var stop: StopRule = .atStop
    public var intrabarPath: IntrabarPath = .anyOrder
    /// Nil: volume is ignored (seed).
    public var participation: Participation?
    public var slippage: SlippageSpec = .basisPoints(Fixed(1))
    /// Whether fills at the open pay slippage: market orders, and gap fills of stops and limits
    /// (backtrader's `slip_open`; seed: yes). Fills at a close or a triggered stop-to-market always do;
    /// limit fills never end worse than the limit.
    public var slippageOnOpen = true
    /// Whether slipped prices are held inside the bar's range (backtrader's `slip_match` without `slip_out`).
    public var slippageCappedToBar = false
    public var commission: CommissionSpec = .perFill(Fixed(raw: 50_000_000))
    public var tickSize: Price = Fixed(raw: 1_000_000)
    /// A stop-limit pays its limit when it fills (seed's price), even where the rule would fill it at the stop
    /// or the open: conservative's, so that it never fills a stop-limit better than seed.
    public var stopLimitFillsAtLimit = false
    /// backtrader's broker: when set, market, limit, stop and stop-limit orders follow `BacktraderRules` with
    /// these slippage settings (the spec's own limit, stop, path and slippage parts are not used).
    public var backtraderBroker: BacktraderBroker?
    /// backtesting.py's broker: when set, orders follow `BacktestingRules`, and fills pay its spread on the part
    /// that opens a position (the spec's own limit, stop, path and slippage parts are not used).
    public var backtestingBroker: BacktestingBroker?

    public init(name: String) { self.name = name }

    // MARK: - Presets

    /// The reference system's rules, unchanged.
    public static let seed = FillModelSpec(name: "seed")

    /// Pessimistic and realistic, and never better than seed for the same order on the same bar: limits one
    /// tick through at the limit, stops to market (the open on a gap), stop-limits at their limit along the
    /// worst intrabar path, at most 10 % of a bar's volume, the worse of 1 bp and square-root impact, and the
    /// greater of $0.50 and a per-share commission with SEC and FINRA fees.
    public static var conservative: FillModelSpec {
        var spec = FillModelSpec(name: "conservative")
        spec.limit = LimitRule(throughTicks: 1, gapFillsAtOpen: false)
        spec.stop = .toMarket
        spec.intrabarPath = .worstCase
        spec.stopLimitFillsAtLimit = true
        spec.participation = Participation(maxBasisPoints: 1_000)
        // Every part at least as costly as seed's: square-root impact on a small order is below seed's 1 bp, and
        // the 1 % cap can put a small order's per-share commission under seed's $0.50.
        spec.slippage = .worstOf([.basisPoints(Fixed(1)), .squareRootImpact(k: Fixed(1))])
        spec.commission = .greatestOf([FillModelSpec.seed.commission,
                                       .perShare(rate: Fixed(raw: 500_000), minimum: Fixed(1), maximumBasisPoints: 100, regulatoryFees: true)])
        return spec
    }

    /// backtrader's default broker (`BackBroker` of backtrader 1.9.78.123): its fill rules (`BacktraderRules`)
    /// with its default settings: no slippage (`slip_perc` 0), no commission, checked fill by fill against
    /// backtrader. Its fill times are bar ends, as every model's; backtrader stamps the bar's start.
    public static var backtrader: FillModelSpec {
        var spec = FillModelSpec(name: "backtrader")
        // BackBroker tries resting orders in the order they were submitted, with no path inside the bar.
        spec.intrabarPath = .anyOrder
        spec.slippage = .basisPoints(.zero)
        spec.commission = .perShare(rate: .zero, minimum: .zero, maximumBasisPoints: 10_000, regulatoryFees: false)
        spec.backtraderBroker = BacktraderBroker()
        return spec
    }

    /// backtesting.py 0.6.6's broker (`_Broker`) with its defaults: market at the next open, no spread, no
    /// commission; checked fill by fill against backtesting.py.
    public static var backtesting: FillModelSpec {
        var spec = FillModelSpec(name: "backtesting")
        spec.slippage = .basisPoints(.zero)
        spec.commission = .percentOfNotional(basisPoints: 0, regulatoryFees: false)
        spec.backtestingBroker = BacktestingBroker()
        return spec
    }

    public static let presetNames = ["seed", "conservative", "backtrader", "backtesting"]

    public static func preset(_ name: String) -> FillModelSpec? {
        switch name {
        case "seed": return .seed
        case "conservative": return .conservative
        case "backtrader": return .backtrader
        case "backtesting": return .backtesting
        default: return nil
        }
    }
}
