import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

extension Lane {
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
        counts.barsReplayed += 1
        if !account.positions.isEmpty { counts.barsExposed += 1 }
    }

    /// The daily loss limit and the drawdown circuit breaker: decided by `Breakers` from the account's facts,
    /// applied here.
    private mutating func checkBreakers(bar: Bar) {
        if peakEquity.raw == 0 { peakEquity = account.initialBalance }
        peakEquity = max(peakEquity, account.equity)
        for decision in Breakers.decisions(facts, limits: executor.risk) {
            recorder.record(.riskEvent(RiskEvent(time: now, kind: decision.kind, detail: decision.detail)))
            switch decision {
            case .blockEntriesToday:
                entriesBlockedToday = true
            case .pauseAccount:
                account.status = .paused
            case .closeAccount:
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

    /// The account's facts now, for the breakers and the agent.
    var facts: AccountFacts {
        AccountFacts(initialBalance: account.initialBalance, cash: account.cash, equity: account.equity, buyingPower: account.buyingPower,
                     dayStartEquity: dayStartEquity, peakEquity: peakEquity, status: account.status, entriesBlockedToday: entriesBlockedToday)
    }

    /// The end of the replay: a last snapshot, and orders still open cancelled.
    mutating func finish(calendar: ExchangeCalendar) {
        if let currentDate { takeSnapshot(date: currentDate) }
        for var order in openOrders {
            order.status = .cancelled
            order.rejectReason = "end_of_replay: still open when the data ended"
            order.closedAt = now
            close(order)
        }
        openOrders.removeAll()
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
                close(order)
            }
        }
    }

    /// Records an order's final status.
    mutating func close(_ order: Order) {
        counts.ordersClosed[order.status, default: 0] += 1
        recorder.record(.orderClosed(order))
    }

    private mutating func endSession(date: CivilDate) {
        takeSnapshot(date: date)
        guard executor.model.spec.participation?.cancelAtSessionEnd == true else { return }
        var kept: [Order] = []
        for var order in openOrders {
            guard order.filledQuantity > 0 else { kept.append(order); continue }
            order.status = .cancelled
            order.rejectReason = "session_end: the rest of a partly filled order is cancelled at the close"
            order.closedAt = sessionEnd ?? now
            close(order)
        }
        openOrders = kept
    }

    private mutating func takeSnapshot(date: CivilDate) {
        let snapshot = account.snapshot(date: date, time: sessionEnd ?? now, previousEquities: dailyEquities)
        dailyEquities.append(snapshot.equity)
        recorder.record(.snapshot(snapshot))
    }
}
