import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

extension Lane {
    mutating func monitorExits(bar: Bar, settings: OrchestratorSettings) {
        // Agents hold long positions only; shorts come from order tapes, whose orders are the whole plan.
        guard let position = account.position(bar.ticker), position.quantity > 0, !hasOpenOrder(bar.ticker, side: .sell) else { return }
        // Compare value and cost exactly: value / cost ≤ 1 − stop, or ≥ 1 + take.
        let value = Int128(position.marketValue.raw) * 10_000
        let cost = Int128(position.costBasis.raw)
        let purpose: String
        if value <= cost * Int128(10_000 - settings.stopLossBasisPoints) {
            purpose = "stop_loss"
        } else if value >= cost * Int128(10_000 + settings.takeProfitBasisPoints) {
            purpose = "take_profit"
        } else {
            return
        }
        submit(bar: bar, side: .sell, quantity: position.quantity, purpose: purpose, signal: nil)
    }

    mutating func scan(bar: Bar, window: BarWindow, settings: OrchestratorSettings) {
        let held = account.position(bar.ticker)?.quantity ?? 0
        let signals = agent.scan(ticker: bar.ticker, window: window, recent: settings.scanEveryBars, held: held)
        counts.signalsGenerated += signals.count
        if !signals.isEmpty, let currentDate { counts.signalsByDate[currentDate, default: 0] += signals.count }
        let oldest = now.adding(minutes: -settings.signalMaxAgeMinutes)
        guard let signal = signals.last(where: { $0.time >= oldest }), account.status == .active, !hasOpenOrder(bar.ticker) else { return }
        switch signal.side {
        case .buy:
            guard account.position(bar.ticker) == nil, !entriesBlockedToday else { return }
            let quantity = PositionSizing.quantity(equity: account.equity, price: bar.close, window: window, settings: settings,
                                                   maxPositionBasisPoints: executor.risk.maxPositionBasisPoints)
            guard quantity > 0 else { return }
            counts.signalsActedOn += 1
            submit(bar: bar, side: .buy, quantity: quantity, purpose: "signal_entry", signal: signal.reason)
        case .sell:
            guard let position = account.position(bar.ticker) else { return }
            counts.signalsActedOn += 1
            submit(bar: bar, side: .sell, quantity: position.quantity, purpose: "signal_exit", signal: signal.reason)
        }
    }

    /// The tape's orders for this ticker whose time has come: submitted at this bar's close.
    mutating func submitTapeOrders(_ tape: OrderTapeAgent, bar: Bar) {
        guard let queue = tape.tape.orders[bar.ticker] else { return }
        var next = tapePositions[bar.ticker, default: 0]
        while next < queue.count, queue[next].time <= bar.start {
            let order = queue[next]
            defer { next += 1 }
            if order.side == .buy && entriesBlockedToday {
                recorder.record(.riskEvent(RiskEvent(time: now, kind: "daily_loss_limit", detail: "tape line \(order.line) (buy \(order.quantity) \(order.ticker)) not submitted: no new entries today")))
                continue
            }
            submit(bar: bar, side: order.side, quantity: order.quantity, purpose: "tape_line_\(order.line)", signal: nil,
                   type: order.type, limit: order.limitPrice, stop: order.stopPrice)
        }
        tapePositions[bar.ticker] = next
    }
}
