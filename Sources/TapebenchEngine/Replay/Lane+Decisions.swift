import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

extension Lane {
    /// The minute's decisions: the orchestrator's stop-loss and take-profit on positions it opened from
    /// signals (bars in ticker order), then the agent's actions: signals first, each ticker's newest fresh one
    /// acted on (tickers in the order the agent named them), then orders and cancels in the order given.
    mutating func decide(_ minute: Minute, settings: OrchestratorSettings) {
        if !account.positions.isEmpty {
            for bar in minute.bars { monitorExits(bar: bar, settings: settings) }
        }
        let view = AgentView(time: clock.now, bars: minute.bars, account: facts, openOrders: openOrders, windows: windows,
                             positions: account.positions, fills: tradesSinceDecision, orderClients: orderClients)
        tradesSinceDecision.removeAll(keepingCapacity: true)
        let actions: [AgentAction]
        do {
            actions = try agent.decide(view)
        } catch {
            stop(agentFailure: error, at: minute.bars[0])
            return
        }
        var signals: [(ticker: String, signals: [Signal])] = []
        for case .signal(let signal) in actions {
            if let index = signals.firstIndex(where: { $0.ticker == signal.ticker }) {
                signals[index].signals.append(signal)
            } else {
                signals.append((signal.ticker, [signal]))
            }
        }
        for (ticker, tickerSignals) in signals { act(on: tickerSignals, ticker: ticker, minute: minute, settings: settings) }
        for action in actions {
            switch action {
            case .signal: continue
            case .order(let request): place(request, minute: minute)
            case .cancel(let clientID): cancel(clientID: clientID)
            }
        }
    }

    /// The agent failed: the lane replays nothing more, and the run stops with the failure.
    mutating func stop(agentFailure: AgentFailure, at bar: Bar) {
        halt = ReplayHalt(ticker: bar.ticker, barStart: bar.start, agent: config.id, variant: variant, reason: agentFailure.message,
                          cause: .agentFailed)
    }

    /// Stop-loss and take-profit at the bar's close, sent as market orders (the reference orchestrator's).
    /// Only positions opened from a signal: an agent's own orders are its whole plan.
    mutating func monitorExits(bar: Bar, settings: OrchestratorSettings) {
        guard let position = account.position(bar.ticker), position.quantity > 0, position.signal != nil,
              !hasOpenOrder(bar.ticker, side: .sell) else { return }
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
        submit(ticker: bar.ticker, bar: bar, side: .sell, quantity: position.quantity, purpose: purpose, signal: nil)
    }

    /// One ticker's signals of this minute: all are counted, the newest at most `signal_max_age_minutes` old
    /// is acted on. A buy opens a position sized at the ticker's latest close; a sell closes a long.
    private mutating func act(on signals: [Signal], ticker: String, minute: Minute, settings: OrchestratorSettings) {
        counts.signalsGenerated += signals.count
        if let currentDate { counts.signalsByDate[currentDate, default: 0] += signals.count }
        let oldest = clock.now.adding(minutes: -settings.signalMaxAgeMinutes)
        guard let signal = signals.last(where: { $0.time >= oldest }), account.status == .active, !hasOpenOrder(ticker),
              let window = windows.window(ticker), let latest = window.last else { return }
        let bar = minute.bars.first { $0.ticker == ticker }
        switch signal.side {
        case .buy:
            guard account.position(ticker) == nil, !entriesBlockedToday else { return }
            let quantity = PositionSizing.quantity(equity: account.equity, price: latest.close, window: window, settings: settings,
                                                   maxPositionBasisPoints: executor.risk.maxPositionBasisPoints)
            guard quantity > 0 else { return }
            counts.signalsActedOn += 1
            submit(ticker: ticker, bar: bar, side: .buy, quantity: quantity, purpose: "signal_entry", signal: signal.reason)
        case .sell:
            guard let position = account.position(ticker), position.quantity > 0 else { return }
            counts.signalsActedOn += 1
            submit(ticker: ticker, bar: bar, side: .sell, quantity: position.quantity, purpose: "signal_exit", signal: signal.reason)
        }
    }

    /// An agent's own order, placed as asked; a buy is refused while the daily loss limit blocks entries.
    private mutating func place(_ request: OrderRequest, minute: Minute) {
        if request.side == .buy && entriesBlockedToday {
            recorder.record(.riskEvent(RiskEvent(time: clock.now, kind: "daily_loss_limit",
                                                 detail: "\(request.label) (buy \(request.quantity) \(request.ticker)) not submitted: no new entries today")))
            return
        }
        let id = submit(ticker: request.ticker, bar: minute.bars.first { $0.ticker == request.ticker }, side: request.side,
                        quantity: request.quantity, purpose: request.purpose, signal: nil, type: request.type,
                        limit: request.limitPrice, stop: request.stopPrice)
        if let clientID = request.clientID {
            clientOrders[clientID] = id
            orderClients[id] = clientID
        }
    }

    /// Cancels the open order the agent placed as `clientID`; nothing when it is not open (filled, or unknown).
    private mutating func cancel(clientID: String) {
        guard let id = clientOrders.removeValue(forKey: clientID), let index = openOrders.firstIndex(where: { $0.id == id }) else { return }
        var order = openOrders.remove(at: index)
        order.status = .cancelled
        order.rejectReason = "cancelled: by the agent (\(clientID))"
        order.closedAt = clock.now
        close(order)
    }
}
