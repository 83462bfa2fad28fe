import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// The reference orchestrator, per incoming bar of a ticker and per agent (in agent-id order):
/// 1. keep the last `windowBars` bars of the ticker;
/// 2. process the agent's open orders in that ticker against the bar (orders decided at or before
///    the bar's start; in order-id order);
/// 3. mark the position at the bar's close;
/// 4. close positions at −stop-loss / +take-profit from the average entry, with a market order;
/// 5. on every `scanEveryBars`-th bar of the ticker run the agent's scan, keep signals at most
///    `signalMaxAgeMinutes` old, and act on the newest: a buy opens a position of
///    `positionSizeBasisPoints` of equity with a market order, a sell closes a held position.
/// Only bars inside the regular session (NYSE calendar) are replayed; the rest are counted.
/// Daily snapshots are taken when the first bar of a new trading day arrives, and at the end.
public struct Orchestrator {
    public let settings: OrchestratorSettings
    public let executor: VirtualExecutor
    public let calendar: ExchangeCalendar
    public private(set) var runs: [AgentRun]
    public private(set) var clock = SimulatedClock()
    public private(set) var statistics = ReplayStatistics()
    private var windows: [String: BarWindow] = [:]
    private var barCounts: [String: Int] = [:]
    private var ids = IDSequence()
    private var currentDate: CivilDate?
    private var sessionEnd: Timestamp?

    public init(settings: OrchestratorSettings, executor: VirtualExecutor, calendar: ExchangeCalendar = .nyse,
                agents: [(config: AgentConfig, agent: any Agent)], initialBalance: Money) {
        self.settings = settings
        self.executor = executor
        self.calendar = calendar
        self.runs = agents.sorted { $0.config.id < $1.config.id }.enumerated().map { index, entry in
            AgentRun(config: entry.config, agent: entry.agent,
                     account: Account(id: Int64(index + 1), agent: entry.config.id, initialBalance: initialBalance))
        }
    }

    public mutating func process(_ bar: Bar) {
        statistics.record(bar)
        guard calendar.isRegularHours(bar.start) else {
            statistics.barsOutsideRegularHours += 1
            return
        }
        let date = EasternTime.local(bar.start).date
        if date != currentDate {
            if let currentDate { takeSnapshots(date: currentDate) }
            currentDate = date
            sessionEnd = calendar.regularSession(on: date)?.close
            statistics.tradingDays += 1
        }
        clock.advance(to: bar.end)
        statistics.barsReplayed += 1
        var window = windows.removeValue(forKey: bar.ticker) ?? BarWindow(capacity: settings.windowBars)
        window.append(bar)
        let count = barCounts[bar.ticker, default: 0] + 1
        barCounts[bar.ticker] = count
        let scanDue = count % settings.scanEveryBars == 0
        let now = clock.now
        for index in runs.indices {
            Self.processOpenOrders(&runs[index], bar: bar, executor: executor, ids: &ids)
            runs[index].account.mark(bar.ticker, at: bar.close)
            Self.monitorExits(&runs[index], bar: bar, settings: settings, now: now, ids: &ids)
            if scanDue { Self.scan(&runs[index], bar: bar, window: window, settings: settings, now: now, ids: &ids) }
        }
        windows[bar.ticker] = window
    }

    /// Ends the replay: a last snapshot, and orders still open cancelled.
    public mutating func finish() {
        if let currentDate { takeSnapshots(date: currentDate) }
        for index in runs.indices {
            for orderIndex in runs[index].openOrderIndices {
                runs[index].orders[orderIndex].status = .cancelled
                runs[index].orders[orderIndex].rejectReason = "end_of_replay: still open when the data ended"
                runs[index].orders[orderIndex].closedAt = clock.now
            }
            runs[index].openOrderIndices.removeAll()
        }
    }

    // MARK: - Steps

    private static func processOpenOrders(_ run: inout AgentRun, bar: Bar, executor: VirtualExecutor, ids: inout IDSequence) {
        var stillOpen: [Int] = []
        for orderIndex in run.openOrderIndices {
            let order = run.orders[orderIndex]
            guard order.ticker == bar.ticker, order.submittedAt <= bar.start else {
                stillOpen.append(orderIndex)
                continue
            }
            switch executor.execute(order, on: bar, context: run.account.riskContext(for: bar.ticker)) {
            case .none:
                stillOpen.append(orderIndex)
            case .triggered:
                run.orders[orderIndex].stopTriggered = true
                stillOpen.append(orderIndex)
            case .rejected(let rejection):
                run.orders[orderIndex].status = .rejected
                run.orders[orderIndex].rejectReason = rejection.description
                run.orders[orderIndex].closedAt = bar.end
            case .filled(let fill):
                let realized = run.account.apply(fill, signal: order.signal)
                run.trades.append(Trade(
                    id: ids.nextTrade(), fill: fill, realizedPnL: realized, cashAfter: run.account.cash,
                    positionAfter: run.account.position(fill.ticker)?.quantity ?? 0))
                run.orders[orderIndex].filledQuantity += fill.quantity
                run.orders[orderIndex].status = run.orders[orderIndex].remainingQuantity == 0 ? .filled : .partiallyFilled
                run.orders[orderIndex].stopTriggered = order.stopTriggered || order.type == .stopLimit
                if run.orders[orderIndex].status == .filled {
                    run.orders[orderIndex].closedAt = bar.end
                } else {
                    stillOpen.append(orderIndex)
                }
            }
        }
        run.openOrderIndices = stillOpen
    }

    private static func monitorExits(_ run: inout AgentRun, bar: Bar, settings: OrchestratorSettings, now: Timestamp, ids: inout IDSequence) {
        guard let position = run.account.position(bar.ticker), !run.hasOpenOrder(bar.ticker, side: .sell) else { return }
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
        submit(&run, ticker: bar.ticker, side: .sell, quantity: position.quantity, purpose: purpose, signal: nil, now: now, ids: &ids)
    }

    private static func scan(_ run: inout AgentRun, bar: Bar, window: BarWindow, settings: OrchestratorSettings, now: Timestamp, ids: inout IDSequence) {
        let held = run.account.position(bar.ticker)?.quantity ?? 0
        let signals = run.agent.scan(ticker: bar.ticker, window: window, recent: settings.scanEveryBars, held: held)
        run.signalsGenerated += signals.count
        let oldest = now.adding(minutes: -settings.signalMaxAgeMinutes)
        guard let signal = signals.last(where: { $0.time >= oldest }), run.account.status == .active,
              !run.hasOpenOrder(bar.ticker)
        else { return }
        switch signal.side {
        case .buy:
            guard run.account.position(bar.ticker) == nil else { return }
            let budget = run.account.equity.scaled(by: settings.positionSizeBasisPoints, over: 10_000)
            let quantity = budget.wholeUnits(dividedBy: bar.close)
            guard quantity > 0 else { return }
            run.signalsActedOn += 1
            submit(&run, ticker: bar.ticker, side: .buy, quantity: quantity, purpose: "signal_entry", signal: signal.reason, now: now, ids: &ids)
        case .sell:
            guard let position = run.account.position(bar.ticker) else { return }
            run.signalsActedOn += 1
            submit(&run, ticker: bar.ticker, side: .sell, quantity: position.quantity, purpose: "signal_exit", signal: signal.reason, now: now, ids: &ids)
        }
    }

    private static func submit(_ run: inout AgentRun, ticker: String, side: OrderSide, quantity: Int64, purpose: String,
                               signal: String?, now: Timestamp, ids: inout IDSequence) {
        let order = Order(id: ids.nextOrder(), agent: run.config.id, ticker: ticker, side: side, type: .market,
                          quantity: quantity, submittedAt: now, purpose: purpose, signal: signal)
        run.orders.append(order)
        run.openOrderIndices.append(run.orders.count - 1)
    }

    private mutating func takeSnapshots(date: CivilDate) {
        let time = sessionEnd ?? clock.now
        for index in runs.indices {
            let snapshot = runs[index].account.snapshot(date: date, time: time, previous: runs[index].snapshots)
            runs[index].snapshots.append(snapshot)
        }
    }
}

/// Run-wide id counters: orders and trades are numbered in the order they happen, across agents.
struct IDSequence {
    private var order: Int64 = 0
    private var trade: Int64 = 0

    mutating func nextOrder() -> Int64 { order += 1; return order }
    mutating func nextTrade() -> Int64 { trade += 1; return trade }
}
