import TapebenchCore

/// Replays an order tape: each row is placed at the close of the first bar of its ticker that starts at
/// or after the row's time (an order decided then fills from the next bar on). Its place in each ticker's
/// queue is the agent's state, one per lane.
public struct OrderTapeAgent: Agent {
    public let tape: OrderTape
    /// How far each ticker's queue has been placed.
    private var next: [String: Int] = [:]

    public init(tape: OrderTape) { self.tape = tape }

    public mutating func decide(_ view: AgentView) -> [AgentAction] {
        var actions: [AgentAction] = []
        for bar in view.bars {
            guard let queue = tape.orders[bar.ticker] else { continue }
            var index = next[bar.ticker, default: 0]
            while index < queue.count, queue[index].time <= bar.start {
                actions.append(.order(Self.request(queue[index])))
                index += 1
            }
            next[bar.ticker] = index
        }
        return actions
    }

    /// Rows whose ticker had no bar at or after their time (late on the data's last day), tickers in order.
    public func unplacedOrders() -> [UnplacedOrder] {
        tape.orders.keys.sorted().flatMap { ticker in
            tape.orders[ticker]![next[ticker, default: 0]...].map { row in
                UnplacedOrder(request: Self.request(row), time: row.time, reason: "no \(ticker) bar at or after its time")
            }
        }
    }

    static func request(_ row: TapeOrder) -> OrderRequest {
        OrderRequest(ticker: row.ticker, side: row.side, type: row.type, quantity: row.quantity, limitPrice: row.limitPrice,
                     stopPrice: row.stopPrice, purpose: "tape_line_\(row.line)", label: "tape line \(row.line)")
    }
}

/// `kind: order_tape`, `params: {file: orders.csv}` (relative to the scenario).
public struct OrderTapeKind: AgentKind {
    public let name = "order_tape"

    public init() {}

    public func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        guard params.isGiven else { throw params.error(nil, "an order tape needs params: {file: orders.csv}") }
        let file = PathText.resolve(try params.requiredString("file"), in: params.folder)
        try params.rejectUnknownKeys(known: ["file"])
        return OrderTapeDefinition(file: file)
    }
}

/// An order tape as a scenario names it; the file is read when a run prepares it.
public struct OrderTapeDefinition: AgentDefinition, Hashable {
    /// The tape, resolved against the scenario's folder.
    public var file: String

    public var parameterList: [(name: String, value: String)] { [("file", String(file.split(separator: "/").last ?? ""))] }

    public func prepare(_ context: AgentContext) throws -> PreparedAgent {
        let tape = try OrderTape.load(path: file)
        for ticker in tape.orders.keys.sorted() where context.tickerLines[ticker] == nil {
            throw InputError(file: tape.file, line: tape.orders[ticker]!.first!.line, field: "ticker", message: "'\(ticker)' is not in the scenario's data.tickers")
        }
        return PreparedAgent(makeAgent: { OrderTapeAgent(tape: tape) },
                             checkDataPeriod: { first, last in try tape.checkPeriod(firstBar: first, lastBar: last) })
    }
}
