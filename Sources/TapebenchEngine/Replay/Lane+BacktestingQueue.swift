import TapebenchCore
import TapebenchExecution
import TapebenchLedger

extension LaneState {
    /// Whether the ticker's orders go through backtesting.py's queue (`processBacktestingQueue`) rather than
    /// the plain loop: under the backtesting preset, once contingent orders, `exclusive_orders` or
    /// `trade_on_close` make the queue's order, or a price from the previous bar, matter. (Without them the
    /// two give the same fills: stand-alone orders in submission order.)
    func usesBacktestingQueue(_ ticker: String) -> Bool {
        guard let broker = backtesting.broker else { return false }
        return broker.exclusiveOrders || backtesting.tradeOnClose || backtesting.books[ticker]?.hasContingent == true
    }

    /// backtesting.py 0.6.6's `_Broker._process_orders` on one bar of a ticker: the queue walked in order (an
    /// order placed during the walk waits for the next walk), each order priced as `_process_orders` prices it;
    /// when a trade opened by a market order (or a stop order whose TP, not SL, the bar reached) got an SL or
    /// TP, the whole queue is walked again on the same bar (backtesting.py issue 119), which also retries a
    /// stop-limit triggered on this bar (`backtesting_stop_limit_rerun`).
    mutating func processBacktestingQueue(bar: Bar) {
        guard let broker = backtesting.broker else { return }
        let tradeOnClose = backtesting.tradeOnClose
        let window = windows.window(bar.ticker)
        let previous = window.flatMap { $0.count >= 2 ? $0[$0.count - 2] : nil }
        let previousClose = previous?.close
        var triggeredHere: Set<Int64> = []
        for _ in 0..<8 {  // backtesting.py recurses; a walk after the first opens no new trade with a bracket from a market order
            backtesting.opened = nil
            var rerun = false
            for id in backtesting.books[bar.ticker]?.queue ?? [] {
                guard let book = backtesting.books[bar.ticker], book.contains(id),
                      let index = openOrders.firstIndex(where: { $0.id == id }) else { continue }
                var order = openOrders[index]
                let leg = book.legs[id]
                guard leg != nil || order.submittedAt <= bar.start else { continue }
                if case .close = leg {
                    // A close order fills what is left of its trade; none once the trade is closed (then it just goes).
                    guard let left = book.quantity(ofLeg: id) else {
                        cancelOpenOrder(id, reason: .closedBeforeFill)
                        continue
                    }
                    order.quantity = order.filledQuantity + min(left, order.remainingQuantity)
                }
                var evaluation = executor.model.evaluate(order, on: bar)
                if var decision = evaluation.decision {
                    if order.type == .stopLimit && triggeredHere.contains(id) {
                        // Triggered on this bar with its limit reached only "before" the stop: filled by the rerun.
                        if broker.defects { decision.rule = .backtestingStopLimitRerun } else { evaluation.decision = nil }
                    }
                    if order.type == .stop && leg == nil && tradeOnClose, let previousClose {
                        // A stand-alone stop under trade_on_close: the worse of the previous close and the stop.
                        let price = order.side == .buy ? max(previousClose, order.stopPrice!) : min(previousClose, order.stopPrice!)
                        if broker.defects && price != decision.referencePrice {
                            decision.referencePrice = price
                            decision.rule = .backtestingStopPreviousClose
                            decision.atOpen = false
                        }
                    }
                    // An SL filled on a bar that reaches its TP too: queued first, it wins, as backtesting.py assumes.
                    if case .stopLoss(let entry) = leg, let tp = book.trade(entry)?.takeProfitOrder,
                       let target = openOrders.first(where: { $0.id == tp })?.limitPrice,
                       order.side == .sell ? bar.high >= target : bar.low <= target {
                        decision.ambiguous = true
                    }
                    if evaluation.decision != nil { evaluation.decision = decision }
                }
                // Under trade_on_close a market order that is not a trade's SL or TP fills at the previous bar's close
                // (the bar it was decided on), stamped with that bar, as backtesting.py does, in its place in the queue.
                var on = bar
                if tradeOnClose, order.type == .market, leg?.isContingent != true, let previous {
                    on = previous
                    evaluation = FillEvaluation(decision: FillDecision(referencePrice: previous.close, quantity: order.remainingQuantity,
                                                                       rule: .marketSameBarClose, appliesSlippage: false))
                }
                let outcome = executor.execute(order, evaluation, on: on, context: riskContext(for: bar.ticker))
                if case .triggered = outcome { triggeredHere.insert(id) }
                order.eligibleBarsSeen += 1
                let stays = apply(outcome, to: &order, at: on.end)
                if let at = openOrders.firstIndex(where: { $0.id == id }) {
                    if stays { openOrders[at] = order } else { openOrders.remove(at: at) }
                }
                if case .filled = outcome, let sibling = bracketLegFilled(order) { openOrders.remove(at: sibling) }
                if let opened = backtesting.opened {
                    backtesting.opened = nil
                    rerun = rerun || BacktestingContingent.triedOnEntryBar(entry: opened.type, side: opened.side, stopLoss: opened.bracket.stopLoss,
                                                                            takeProfit: opened.bracket.takeProfit, bar: bar)
                }
            }
            if !rerun { return }
        }
    }
}
