import TapebenchCore
import TapebenchLedger

/// One agent's replay: its account, its orders and what came of them.
public struct AgentRun: Sendable {
    public var config: AgentConfig
    public var agent: any Agent
    public var account: Account
    /// Every order, in id order (ids are global to the run, so they are also submission order).
    public var orders: [Order] = []
    /// Indices into `orders` of the orders still open, in id order.
    var openOrderIndices: [Int] = []
    public var trades: [Trade] = []
    public var snapshots: [AccountSnapshot] = []
    public var signalsGenerated = 0
    public var signalsActedOn = 0

    init(config: AgentConfig, agent: any Agent, account: Account) {
        self.config = config
        self.agent = agent
        self.account = account
    }

    func hasOpenOrder(_ ticker: String, side: OrderSide? = nil) -> Bool {
        openOrderIndices.contains { orders[$0].ticker == ticker && (side == nil || orders[$0].side == side) }
    }
}
