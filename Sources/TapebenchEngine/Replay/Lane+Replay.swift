import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

extension AgentRun {
    /// One regular-hours bar through this lane (the steps of `Orchestrator`).
    mutating func process(_ bar: Bar, settings: OrchestratorSettings, calendar: ExchangeCalendar) {
        guard halt == nil else { return }
        let date = EasternTime.local(bar.start).date
        if date != currentDate {
            if let currentDate { endSession(date: currentDate) }
            currentDate = date
            sessionEnd = calendar.regularSession(on: date)?.close
            dayStartEquity = account.equity
            entriesBlockedToday = false
        }
        now = bar.end
        // Taken out to append without copying the ring buffer, then put back for the risk checks to see.
        var window = windows.removeValue(forKey: bar.ticker) ?? BarWindow(capacity: settings.windowBars)
        window.append(bar)
        windows[bar.ticker] = window
        let count = barCounts[bar.ticker, default: 0] + 1
        barCounts[bar.ticker] = count
        processOpenOrders(bar: bar)
        do {
            try account.mark(bar.ticker, at: bar.close)
        } catch {
            halt = ReplayHalt(ticker: bar.ticker, barStart: bar.start, agent: config.id, variant: variant, reason: error.description)
            return
        }
        checkBreakers(bar: bar)
        if account.status != .active {
            // Paused or closed: no new orders; positions stay marked.
        } else if let tape = agent as? OrderTapeAgent {
            submitTapeOrders(tape, bar: bar)
        } else {
            monitorExits(bar: bar, settings: settings)
            if count % settings.scanEveryBars == 0 { scan(bar: bar, window: window, settings: settings) }
        }
        barsReplayed += 1
        if !account.positions.isEmpty { barsExposed += 1 }
    }

    /// The daily loss limit and the drawdown circuit breaker, after each mark.
    private mutating func checkBreakers(bar: Bar) {
        let risk = executor.risk
        let equity = account.equity
        if peakEquity.raw == 0 { peakEquity = account.initialBalance }
        peakEquity = max(peakEquity, equity)
        if let limit = risk.dailyLossLimitBasisPoints, !entriesBlockedToday, dayStartEquity.raw > 0,
           Int128(equity.raw) * 10_000 < Int128(dayStartEquity.raw) * Int128(10_000 - limit) {
            entriesBlockedToday = true
            events.append(RiskEvent(time: now, kind: "daily_loss_limit",
                                    detail: "equity $\(equity.rounded(toFractionDigits: 2)) is more than \(Fixed.format(wide: Int128(limit) * 1_000_000, minimumFractionDigits: 0))% below the day's start $\(dayStartEquity.rounded(toFractionDigits: 2)): no new entries today"))
        }
        if let limit = risk.maxDrawdownBasisPoints, account.status == .active,
           Int128(equity.raw) * 10_000 < Int128(peakEquity.raw) * Int128(10_000 - limit) {
            let detail = "equity $\(equity.rounded(toFractionDigits: 2)) is more than \(Fixed.format(wide: Int128(limit) * 1_000_000, minimumFractionDigits: 0))% below its peak $\(peakEquity.rounded(toFractionDigits: 2))"
            switch risk.drawdownAction {
            case .pause:
                account.status = .paused
                events.append(RiskEvent(time: now, kind: "max_drawdown_pause", detail: detail + ": the account is paused"))
            case .close:
                events.append(RiskEvent(time: now, kind: "max_drawdown_close", detail: detail + ": the account is closed, positions liquidated at the next open"))
                for position in account.sortedPositions {
                    // A long is sold, a short bought back.
                    let side: OrderSide = position.quantity > 0 ? .sell : .buy
                    guard !hasOpenOrder(position.ticker, side: side) else { continue }
                    submit(ticker: position.ticker, bar: nil, side: side, quantity: Int64(position.quantity.magnitude), purpose: "liquidation", signal: nil)
                }
                account.status = .closed
            }
        }
    }

    /// The end of the replay: a last snapshot, and orders still open cancelled.
    mutating func finish(calendar: ExchangeCalendar) {
        if let currentDate { takeSnapshot(date: currentDate) }
        for orderIndex in openOrderIndices {
            orders[orderIndex].status = .cancelled
            orders[orderIndex].rejectReason = "end_of_replay: still open when the data ended"
            orders[orderIndex].closedAt = now
        }
        openOrderIndices.removeAll()
        if let tape = agent as? OrderTapeAgent { cancelUnsubmittedTapeRows(tape) }
    }

    /// Tape rows whose ticker had no bar at or after their time (late on the data's last day) were never
    /// submitted: they are listed as cancelled orders, so that no row of a tape vanishes without a word.
    private mutating func cancelUnsubmittedTapeRows(_ tape: OrderTapeAgent) {
        for ticker in tape.tape.orders.keys.sorted() {
            let queue = tape.tape.orders[ticker]!
            for row in queue[tapePositions[ticker, default: 0]...] {
                var order = Order(id: ids.nextOrder(), agent: config.id, ticker: ticker, side: row.side, type: row.type, quantity: row.quantity,
                                  limitPrice: row.limitPrice, stopPrice: row.stopPrice, submittedAt: row.time, purpose: "tape_line_\(row.line)", signal: nil)
                order.status = .cancelled
                order.rejectReason = "end_of_replay: never submitted: no \(ticker) bar at or after its time"
                order.closedAt = now
                orders.append(order)
            }
        }
    }

    private mutating func endSession(date: CivilDate) {
        takeSnapshot(date: date)
        guard executor.model.spec.participation?.cancelAtSessionEnd == true else { return }
        openOrderIndices.removeAll { index in
            guard orders[index].filledQuantity > 0 else { return false }
            orders[index].status = .cancelled
            orders[index].rejectReason = "session_end: the rest of a partly filled order is cancelled at the close"
            orders[index].closedAt = sessionEnd ?? now
            return true
        }
    }

    /// The lane's open orders in the bar's ticker, tried in the order the intrabar path reaches their
    /// prices (order-id order under the seed rules).
    private mutating func processOpenOrders(bar: Bar) {
        var stillOpen: [Int] = []
        var due: [Int] = []
        for orderIndex in openOrderIndices {
            let order = orders[orderIndex]
            if order.ticker == bar.ticker, order.submittedAt <= bar.start { due.append(orderIndex) } else { stillOpen.append(orderIndex) }
        }
        if due.count > 1 {
            let position = Dictionary(uniqueKeysWithValues: due.map { (orders[$0].id, $0) })
            due = IntrabarRules.sequence(due.map { orders[$0] }, bar: bar, path: executor.model.spec.intrabarPath).map { position[$0.id]! }
        }
        // With several orders the bar could fill, which fills first is the path's assumption.
        let contested = due.count > 1 && due.filter { executor.model.evaluate(orders[$0], on: bar).decision != nil }.count > 1
        for orderIndex in due {
            var outcome = executor.execute(orders[orderIndex], on: bar, context: riskContext(for: bar.ticker))
            if contested, case .filled(var fill) = outcome {
                fill.ambiguous = true
                outcome = .filled(fill)
            }
            orders[orderIndex].eligibleBarsSeen += 1
            if apply(outcome, to: orderIndex, at: bar.end) { stillOpen.append(orderIndex) }
        }
        openOrderIndices = stillOpen.sorted()
    }

    /// Books an outcome on an order; returns whether the order stays open.
    private mutating func apply(_ outcome: ExecutionOutcome, to orderIndex: Int, at time: Timestamp) -> Bool {
        switch outcome {
        case .none:
            return true
        case .triggered:
            orders[orderIndex].stopTriggered = true
            return true
        case .rejected(let rejection):
            orders[orderIndex].status = .rejected
            orders[orderIndex].rejectReason = rejection.description
            orders[orderIndex].closedAt = time
            return false
        case .filled(let fill):
            let opening = account.position(fill.ticker)?.signal ?? orders[orderIndex].signal
            // The account and the totals take the trade together, or neither does.
            var booked = account
            let realized: Money?
            do {
                realized = try booked.apply(fill, signal: orders[orderIndex].signal)
                totals = try totals.booking(fill, realized: realized, openingSignal: opening)
            } catch {
                return apply(.rejected(.amountOutOfRange(error.description)), to: orderIndex, at: time)
            }
            account = booked
            trades.append(Trade(id: ids.nextTrade(), fill: fill, realizedPnL: realized, cashAfter: account.cash,
                                positionAfter: account.position(fill.ticker)?.quantity ?? 0, openingSignal: opening))
            orders[orderIndex].filledQuantity += fill.quantity
            if orders[orderIndex].type == .stopLimit { orders[orderIndex].stopTriggered = true }
            if orders[orderIndex].remainingQuantity == 0 {
                orders[orderIndex].status = .filled
                orders[orderIndex].closedAt = time
                return false
            }
            orders[orderIndex].status = .partiallyFilled
            return true
        }
    }

    private mutating func monitorExits(bar: Bar, settings: OrchestratorSettings) {
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

    private mutating func scan(bar: Bar, window: BarWindow, settings: OrchestratorSettings) {
        let held = account.position(bar.ticker)?.quantity ?? 0
        let signals = agent.scan(ticker: bar.ticker, window: window, recent: settings.scanEveryBars, held: held)
        signalsGenerated += signals.count
        if !signals.isEmpty, let currentDate { signalsByDate[currentDate, default: 0] += signals.count }
        let oldest = now.adding(minutes: -settings.signalMaxAgeMinutes)
        guard let signal = signals.last(where: { $0.time >= oldest }), account.status == .active, !hasOpenOrder(bar.ticker) else { return }
        switch signal.side {
        case .buy:
            guard account.position(bar.ticker) == nil, !entriesBlockedToday else { return }
            let quantity = PositionSizing.quantity(equity: account.equity, price: bar.close, window: window, settings: settings,
                                                   maxPositionBasisPoints: executor.risk.maxPositionBasisPoints)
            guard quantity > 0 else { return }
            signalsActedOn += 1
            submit(bar: bar, side: .buy, quantity: quantity, purpose: "signal_entry", signal: signal.reason)
        case .sell:
            guard let position = account.position(bar.ticker) else { return }
            signalsActedOn += 1
            submit(bar: bar, side: .sell, quantity: position.quantity, purpose: "signal_exit", signal: signal.reason)
        }
    }

    /// Submits an order decided at the end of `bar`. Under look-ahead timing it fills at once, at `bar`'s close.
    mutating func submit(bar: Bar, side: OrderSide, quantity: Int64, purpose: String, signal: String?,
                         type: OrderType = .market, limit: Price? = nil, stop: Price? = nil) {
        submit(ticker: bar.ticker, bar: bar, side: side, quantity: quantity, purpose: purpose, signal: signal, type: type, limit: limit, stop: stop)
    }

    /// Submits an order for `ticker` decided now; `bar` is the decision bar when the order's own ticker made it.
    mutating func submit(ticker: String, bar: Bar?, side: OrderSide, quantity: Int64, purpose: String, signal: String?,
                         type: OrderType = .market, limit: Price? = nil, stop: Price? = nil) {
        let order = Order(id: ids.nextOrder(), agent: config.id, ticker: ticker, side: side, type: type,
                          quantity: quantity, limitPrice: limit, stopPrice: stop, submittedAt: now, purpose: purpose, signal: signal)
        orders.append(order)
        let index = orders.count - 1
        if type == .market, executor.model.spec.marketTiming == .sameBarClose, let bar {
            let outcome = executor.executeAtDecision(order, decisionBar: bar, context: riskContext(for: bar.ticker))
            if !apply(outcome, to: index, at: bar.end) { return }
        }
        openOrderIndices.append(index)
    }

    /// The tape's orders for this ticker whose time has come: submitted at this bar's close.
    private mutating func submitTapeOrders(_ tape: OrderTapeAgent, bar: Bar) {
        guard let queue = tape.tape.orders[bar.ticker] else { return }
        var next = tapePositions[bar.ticker, default: 0]
        while next < queue.count, queue[next].time <= bar.start {
            let order = queue[next]
            defer { next += 1 }
            if order.side == .buy && entriesBlockedToday {
                events.append(RiskEvent(time: now, kind: "daily_loss_limit", detail: "tape line \(order.line) (buy \(order.quantity) \(order.ticker)) not submitted: no new entries today"))
                continue
            }
            submit(bar: bar, side: order.side, quantity: order.quantity, purpose: "tape_line_\(order.line)", signal: nil,
                   type: order.type, limit: order.limitPrice, stop: order.stopPrice)
        }
        tapePositions[bar.ticker] = next
    }

    /// The account's risk context, with the ticker's correlation group when the scenario defines one.
    func riskContext(for ticker: String) -> RiskContext {
        var context = RiskContext(account: account, ticker: ticker)
        if let (name, members) = executor.risk.groups.first(where: { $0.value.contains(ticker) }) {
            let others = members.filter { $0 != ticker }.compactMap { account.position($0)?.marketValue }.reduce(Fixed.zero, +)
            context.group = (name, others)
        } else if let threshold = executor.risk.minCorrelation, let own = windows[ticker] {
            // The held tickers whose recent returns move with this one form its group.
            let peers = account.sortedPositions.filter { position in
                guard position.ticker != ticker, let other = windows[position.ticker],
                      let rho = Correlation.ofReturns(own, other, minimumShared: executor.risk.correlationMinBars) else { return false }
                return rho >= threshold
            }
            if !peers.isEmpty {
                context.group = ("correlated with \(ticker): \(peers.map(\.ticker).joined(separator: ", "))",
                                 peers.reduce(Fixed.zero) { $0 + $1.marketValue })
            }
        }
        return context
    }

    private mutating func takeSnapshot(date: CivilDate) {
        snapshots.append(account.snapshot(date: date, time: sessionEnd ?? now, previous: snapshots))
    }
}
