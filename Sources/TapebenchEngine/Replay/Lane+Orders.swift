import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

extension LaneState {
    /// The lane's open orders in the bar's ticker, tried in the order the intrabar path reaches their
    /// prices (order-id order under the seed rules).
    mutating func processOpenOrders(bar: Bar) {
        if backtesting.broker != nil, usesBacktestingQueue(bar.ticker) { return processBacktestingQueue(bar: bar) }
        // Orders decided at or before the bar's start (an order decided at T fills only from bars starting ≥ T).
        // A plain loop, not `filter`: this runs for every bar while any order is open, most bars meet none of
        // theirs, and a closure over the generic lane costs a metadata look-up per call.
        // The list is the lane's, reused bar after bar (taken out while the lane changes): a new one was a
        // malloc for every bar that met an open order.
        var due: [Int] = []
        swap(&due, &dueOrders)
        defer {
            due.removeAll(keepingCapacity: true)
            swap(&due, &dueOrders)
        }
        // Each order read in place: `openOrders[index].ticker` in a loop condition copied the whole order out
        // (its texts retained and released) for every open order and bar (≈ 1.5 % of a 200-ticker replay).
        openOrders.withUnsafeBufferPointer { orders in
            guard let first = orders.baseAddress else { return }
            for index in orders.indices {
                let order = first + index
                if order.pointee.ticker == bar.ticker && order.pointee.submittedAt <= bar.start { due.append(index) }
            }
        }
        guard !due.isEmpty else { return }
        // A bracket the bar would fill both legs of: the leg the path reaches first goes; the other is cancelled by it.
        let bracket = due.count > 1 ? bracketWinner(bar.ticker, due: due, bar: bar) : nil
        if let bracket { due.removeAll { $0 == bracket.loser } }
        if due.count > 1 {
            let position = Dictionary(uniqueKeysWithValues: due.map { (openOrders[$0].id, $0) })
            due = IntrabarRules.sequence(due.map { openOrders[$0] }, bar: bar, path: executor.model.spec.intrabarPath).map { position[$0.id]! }
        }
        // With several orders the bar could fill, which fills first is the path's assumption.
        let contested = due.count > 1 && due.filter { executor.model.evaluate(openOrders[$0], on: bar).decision != nil }.count > 1
        // The indices of the orders the bar closed, in the lane's reused list (a set was a malloc for every bar
        // that closed an order); few, so searched.
        var closed: [Int] = []
        swap(&closed, &closedOrders)
        defer {
            closed.removeAll(keepingCapacity: true)
            swap(&closed, &closedOrders)
        }
        for index in due where !closed.contains(index) {
            // One copy of the order, tried and then changed (it was copied out once for each).
            var order = openOrders[index]
            var outcome = executor.execute(order, on: bar, context: riskContext(for: bar.ticker))
            if contested || (bracket?.ambiguous == true && bracket?.winner == index), case .filled(var fill) = outcome {
                fill.ambiguous = true
                outcome = .filled(fill)
            }
            order.eligibleBarsSeen += 1
            if !apply(outcome, to: &order, at: bar.end) { closed.append(index) }
            openOrders[index] = order
            if case .filled = outcome, let sibling = bracketLegFilled(order), !closed.contains(sibling) { closed.append(sibling) }
        }
        if !closed.isEmpty {
            // In place, keeping the open ones in id order (a new array was two mallocs per closing bar); the
            // highest index first, so each removal leaves the lower ones where they are. `remove(at:)` moves the
            // later orders down bitwise: swapping each into place copied it twice (its texts retained and
            // released), ≈ 3 % of a 500-ticker replay whose lane keeps a few dozen orders open.
            closed.sort()
            for index in closed.reversed() { openOrders.remove(at: index) }
        }
    }

    /// Books an outcome on an order and tells the recorder; returns whether the order stays open.
    mutating func apply(_ outcome: ExecutionOutcome, to order: inout Order, at time: Timestamp) -> Bool {
        switch outcome {
        case .none:
            return true
        case .triggered:
            order.stopTriggered = true
            record(.orderChanged(order))
            return true
        case .rejected(let rejection):
            order.status = .rejected
            order.closeReason = .risk(rejection)
            order.closedAt = time
            close(order)
            return false
        case .filled(let fill):
            let opening = account.position(fill.ticker)?.signal ?? order.signal
            let realized: Money?
            do {
                realized = try LaneTotals.book(fill, signal: order.signal, openingSignal: opening,
                                               date: currentDate ?? GraduationJudge.dateOf(fill.time), account: &account, totals: &totals)
            } catch {
                return apply(.rejected(.amountOutOfRange(error.description)), to: &order, at: time)
            }
            noteHeld(fill.ticker)
            let trade = Trade(id: ids.nextTrade(), fill: fill, realizedPnL: realized, cashAfter: account.cash,
                              positionAfter: account.position(fill.ticker)?.quantity ?? 0, openingSignal: opening)
            order.filledQuantity += fill.quantity
            if order.type == .stopLimit { order.stopTriggered = true }
            let done = order.remainingQuantity == 0
            if done {
                order.status = .filled
                order.closedAt = time
            } else {
                order.status = .partiallyFilled
            }
            record(.trade(trade, order: order))
            if let trip = roundTrips.book(fill) {
                self.totals.roundTrips.add(trip)
                record(.roundTrip(trip))
            }
            tradesSinceDecision.append(trade)
            if backtesting.broker != nil { backtestingFilled(order, fill) }
            if done { close(order) }
            return !done
        }
    }

    /// Submits an order for `ticker` decided now (the clock's time); `bar` is the ticker's bar of this minute, when it has one
    /// (under look-ahead timing a market order fills at once, at that bar's close). Returns the order's id.
    @discardableResult
    mutating func submit(ticker: String, bar: Bar?, side: OrderSide, quantity: Int64, purpose: String, signal: SignalReason?,
                         type: OrderType = .market, limit: Price? = nil, stop: Price? = nil) -> Int64 {
        var order = Order(id: ids.nextOrder(), agent: config.id, ticker: ticker, side: side, type: type,
                          quantity: quantity, limitPrice: limit, stopPrice: stop, submittedAt: now, purpose: purpose, signal: signal)
        record(.orderSubmitted(order))
        if backtesting.broker != nil { backtestingSubmitted(order) }
        // (Under the backtesting preset it waits in backtesting.py's queue for the next bar: `processBacktestingQueue`.)
        if type == .market, executor.model.spec.marketTiming == .sameBarClose, backtesting.broker == nil, let bar {
            let outcome = executor.executeAtDecision(order, decisionBar: bar, context: riskContext(for: bar.ticker))
            if !apply(outcome, to: &order, at: bar.end) { return order.id }
        }
        openOrders.append(order)
        return order.id
    }

    /// The account's risk context, with the ticker's correlation group when the scenario defines one.
    func riskContext(for ticker: String) -> RiskContext {
        var context = RiskContext(account: account, ticker: ticker)
        // Most scenarios name no groups: no walk of an empty dictionary for every order tried.
        if !executor.risk.groups.isEmpty, let (name, members) = executor.risk.groups.first(where: { $0.value.contains(ticker) }) {
            let others = members.filter { $0 != ticker }.compactMap { account.position($0)?.marketValue }.reduce(Fixed.zero, +)
            context.group = (name, others)
        } else if let threshold = executor.risk.minCorrelation, let own = windows.window(ticker) {
            // The held tickers whose recent returns move with this one form its group.
            let peers = account.sortedPositions.filter { position in
                guard position.ticker != ticker, let other = windows.window(position.ticker),
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
}
