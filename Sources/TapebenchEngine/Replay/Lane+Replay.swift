import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

extension LaneState {
    /// One step of the replay through this lane (the steps of `Orchestrator`): every bar of the minute is
    /// applied (its ticker's window, its open orders, the position's mark, in ticker order), then the
    /// breakers judge the fully marked book once, then the orchestrator's exits and the agent decide.
    mutating func step(_ minute: Minute, settings: OrchestratorSettings, calendar: ExchangeCalendar) {
        guard !halted, let firstStart = minute.firstStart else { return }
        stepBars.forget()
        // The local date from the lane's span of the day (a compare per step, not the calendar's conversion).
        if days.calendar != calendar { days = SessionCache(calendar: calendar) }
        let date = days.local(firstStart).date
        if date != currentDate {
            if let currentDate { endSession(date: currentDate) }
            currentDate = date
            sessionEnd = calendar.regularSession(on: date)?.close
            dayStartEquity = account.equity
            entriesBlockedToday = false
        }
        // Only with an order open: the call alone, made every step, was ≈ 1 % of a one-ticker order tape.
        if !openOrders.isEmpty { applyMissingMinutes(minute, policy: settings.missingMinutes, calendar: calendar) }
        if !openOrders.isEmpty { markOrderTickers() }
        // Each bar read in place through its address: a `for bar in` copied every `Bar`, and so did passing
        // `bars[index]` to this mutating method (the lane might change the memory it borrowed from), each copy
        // retaining and releasing its ticker's text (≈ 3 % of a 200-ticker replay).
        let halted = minute.bars.withUnsafeBufferPointer { bars in
            for index in bars.indices where !apply(bars.baseAddress! + index, windowBars: settings.windowBars) { return true }
            return false
        }
        if halted { return }
        checkBreakers()
        // Paused or closed: no new orders; positions stay marked. (Not asked again: its fills are not kept.)
        if account.status == .active { decide(minute, settings: settings) } else { tradesSinceDecision.removeAll(keepingCapacity: true) }
        record(.mark(EquityMark(time: now, account: account)))
    }

    /// One bar of the minute (read where it lies, in the step's bars): its ticker's window, its open orders, the
    /// position's mark and round trip. False when the mark halted the lane. The bar is copied only for the
    /// passes most bars skip (an open order in its ticker, a position).
    @inline(__always)
    private mutating func apply(_ bar: UnsafePointer<Bar>, windowBars: Int) -> Bool {
        windows.append(bar, capacity: windowBars)
        let id = bar.pointee.tickerID
        // Most bars meet no open order and no position: skip the look-ups by ticker then. (The backtesting
        // preset's queue holds orders of its own: every bar goes through it.)
        if !openOrders.isEmpty {
            if backtesting.broker != nil || mayMeetOpenOrder(id) {
                processOpenOrders(bar: bar.pointee)
            } else {
                // Debug builds (the tests) check the skip against the list itself.
                assert(!hasOpenOrder(bar.pointee.ticker), "a bar skipped its open-order pass with an open order in \(bar.pointee.ticker)")
            }
        }
        // A held bar read in place too (marked and seen by the round-trip book: a copy for each was ≈ 1 % of a
        // one-ticker order tape, whose bars are held most of the time).
        if holds(id) {
            do {
                try markHeld(bar)
            } catch {
                halt = ReplayHalt(ticker: bar.pointee.ticker, barStart: bar.pointee.start, agent: config.id, variant: variant, reason: error.description)
                return false
            }
            seeRoundTrip(bar)
        }
        counts.barsReplayed += 1
        // Exposure: a position open once the bar's fills are booked.
        if !account.positions.isEmpty { counts.barsExposed += 1 }
        return true
    }

    /// The daily loss limit and the drawdown circuit breaker: decided by `Breakers` from the account's facts,
    /// applied here.
    private mutating func checkBreakers() {
        if peakEquity.raw == 0 { peakEquity = account.initialBalance }
        let equity = account.equity
        peakEquity = max(peakEquity, equity)
        // Most steps trip nothing: asked from the facts the breakers read, without building all of them and a list.
        guard Breakers.anyTrips(equity: equity, dayStartEquity: dayStartEquity, peakEquity: peakEquity, status: account.status,
                                entriesBlockedToday: entriesBlockedToday, limits: executor.risk) else { return }
        for decision in Breakers.decisions(facts, limits: executor.risk) {
            record(.riskEvent(RiskEvent(time: now, kind: decision.kind, detail: decision.detail)))
            switch decision {
            case .blockEntriesToday:
                entriesBlockedToday = true
            case .pauseAccount:
                account.status = .paused
            case .closeAccount:
                for position in account.sortedPositions {
                    // A long is sold, a short bought back.
                    let side: OrderSide = position.quantity > 0 ? .sell : .buy
                    cancelBracket(position.ticker, reason: .liquidation)
                    guard !hasOpenOrder(position.ticker, side: side) else { continue }
                    submit(ticker: position.ticker, bar: nil, side: side, quantity: Int64(position.quantity.magnitude), purpose: "liquidation", signal: nil)
                }
                account.status = .closed
            }
        }
    }

    /// The account's facts now, for the breakers and the agent.
    var facts: AccountFacts {
        AccountFacts(initialBalance: account.initialBalance, cash: account.cash, equity: account.equity, buyingPower: account.buyingPower,
                     dayStartEquity: dayStartEquity, peakEquity: peakEquity, status: account.status, entriesBlockedToday: entriesBlockedToday)
    }

    /// The end of the replay: a last snapshot, and orders still open cancelled.
    mutating func finish() {
        if let currentDate { takeSnapshot(date: currentDate) }
        for var order in openOrders {
            order.status = .cancelled
            order.closeReason = .endOfReplay
            order.closedAt = now
            close(order)
        }
        openOrders.removeAll()
        // What the agent meant to place and never could (an order tape's rows after their ticker's last bar).
        for unplaced in agent.unplacedOrders() {
            let request = unplaced.request
            var order = Order(id: ids.nextOrder(), agent: config.id, ticker: request.ticker, side: request.side, type: request.type,
                              quantity: request.quantity, limitPrice: request.limitPrice, stopPrice: request.stopPrice,
                              submittedAt: unplaced.time, purpose: request.purpose, signal: nil)
            order.status = .cancelled
            order.closeReason = .neverSubmitted(unplaced.reason)
            order.closedAt = now
            close(order)
        }
        guard !halted else { return }
        do {
            try agent.finish()
        } catch {
            halt = ReplayHalt(ticker: "", barStart: now, agent: config.id, variant: variant, reason: error.message, cause: .agentFailed)
        }
    }

    /// Records an order's final status.
    mutating func close(_ order: Order) {
        counts.ordersClosed[order.status, default: 0] += 1
        if backtesting.broker != nil { backtestingClosed(order) }
        record(.orderClosed(order))
    }

    private mutating func endSession(date: CivilDate) {
        takeSnapshot(date: date)
        guard executor.model.spec.participation?.cancelAtSessionEnd == true else { return }
        var kept: [Order] = []
        for var order in openOrders {
            guard order.filledQuantity > 0 else { kept.append(order); continue }
            order.status = .cancelled
            order.closeReason = .sessionEnd
            order.closedAt = sessionEnd ?? now
            close(order)
        }
        openOrders = kept
    }

    private mutating func takeSnapshot(date: CivilDate) {
        let snapshot = account.snapshot(date: date, time: sessionEnd ?? now, series: &snapshotSeries)
        dailyEquities.append(snapshot.equity)
        dailyDates.append(date)
        record(.snapshot(snapshot))
    }
}
