import TapebenchCore
import TapebenchExecution
import TapebenchLedger

/// Under `exits: resting`, the orchestrator's stop-loss and take-profit on one long position opened from a
/// signal: a sell stop and a sell limit for the whole position, one cancelling the other.
struct Bracket: Sendable, Hashable {
    var stopID: Int64
    var targetID: Int64
    var quantity: Int64
    var stop: Price
    var target: Price
    /// One leg has filled (in part) and the other was cancelled: what is left of that leg runs its course.
    var legFilled = false

    func sibling(of id: Int64) -> Int64? {
        id == stopID ? targetID : id == targetID ? stopID : nil
    }
}

extension LaneState {
    /// The bracket a signal-opened long position should have: the stop-loss price floored and the take-profit
    /// price ceiled to the fill model's tick (prices a broker accepts, never nearer the entry than the
    /// reference's close check: a stop at most cost × (1 − s) / quantity, a target at least cost × (1 + t) / quantity).
    func wantedBracket(_ ticker: String, settings: OrchestratorSettings) -> (quantity: Int64, stop: Price, target: Price)? {
        guard let position = account.position(ticker), position.quantity > 0, position.signal != nil else { return nil }
        let tick = max(executor.model.spec.tickSize.wide, 1)
        let denominator = Int128(position.quantity) * 10_000 * tick
        let stopTicks = Int128(position.costBasis.raw) * Int128(10_000 - settings.stopLossBasisPoints) / denominator
        let targetNumerator = Int128(position.costBasis.raw) * Int128(10_000 + settings.takeProfitBasisPoints)
        let targetTicks = (targetNumerator + denominator - 1) / denominator
        // A target beyond what a price may hold: no bracket (a position priced near `Limits`' ceiling).
        guard let stop = Int64(exactly: stopTicks * tick), let target = Int64(exactly: targetTicks * tick),
              Limits.priceProblem(Fixed(raw: target)) == nil else { return nil }
        return (position.quantity, Fixed(raw: max(stop, 0)), Fixed(raw: target))
    }

    /// Keeps the ticker's bracket in step with its position (called where the reference checks its exits): a
    /// new position gets one, a position that grew or shrank gets a new one, a closed position loses it. Not
    /// while another sell of the ticker is open (a signal's exit, a liquidation), as the reference does not exit twice.
    mutating func refreshBracket(_ ticker: String, settings: OrchestratorSettings) {
        if let bracket = brackets[ticker] {
            let stopOpen = isOpen(bracket.stopID), targetOpen = isOpen(bracket.targetID)
            if bracket.legFilled && (stopOpen || targetOpen) { return }
            if stopOpen && targetOpen, let wanted = wantedBracket(ticker, settings: settings),
               wanted == (bracket.quantity, bracket.stop, bracket.target) { return }
            cancelBracket(ticker, reason: account.position(ticker) == nil ? .positionClosed : .positionChanged)
        }
        guard let wanted = wantedBracket(ticker, settings: settings), !hasOpenOrder(ticker, side: .sell) else { return }
        let bar = windows.window(ticker)?.last
        let stopID = submit(ticker: ticker, bar: bar, side: .sell, quantity: wanted.quantity, purpose: "stop_loss", signal: nil,
                            type: .stop, stop: wanted.stop)
        let targetID = submit(ticker: ticker, bar: bar, side: .sell, quantity: wanted.quantity, purpose: "take_profit", signal: nil,
                              type: .limit, limit: wanted.target)
        brackets[ticker] = Bracket(stopID: stopID, targetID: targetID, quantity: wanted.quantity, stop: wanted.stop, target: wanted.target)
    }

    /// Cancels what is open of the ticker's bracket (a signal's exit or a liquidation takes over, or the position changed).
    mutating func cancelBracket(_ ticker: String, reason: OrderReason.BracketEnd) {
        guard let bracket = brackets.removeValue(forKey: ticker) else { return }
        for id in [bracket.stopID, bracket.targetID] { cancelOpenOrder(id, reason: .bracket(reason)) }
    }

    /// Whether the ticker has a bracket with a leg filling: an exit under way, as a pending stop-loss is.
    func bracketExiting(_ ticker: String) -> Bool {
        brackets[ticker].map { $0.legFilled && (isOpen($0.stopID) || isOpen($0.targetID)) } ?? false
    }

    /// Whether an open order of the ticker is not one of its bracket's legs.
    func hasOpenOrderBesidesBracket(_ ticker: String) -> Bool {
        let bracket = brackets[ticker]
        return openOrders.contains { $0.ticker == ticker && bracket?.sibling(of: $0.id) == nil }
    }

    func isOpen(_ id: Int64) -> Bool { openOrders.contains { $0.id == id } }

    /// Closes the open order `id` as cancelled, with its reason; nothing when it is not open.
    mutating func cancelOpenOrder(_ id: Int64, reason: OrderReason) {
        guard let index = openOrders.firstIndex(where: { $0.id == id }) else { return }
        var order = openOrders.remove(at: index)
        order.status = .cancelled
        order.closeReason = reason
        order.closedAt = now
        close(order)
    }

    // MARK: - On a bar

    /// Of a bracket whose two legs this bar would both fill, the leg the path reaches first
    /// (`IntrabarRules.firstExit`: a gap at the open decides, else the model's intrabar path); the other is
    /// cancelled when it fills. `ambiguous` when the path, not a gap, decided. Under the engine presets the
    /// engine's own order decides: backtrader tries a bracket's stop child before its limit child (submission
    /// order), backtesting.py a trade's SL order before its TP order (`_Broker` puts the SL first in its queue):
    /// the stop, whenever the bar reaches both, even when it opened beyond the target.
    func bracketWinner(_ ticker: String, due: [Int], bar: Bar) -> (winner: Int, loser: Int, ambiguous: Bool)? {
        guard let bracket = brackets[ticker], !bracket.legFilled,
              let stop = due.first(where: { openOrders[$0].id == bracket.stopID }),
              let target = due.first(where: { openOrders[$0].id == bracket.targetID }),
              executor.model.evaluate(openOrders[stop], on: bar).decision != nil,
              executor.model.evaluate(openOrders[target], on: bar).decision != nil,
              var exit = IntrabarRules.firstExit(long: true, stop: bracket.stop, target: bracket.target, bar: bar,
                                                 path: executor.model.spec.intrabarPath) else { return nil }
        let spec = executor.model.spec
        if spec.backtraderBroker != nil || spec.backtestingBroker != nil { exit = .stop }
        let gap = bar.open <= bracket.stop || bar.open >= bracket.target
        return exit == .stop ? (stop, target, !gap) : (target, stop, !gap)
    }

    /// A leg of a bracket filled (in part): its sibling is cancelled (one cancels the other). Returns the
    /// sibling's index in `openOrders` when it was open, for the caller to drop.
    mutating func bracketLegFilled(_ order: Order) -> Int? {
        guard var bracket = brackets[order.ticker], let sibling = bracket.sibling(of: order.id) else { return nil }
        bracket.legFilled = true
        brackets[order.ticker] = bracket
        guard let index = openOrders.firstIndex(where: { $0.id == sibling }) else { return nil }
        var cancelled = openOrders[index]
        cancelled.status = .cancelled
        cancelled.closeReason = .otherLegFilled(order: order.id, purpose: order.purpose)
        cancelled.closedAt = now
        close(cancelled)
        return index
    }
}
