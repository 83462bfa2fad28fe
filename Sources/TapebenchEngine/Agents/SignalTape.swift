import TapebenchCore

/// One recorded signal: `side` in `ticker`, given at `time` (the minute's end at which the agent returned
/// it), read from the bar that ended at `barTime` (its `Signal.time`, from which the orchestrator counts its
/// age; the same as `time` unless the tape says otherwise), for `reason`, with an optional `strength` (0–1).
public struct TapeSignal: Sendable, Hashable {
    public var time: Timestamp
    public var barTime: Timestamp
    public var ticker: String
    public var side: OrderSide
    public var reason: String
    public var strength: Double?
    /// The tape's line, for errors.
    public var line: Int
}

/// A signal tape: a CSV of `time,ticker,side,reason[,strength[,bar_time]]` (times as ISO 8601 with an offset
/// or epoch nanoseconds), replayed through the orchestrator exactly as an agent's signals are: the age limit, the
/// sizing, one open order per ticker, stop-loss and take-profit. Recorded from one agent's run and replayed
/// on the same data and settings, it makes that agent's orders and fills.
public struct SignalTape: Sendable {
    public var file: String
    /// Every signal, in (time, line) order.
    public var signals: [TapeSignal]

    public static let header = ["time", "ticker", "side", "reason"]
    public static let headers = [header, header + ["strength"], header + ["strength", "bar_time"]]

    public static func load(path: String) throws -> SignalTape {
        let (header, rows) = try TapeCSV.read(path: path, headers: headers)
        var signals = try rows.map { fields, number in
            func fail(_ field: String, _ message: String) -> InputError { InputError(file: path, line: number, field: field, message: message) }
            let time = try TapeCSV.time(fields[0], fail: fail)
            guard !fields[1].isEmpty else { throw fail("ticker", "empty") }
            guard let side = OrderSide(rawValue: fields[2]) else { throw fail("side", "expected buy or sell, got \(InputError.quote(fields[2]))") }
            guard !fields[3].isEmpty else { throw fail("reason", "empty: say why the signal was given (vwap_deviation=-52bp)") }
            var strength: Double?
            if header.count > 4 && !fields[4].isEmpty {
                guard let value = Double(fields[4]), value >= 0, value <= 1 else {
                    throw fail("strength", "expected a number from 0 to 1, got \(InputError.quote(fields[4]))")
                }
                strength = value
            }
            var barTime = time
            if header.count > 5 && !fields[5].isEmpty {
                barTime = try TapeCSV.time(fields[5]) { _, message in fail("bar_time", message) }
                guard barTime <= time else { throw fail("bar_time", "\(barTime.iso8601) is after the signal's time \(time.iso8601): a signal is read from a bar that has ended") }
            }
            return TapeSignal(time: time, barTime: barTime, ticker: fields[1], side: side, reason: fields[3], strength: strength, line: number)
        }
        signals.sort { ($0.time, $0.line) < ($1.time, $1.line) }
        return SignalTape(file: path, signals: signals)
    }

    /// Every row must fall inside the data's trading dates (America/New_York), as an order tape's.
    public func checkPeriod(firstBar: Timestamp, lastBar: Timestamp) throws {
        try TapeCSV.checkPeriod(file: file, rows: signals.lazy.map { ($0.time, $0.line) }, firstBar: firstBar, lastBar: lastBar, what: "signals")
    }
}

/// Replays a signal tape: at each minute, every signal whose time has come (time ≤ the minute's end) is
/// given, in tape order, with its bar time, so the orchestrator judges its age and picks each ticker's
/// newest fresh signal of the minute as it did the agent's. Its price is the ticker's latest close.
public struct SignalTapeAgent: Agent {
    public let tape: SignalTape
    public let agentID: String
    private var next = 0

    public init(tape: SignalTape, agentID: String) {
        self.tape = tape
        self.agentID = agentID
    }

    public mutating func decide(_ view: AgentView) -> [AgentAction] {
        var actions: [AgentAction] = []
        while next < tape.signals.count, tape.signals[next].time <= view.time {
            let row = tape.signals[next]
            let price = view.window(row.ticker)?.last?.close ?? .zero
            actions.append(.signal(Signal(agent: agentID, ticker: row.ticker, side: row.side, time: row.barTime, price: price,
                                          reason: .text(row.reason), strength: row.strength)))
            next += 1
        }
        return actions
    }
}

/// `kind: signal_tape`, `params: {file: signals.csv}` (relative to the scenario).
public struct SignalTapeKind: AgentKind {
    public let name = "signal_tape"

    public init() {}

    public func configure(_ params: inout AgentParameters) throws -> any AgentDefinition {
        guard params.isGiven else { throw params.error(nil, "a signal tape needs params: {file: signals.csv}") }
        let file = PathText.resolve(try params.requiredString("file"), in: params.folder)
        try params.rejectUnknownKeys(known: ["file"])
        return SignalTapeDefinition(file: file)
    }
}

/// A signal tape as a scenario names it; the file is read when a run prepares it.
public struct SignalTapeDefinition: AgentDefinition, Hashable {
    public var file: String

    public var parameterList: [(name: String, value: String)] { [("file", String(file.split(separator: "/").last ?? ""))] }

    public func prepare(_ context: AgentContext) throws -> PreparedAgent {
        let tape = try SignalTape.load(path: file)
        if let row = tape.signals.sorted(by: { $0.line < $1.line }).first(where: { context.tickerLines[$0.ticker] == nil }) {
            throw InputError(file: tape.file, line: row.line, field: "ticker", message: "'\(row.ticker)' is not in the scenario's data.tickers")
        }
        var prepared = PreparedAgent(makeLaneAgent: { lane in SignalTapeAgent(tape: tape, agentID: lane.agentID) },
                                     checkDataPeriod: { first, last in try tape.checkPeriod(firstBar: first, lastBar: last) })
        prepared.windowBarsRead = 1  // a signal's price: the window's last close
        return prepared
    }
}
