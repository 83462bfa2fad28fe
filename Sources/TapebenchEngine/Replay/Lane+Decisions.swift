import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

extension LaneState {
    /// The minute's decisions: the orchestrator's stop-loss and take-profit on positions it opened from
    /// signals (bars in ticker order), then the agent's actions: signals first, each ticker's newest fresh one
    /// acted on (tickers in the order the agent named them), then orders and cancels in the order given.
    mutating func decide(_ minute: Minute, settings: OrchestratorSettings) {
        switch settings.exits {
        case .market:
            if !account.positions.isEmpty {
                // By index, the bar copied only for the exits it meets: a `for bar in … where` copied every bar
                // before its test, and a copy of each held bar was ≈ 2 % of a one-ticker order tape (its position
                // held most minutes, its exits not watched).
                for index in minute.bars.indices where holds(minute.bars[index]) {
                    if watchesExits(minute.bars[index]) {
                        monitorExits(bar: minute.bars[index], settings: settings)
                    } else {
                        // Debug builds (the tests) check the skip against the position itself.
                        assert(account.position(minute.bars[index].ticker).map { !($0.quantity > 0 && $0.signal != nil) } ?? true,
                               "a held bar skipped the exits of a signal-opened long in \(minute.bars[index].ticker)")
                    }
                }
            }
        case .resting:
            for bar in minute.bars { refreshBracket(bar.ticker, settings: settings) }
        }
        // An agent that would do nothing this minute is not asked (its fills wait for the next view).
        guard agent.mayAct(on: minute.bars) else { return }
        let actions: [AgentAction]
        do {
            // The view lives for this call only: it shares the lane's arrays (bars, orders, fills), which stay
            // unique, so emptying the fills below keeps their storage instead of allocating anew each minute.
            actions = try agent.decide(AgentView(time: now, bars: minute.bars, account: facts, openOrders: openOrders, windows: windows,
                                                 positions: account.positions, fills: tradesSinceDecision, orderClients: orderClients,
                                                 held: held))
        } catch {
            stop(agentFailure: error, at: minute.bars[0])
            return
        }
        if !tradesSinceDecision.isEmpty { tradesSinceDecision.removeAll(keepingCapacity: true) }
        // The signals' tickers and places first, in a compact list reused minute after minute: searching the
        // actions themselves for a ticker's earlier signal copied two 144-byte actions per pair (≈ 1.5 % of a
        // 200-ticker replay, whose minutes bring some twenty signals).
        var places: [(ticker: String, index: Int)] = []
        swap(&places, &signalPlaces)
        var others = 0
        for index in actions.indices {
            if case .signal(let signal) = actions[index] { places.append((signal.ticker, index)) } else { others += 1 }
        }
        // Each ticker's signals gathered at its first one, into the lane's reused list (taken out while the
        // lane changes): a list per ticker and a list of them were three mallocs per signalling minute.
        var tickerSignals: [Signal] = []
        swap(&tickerSignals, &signalScratch)
        // A scanning agent names its tickers in the bars' order, each ticker's signals together: then each run
        // of one ticker is its group, found in one pass. Otherwise each ticker's first place gathers the places
        // after it (a compare of texts per pair: ≈ 0.5 % of a 200-ticker replay when it was done for all).
        let inRuns = Self.tickersInIncreasingRuns(places)
        var first = 0
        while first < places.count {
            let ticker = places[first].ticker
            var next = first + 1
            tickerSignals.removeAll(keepingCapacity: true)
            if inRuns {
                while next < places.count, places[next].ticker == ticker { next += 1 }
                for place in places[first..<next] {
                    if case .signal(let signal) = actions[place.index] { tickerSignals.append(signal) }
                }
            } else {
                guard !places[..<first].contains(where: { $0.ticker == ticker }) else { first = next; continue }
                for place in places[first...] where place.ticker == ticker {
                    if case .signal(let signal) = actions[place.index] { tickerSignals.append(signal) }
                }
            }
            act(on: tickerSignals, ticker: ticker, minute: minute, settings: settings)
            first = next
        }
        tickerSignals.removeAll(keepingCapacity: true)
        swap(&tickerSignals, &signalScratch)
        places.removeAll(keepingCapacity: true)
        swap(&places, &signalPlaces)
        guard others > 0 else { return }
        for action in actions {
            switch action {
            case .signal: continue
            case .order(let request): place(request, minute: minute)
            case .cancel(let clientID): cancel(clientID: clientID)
            }
        }
    }

    /// Whether the places' tickers come in runs, each ticker's places together, the runs' tickers in increasing
    /// order (so no ticker has two runs): a compare or two of texts per place.
    static func tickersInIncreasingRuns(_ places: [(ticker: String, index: Int)]) -> Bool {
        var index = 1
        while index < places.count {
            let previous = places[index - 1].ticker, ticker = places[index].ticker
            guard previous == ticker || previous < ticker else { return false }
            index += 1
        }
        return true
    }

    /// The agent failed: the lane replays nothing more, and the run stops with the failure.
    mutating func stop(agentFailure: AgentFailure, at bar: Bar) {
        halt = ReplayHalt(ticker: bar.ticker, barStart: bar.start, agent: config.id, variant: variant, reason: agentFailure.message,
                          cause: .agentFailed)
    }

    /// Stop-loss and take-profit at the bar's close, sent as market orders (the reference orchestrator's).
    /// Only positions opened from a signal: an agent's own orders are its whole plan.
    mutating func monitorExits(bar: Bar, settings: OrchestratorSettings) {
        guard let position = heldPosition(bar), position.quantity > 0, position.signal != nil,
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

    /// One ticker's signals of this minute: all are counted and told to the recorder (in the agent's order,
    /// the one acted on marked), the newest at most `signal_max_age_minutes` old is acted on. A buy opens a
    /// position sized at the ticker's latest close; a sell closes a long.
    private mutating func act(on signals: [Signal], ticker: String, minute: Minute, settings: OrchestratorSettings) {
        counts.signalsGenerated += signals.count
        if let currentDate { counts.signalsByDate[currentDate, default: 0] += signals.count }
        // The ticker's id, looked up by its text once for the signals' checks and their order's bar.
        let id = windows.tickers.existingID(for: ticker)
        let order = orderFor(signals, ticker: ticker, id: id, settings: settings)
        // Told before the order they lead to, so that a recorder can link the order to its signal.
        for (index, signal) in signals.enumerated() { record(.signal(signal, actedOn: index == order?.index)) }
        guard let order else { return }
        counts.signalsActedOn += 1
        if order.side == .sell { cancelBracket(ticker, reason: .signalExit) }
        stepBars.prepare(minute)
        submit(ticker: ticker, bar: bar(of: ticker, id: id, in: minute), side: order.side, quantity: order.quantity,
               purpose: order.side == .buy ? "signal_entry" : "signal_exit", signal: signals[order.index].reason)
    }

    /// The minute's bar of `ticker`, if it has one: found by the ticker's id (one look-up by its text, then a
    /// compare of ids per bar instead of a compare of texts), by its text when no bar carries the id.
    func bar(of ticker: String, in minute: Minute) -> Bar? {
        bar(of: ticker, id: windows.tickers.existingID(for: ticker), in: minute)
    }

    /// `bar(of:in:)` with the ticker's id already looked up (`id`, the ticker's in `windows.tickers`).
    func bar(of ticker: String, id: TickerID?, in minute: Minute) -> Bar? {
        if let id, let index = stepBars.index(of: id, in: minute), minute.bars[index].ticker == ticker { return minute.bars[index] }
        return minute.bars.first { $0.ticker == ticker }
    }

    /// The order the freshest of the signals leads to, if any: which signal, the side and the quantity.
    /// `id` is the ticker's id in `windows.tickers` (nil when it has none).
    private func orderFor(_ signals: [Signal], ticker: String, id: TickerID?, settings: OrchestratorSettings) -> (index: Int, side: OrderSide, quantity: Int64)? {
        let oldest = now.adding(minutes: -settings.signalMaxAgeMinutes)
        // A resting bracket does not block a signal's exit (which replaces it); a bracket leg that is filling does.
        guard let index = signals.lastIndex(where: { $0.time >= oldest }), account.status == .active,
              !hasOpenOrderBesidesBracket(ticker), !bracketExiting(ticker),
              let id, let window = windows.window(id), let latest = window.last else { return nil }
        // The held flags say whether the account has a position (`noteHeld`): one not held (most signals' tickers)
        // needs no look-up by its text. Debug builds (the tests) check the flag against the account.
        let held = holds(id)
        assert(held == (account.position(ticker) != nil), "the lane's held flag of \(ticker) disagrees with its account")
        switch signals[index].side {
        case .buy:
            guard !held, !entriesBlockedToday else { return nil }
            let quantity = PositionSizing.quantity(equity: account.equity, price: latest.close, window: window, settings: settings,
                                                   maxPositionBasisPoints: executor.risk.maxPositionBasisPoints)
            return quantity > 0 ? (index, .buy, quantity) : nil
        case .sell:
            guard held, let position = account.position(ticker), position.quantity > 0 else { return nil }
            return (index, .sell, position.quantity)
        }
    }

    /// An agent's own order, placed as asked; a buy is refused while the daily loss limit blocks entries.
    private mutating func place(_ request: OrderRequest, minute: Minute) {
        if request.side == .buy && entriesBlockedToday {
            record(.riskEvent(RiskEvent(time: now, kind: "daily_loss_limit",
                                                 detail: "\(request.label) (buy \(request.quantity) \(request.ticker)) not submitted: no new entries today")))
            return
        }
        guard prepareBacktestingOrder(request, minute: minute) else { return }
        let id = submit(ticker: request.ticker, bar: bar(of: request.ticker, in: minute), side: request.side,
                        quantity: request.quantity, purpose: request.purpose, signal: nil, type: request.type,
                        limit: request.limitPrice, stop: request.stopPrice)
        if let clientID = request.clientID {
            clientOrders[clientID] = id
            orderClients[id] = clientID
        }
    }

    /// Cancels the open order the agent placed as `clientID`. When it is not open (filled, rejected, cancelled
    /// already, or never placed) nothing changes, and a risk event `cancel_not_open` says so.
    private mutating func cancel(clientID: String) {
        let known = clientOrders.removeValue(forKey: clientID)
        guard let id = known, let index = openOrders.firstIndex(where: { $0.id == id }) else {
            let why = known.map { "order \($0) is no longer open (filled, rejected or cancelled)" } ?? "no order was placed with this client id"
            record(.riskEvent(RiskEvent(time: now, kind: "cancel_not_open", detail: "cancel of \(clientID) not applied: \(why)")))
            return
        }
        var order = openOrders.remove(at: index)
        order.status = .cancelled
        order.closeReason = .cancelledByAgent(clientID: clientID)
        order.closedAt = now
        close(order)
    }
}
