import TapebenchCore
import TapebenchLedger

/// The headline figures of one lane (an agent under a fill-model variant), computed once when the lane
/// ends (`LaneOutcome.summary`) and read by every report format, the store and graduation.
public struct AgentSummary: Sendable {
    public var agent: String
    public var kind: String
    public var variant: String
    public var initialBalance: Money
    public var equity: Money
    public var cash: Money
    public var totalPnL: Money
    public var realizedPnL: Money
    public var unrealizedPnL: Money
    public var commissions: Money
    public var slippage: Money
    /// Total P&L over the initial balance.
    public var returnFraction: Double
    public var winRate: Double
    public var sharpe: Double
    public var maxDrawdown: Double
    public var closingTrades: Int
    public var fills: Int
    public var ordersByStatus: [(status: OrderStatus, count: Int)]
    public var signalsGenerated: Int
    public var signalsActedOn: Int
    /// Daily equity, the initial balance first.
    public var equities: [Money]
    public var cagr: Double
    public var volatility: Double
    public var sortino: Double
    public var calmar: Double
    /// Longest stretch of trading days below a previous peak.
    public var maxDrawdownDays: Int
    public var trades: TradeStatistics
    /// Round trips (FIFO, one per closing fill): win rates before and after costs, SQN, durations.
    public var roundTrips: RoundTripStatistics
    /// Share of replayed bars with a position open.
    public var exposure: Double
    /// Traded notional over mean daily equity.
    public var turnover: Double
    /// Fills decided by the assumed intrabar path, and the realized P&L of those that closed shares.
    public var ambiguousFills: Int
    public var ambiguousRealizedPnL: Money
    /// Net P&L per ticker: realized + unrealized − commissions, tickers sorted.
    public var perTicker: [(ticker: String, realized: Money, unrealized: Money, commissions: Money)]
    /// Price P&L (realized and unrealized) per kind of opening signal (`vwap_deviation`, …; `none`), sorted.
    public var perSignal: [(signal: String, closes: Int, pnl: Money)]

    /// The figures of a lane that has ended, from its final account, its daily equities and the running
    /// totals and counts booked as it replayed (no list of orders or trades is needed).
    public init(config: AgentConfig, variant: String, account: Account, dailyEquities: [Money], counts: LaneCounts, totals: LaneTotals) {
        agent = config.id
        kind = config.kind
        self.variant = variant
        initialBalance = account.initialBalance
        equity = account.equity
        cash = account.cash
        totalPnL = account.totalPnL
        realizedPnL = account.realizedPnL
        unrealizedPnL = account.unrealizedPnL
        commissions = account.commissions
        slippage = account.slippage
        returnFraction = Double(account.totalPnL.raw) / Double(account.initialBalance.raw)
        winRate = account.winRate
        let equities = [account.initialBalance] + dailyEquities
        sharpe = Performance.sharpe(dailyReturns: Performance.returns(equities))
        maxDrawdown = Performance.maxDrawdown(equities)
        closingTrades = account.closingTrades
        fills = totals.fills
        ordersByStatus = OrderStatus.allCases.map { ($0, counts.ordersClosed[$0] ?? 0) }
        signalsGenerated = counts.signalsGenerated
        signalsActedOn = counts.signalsActedOn
        self.equities = equities
        let returns = Performance.returns(equities)
        cagr = ReturnStatistics.cagr(equities)
        volatility = ReturnStatistics.annualizedVolatility(returns)
        sortino = ReturnStatistics.sortino(returns)
        calmar = ReturnStatistics.calmar(equities)
        maxDrawdownDays = ReturnStatistics.maxDrawdownDuration(equities)
        trades = totals.trades
        roundTrips = totals.roundTrips
        // Sums over trades come from the lane's totals, booked and checked as the trades happened; each is
        // within Limits.maxAmount, so adding the open positions' unrealized P&L cannot overflow.
        ambiguousFills = totals.ambiguousFills
        ambiguousRealizedPnL = totals.ambiguousRealized
        exposure = counts.barsReplayed == 0 ? 0 : Double(counts.barsExposed) / Double(counts.barsReplayed)
        let meanEquity = equities.dropFirst().isEmpty ? account.initialBalance.doubleValue
            : equities.dropFirst().reduce(0.0) { $0 + $1.doubleValue } / Double(equities.count - 1)
        turnover = meanEquity > 0 ? Double(totals.tradedNotionalWide) / Double(Fixed.scale) / meanEquity : 0
        var bySignal = totals.perSignal.mapValues { (closes: $0.closes, pnl: $0.realized) }
        for position in account.sortedPositions {
            bySignal[LaneTotals.signalKind(position.signal), default: (0, .zero)].pnl += position.unrealizedPnL
        }
        let tickers = Set(totals.perTicker.keys).union(account.positions.keys).sorted()
        perTicker = tickers.map { ticker in
            let t = totals.perTicker[ticker] ?? LaneTotals.TickerTotals()
            return (ticker, t.realized, account.position(ticker)?.unrealizedPnL ?? .zero, t.commissions)
        }
        perSignal = bySignal.keys.sorted().compactMap { kind in bySignal[kind].map { (kind, $0.closes, $0.pnl) } }
    }
}
