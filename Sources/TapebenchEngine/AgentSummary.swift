import TapebenchCore
import TapebenchLedger

/// The headline figures of one agent's run, computed once for every report format.
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

    public init(_ run: AgentRun) {
        let account = run.account
        agent = run.config.id
        kind = run.config.kind.rawValue
        variant = run.variant
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
        let equities = [account.initialBalance] + run.snapshots.map(\.equity)
        sharpe = Performance.sharpe(dailyReturns: Performance.returns(equities))
        maxDrawdown = Performance.maxDrawdown(equities)
        closingTrades = account.closingTrades
        fills = run.trades.count
        ordersByStatus = OrderStatus.allCases.map { status in (status, run.orders.filter { $0.status == status }.count) }
        signalsGenerated = run.signalsGenerated
        signalsActedOn = run.signalsActedOn
    }
}

extension RunResult {
    public var summaries: [AgentSummary] { runs.map(AgentSummary.init) }
}
