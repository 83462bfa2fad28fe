import TapebenchCore

/// Replays an order tape: each row is placed at the close of the first bar of its ticker that starts at
/// or after the row's time (an order decided then fills from the next bar on). Its place in each ticker's
/// queue is the agent's state, one per lane.
public struct OrderTapeAgent: Agent {
    public let tape: OrderTape
    /// Each ticker's rows and how far they have been placed, in ticker order.
    private var queues: [(ticker: String, rows: [TapeOrder], next: Int)]
    /// The queue of each ticker id the bars carried (the replay's table), and the ticker it was found for:
    /// a bar costs an array index and a compare of names, not hashing its ticker into the tape's dictionary
    /// (perf: ≈ 3 % of a one-ticker tape). By id: the ticker's text ("" where the id was not seen yet) and
    /// its queue's index (-1: the tape has no row of that ticker; -2: not seen yet).
    private var idTickers: [String] = []
    private var idQueues: [Int] = []
    /// The time of each queue's next row, nil once all are placed: what `mayAct` compares a bar's start with.
    private var nextDue: [Timestamp?]
    /// The last minute's actions, kept for their storage (as `ScanningAgent` does): emptied in place once the
    /// lane has let go of them, instead of a new array, and one more per row, for each minute placing rows.
    private var actions: [AgentAction] = []

    public init(tape: OrderTape) {
        self.tape = tape
        queues = tape.orders.keys.sorted().map { ($0, tape.orders[$0]!, 0) }
        nextDue = queues.map { $0.rows.first?.time }
    }

    public mutating func decide(_ view: AgentView) -> [AgentAction] {
        var actions: [AgentAction] = []
        swap(&actions, &self.actions)
        // Most minutes leave it empty: emptying an empty array still went through the generic replaceSubrange.
        if !actions.isEmpty { actions.removeAll(keepingCapacity: true) }
        defer { self.actions = actions }
        // Each bar read in place through its address (a `for bar in` copied every `Bar`, its ticker's text
        // retained and released).
        view.bars.withUnsafeBufferPointer { bars in
            guard let first = bars.baseAddress else { return }
            for offset in bars.indices {
                let bar = first + offset
                let queue = queue(of: bar)
                guard queue >= 0 else { continue }
                var index = queues[queue].next
                let rows = queues[queue].rows
                let start = bar.pointee.start
                while index < rows.count, rows[index].time <= start {
                    Self.append(rows[index], view: view, to: &actions)
                    index += 1
                }
                queues[queue].next = index
                nextDue[queue] = index < rows.count ? rows[index].time : nil
            }
        }
        return actions
    }

    /// Whether a row of some bar's ticker is due (its time at or before the bar's start): otherwise `decide`
    /// would place nothing and move no queue, and the lane skips it and the view it builds (building and
    /// dropping the view was ≈ 3 % of a one-ticker tape, whose minutes mostly place nothing). Not mutating:
    /// the lane holds its agent as `any Agent`, and a mutating call checked the boxed agent for a unique owner
    /// every minute (≈ 1 % of that tape); a bar whose id `decide` has not met yet is looked up by its text.
    public func mayAct(on bars: [Bar]) -> Bool {
        // In place, as in `decide` (a copy of every bar of every minute, most of which place nothing).
        bars.withUnsafeBufferPointer { bars in
            guard let first = bars.baseAddress else { return false }
            for offset in bars.indices {
                let bar = first + offset
                let queue = knownQueue(of: bar) ?? lookUpQueue(of: bar.pointee.ticker)
                guard queue >= 0, let due = nextDue[queue], due <= bar.pointee.start else { continue }
                return true
            }
            return false
        }
    }

    /// The index in `queues` of the ticker of the bar at `bar` (read in place), -1 when the tape has none: by
    /// the bar's ticker id once seen, which is then kept.
    @inline(__always)
    private mutating func queue(of bar: UnsafePointer<Bar>) -> Int {
        if let known = knownQueue(of: bar) { return known }
        let queue = lookUpQueue(of: bar.pointee.ticker)
        // Ids are small (a table's size); a bar made by hand (no id) or a stray large one is looked up each time.
        let id = bar.pointee.tickerID
        if id.isAssigned, id.index < 1 << 20 {
            if id.index >= idQueues.count {
                idQueues.append(contentsOf: repeatElement(-2, count: id.index + 1 - idQueues.count))
                idTickers.append(contentsOf: repeatElement("", count: id.index + 1 - idTickers.count))
            }
            idQueues[id.index] = queue
            idTickers[id.index] = bar.pointee.ticker
        }
        return queue
    }

    /// The queue kept for the bar's ticker id when it was seen for the same ticker; nil when not seen yet.
    @inline(__always)
    private func knownQueue(of bar: UnsafePointer<Bar>) -> Int? {
        let id = bar.pointee.tickerID
        guard id.isAssigned, id.index < idQueues.count else { return nil }
        let queue = idQueues[id.index]
        // The texts compared in place (a copy of the text out was retained and released).
        guard queue >= -1, idTickers.withUnsafeBufferPointer({ $0[id.index] == bar.pointee.ticker }) else { return nil }
        return queue
    }

    /// The index in `queues` of `ticker`, -1 when the tape has none: a walk comparing texts.
    private func lookUpQueue(of ticker: String) -> Int { queues.firstIndex { $0.ticker == ticker } ?? -1 }

    /// A row's actions, to the end of `actions`. A cancel or replace whose order is no longer open (filled,
    /// rejected, cancelled) is still sent as a cancel, which the lane reports as a risk event
    /// `cancel_not_open`; a replace places its replacement only while the order is open, for its new total
    /// less what has filled.
    static func append(_ row: TapeOrder, view: AgentView, to actions: inout [AgentAction]) {
        switch row.action {
        case .new:
            actions.append(.order(request(row)))
        case .cancel:
            actions.append(.cancel(clientID: row.clientID!))
        case .replace:
            let clientID = row.clientID!
            actions.append(.cancel(clientID: clientID))
            guard let open = view.openOrders.first(where: { view.clientID(ofOrder: $0.id) == clientID }) else { return }
            var replacement = row
            replacement.quantity = row.quantity - open.filledQuantity
            // A new total at or under what has filled: the order is done; only the cancel remains.
            guard replacement.quantity > 0 else { return }
            actions.append(.order(request(replacement)))
        }
    }

    /// Rows whose ticker had no bar at or after their time (late on the data's last day), tickers in order.
    /// Only new orders: a cancel or replace never acted on leaves its order to be cancelled at the end.
    public func unplacedOrders() -> [UnplacedOrder] {
        queues.flatMap { queue in
            queue.rows[queue.next...].filter { $0.action == .new }.map { row in
                UnplacedOrder(request: Self.request(row), time: row.time, reason: "no \(queue.ticker) bar at or after its time")
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
        // The tape reads no window (the lane reads the last bar or two: `TickerWindows.barsKept`).
        prepared.windowBarsRead = 1
        return prepared
    }
}
