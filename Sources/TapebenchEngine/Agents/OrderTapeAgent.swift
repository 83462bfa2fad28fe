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
                actions += Self.actions(queue[index], view: view)
                index += 1
            }
            next[bar.ticker] = index
        }
        return actions
    }

    /// A row's actions. A cancel or replace whose order is no longer open (filled, rejected, cancelled) is
    /// still sent as a cancel, which the lane reports as a risk event `cancel_not_open`; a replace places
    /// its replacement only while the order is open, for its new total less what has filled.
    static func actions(_ row: TapeOrder, view: AgentView) -> [AgentAction] {
        switch row.action {
        case .new:
            return [.order(request(row))]
        case .cancel:
            return [.cancel(clientID: row.clientID!)]
        case .replace:
            let clientID = row.clientID!
            guard let open = view.openOrders.first(where: { view.clientID(ofOrder: $0.id) == clientID }) else { return [.cancel(clientID: clientID)] }
            var replacement = row
            replacement.quantity = row.quantity - open.filledQuantity
            // A new total at or under what has filled: the order is done; only the cancel remains.
            guard replacement.quantity > 0 else { return [.cancel(clientID: clientID)] }
            return [.cancel(clientID: clientID), .order(request(replacement))]
        }
    }

    /// Rows whose ticker had no bar at or after their time (late on the data's last day), tickers in order.
    /// Only new orders: a cancel or replace never acted on leaves its order to be cancelled at the end.
    public func unplacedOrders() -> [UnplacedOrder] {
        tape.orders.keys.sorted().flatMap { ticker in
            tape.orders[ticker]![next[ticker, default: 0]...].filter { $0.action == .new }.map { row in
                UnplacedOrder(request: Self.request(row), time: row.time, reason: "no \(ticker) bar at or after its time")
            }
        }
    }

    static func request(_ row: TapeOrder) -> OrderRequest {
        var request = OrderRequest(ticker: row.ticker, side: row.side, type: row.type, quantity: row.quantity, limitPrice: row.limitPrice,
                                   stopPrice: row.stopPrice, clientID: row.clientID, purpose: "tape_line_\(row.line)", label: "tape line \(row.line)")
        request.stopLoss = row.stopLoss
        request.takeProfit = row.takeProfit
        return request
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
        var prepared = PreparedAgent(makeAgent: { OrderTapeAgent(tape: tape) },
                                     checkDataPeriod: { first, last in try tape.checkPeriod(firstBar: first, lastBar: last) })
        prepared.contingentRow = tape.firstContingentRow
        return prepared
    }
}
