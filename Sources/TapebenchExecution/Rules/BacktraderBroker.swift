import TapebenchCore

/// The parameters of backtrader's default broker (`BackBroker`, backtrader 1.9.78.123) that decide fill
/// prices: its slippage options, by their backtrader names, and whether its two slippage defects are
/// reproduced. Scenario key `backtrader: {slip_perc, slip_fixed, slip_open, slip_match, slip_limit, slip_out, defects}`.
///
/// Slippage (`_slip_up` / `_slip_down` in bbroker.py): a price moves by `slip_perc` (a fraction: 0.0001 is
/// 1 bp), else by `slip_fixed` (price units), against the trader. A slipped price beyond the cap (the bar's
/// high for buys, low for sells; a limit order's limit as well) is cut to the cap when `slip_match` (or, for
/// limit prices, `slip_limit`) allows a match there, kept beyond it with `slip_out`, and otherwise the order
/// does not fill on this bar.
public struct BacktraderBroker: Sendable, Hashable {
    /// `slip_perc`: a fraction of the price; when non-zero it wins over `slipFixed`.
    public var slipPercent: Fixed = .zero
    /// `slip_fixed`: price units per share.
    public var slipFixed: Fixed = .zero
    /// `slip_open`: whether fills at the bar's open (market orders, gaps through a stop or a limit) slip.
    public var slipOpen = false
    /// `slip_match`: a slipped price beyond the bar is matched at the bar's high or low (else: no fill on this bar).
    public var slipMatch = true
    /// `slip_limit`: a limit price is matched at its cap even without `slipMatch`.
    public var slipLimit = true
    /// `slip_out`: keep a slipped price beyond the bar (a price that never traded) instead of capping it.
    public var slipOut = false
    /// Reproduce backtrader's slippage defects (each such fill names its own rule):
    /// `backtrader_slip_past_limit` (a limit-priced fill slipped past its own limit: a stop-limit triggered
    /// inside the bar slips from its stop up to the bar's high, and with `slip_out` any limit fill may pass its
    /// limit) and `backtrader_slip_below_low` (a sell limit filled at the open slips down to its limit, below
    /// the bar's low, without `slip_out`). `false`: a limit-priced fill never passes its limit, and a sell limit
    /// at the open stays at or above the low unless `slip_out` asks for prices outside the bar.
    public var defects = true

    public init() {}

    /// Whether any slippage is configured: backtrader returns prices unchanged, uncapped, without it.
    public var slips: Bool { slipPercent.raw != 0 || slipFixed.raw != 0 }
}

/// The outcome of moving a price by backtrader's slippage.
public enum BacktraderSlip: Sendable, Hashable {
    /// The price to fill at; `beyondCap` when it lies past the cap backtrader was given (`slip_out`).
    case price(Price)
    /// No match on this bar: the order stays open.
    case noMatch
}

extension BacktraderBroker {
    /// `_slip_up` (buys) and `_slip_down` (sells): `price` moved against the trader, held at `cap` (the worst
    /// price allowed: a buy's maximum, a sell's minimum) as the switches say. `doSlip` false returns `price`.
    /// `isLimit`: the price is a limit order's (`slip_limit` applies).
    public func slip(_ price: Price, side: OrderSide, cap: Price, doSlip: Bool = true, isLimit: Bool = false) -> BacktraderSlip {
        guard doSlip, slips, let slipped = slipped(price, side: side) else { return .price(price) }
        // Whether the slipped price is within the cap is decided as backtrader decides it, in binary floating
        // point: 26.62 + 0.03 is 26.650000000000002 there, above a high of 26.65, so no match without slip_match.
        let binary = slipPercent.raw != 0
            ? price.doubleValue * (1 + Double(side.sign) * slipPercent.doubleValue)
            : price.doubleValue + Double(side.sign) * slipFixed.doubleValue
        let within = side == .buy ? binary <= cap.doubleValue : binary >= cap.doubleValue
        if within { return .price(slipped) }
        guard slipMatch || (isLimit && slipLimit) else { return .noMatch }
        return .price(slipOut ? slipped : cap)
    }

    /// `price × (1 ± slip_perc)`, else `price ± slip_fixed`, rounded once to 1e-8; nil beyond the range.
    func slipped(_ price: Price, side: OrderSide) -> Price? {
        if slipPercent.raw != 0 {
            let factor = Int128(Fixed.scale) + Int128(side.sign) * slipPercent.wide
            return Fixed.divideRoundingHalfEven(price.wide * factor, Int128(Fixed.scale)).map(Fixed.init(raw:))
        }
        return Fixed(exactly: price.wide + Int128(side.sign) * slipFixed.wide)
    }
}
