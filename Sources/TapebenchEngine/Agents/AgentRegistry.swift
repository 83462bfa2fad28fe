import TapebenchCore
import TapebenchData

/// One kind of agent, named by a scenario's `kind:`. The built-in kinds are in `AgentRegistry.builtIn`;
/// a package using the library registers its own next to them.
public protocol AgentKind: Sendable {
    /// The name a scenario uses, e.g. `vwap_mean_reversion`.
    var name: String { get }
    /// Reads and checks the agent's `params:` (`params.isGiven` is false without them); a problem is an
    /// `InputError` naming file, line and field (`params.error(key, message)`). Keys not read are errors.
    func configure(_ params: inout AgentParameters) throws -> any AgentDefinition
    /// Keys of the agent's own mapping, beside `id`, `kind` and `params`, that this kind reads
    /// (`agentStrings`, `agentInteger`); others are errors. None by default.
    var agentKeys: [String] { get }
    /// The numeric parameters of `params:` a sweep may vary (`--param agent.<id>.<name>=…`). None by default.
    var parameters: [AgentParameterDeclaration] { get }
}

extension AgentKind {
    public var agentKeys: [String] { [] }
    public var parameters: [AgentParameterDeclaration] { [] }
}

extension AgentDefinition {
    public var parameters: [ParameterEntry] { parameterList.map { ParameterEntry($0.name, .text($0.value)) } }
}

/// An agent as a scenario configured it: its parameters, checked. Pure; what it needs beyond the scenario
/// file (an order tape's CSV) is read by `prepare`, once per run.
public protocol AgentDefinition: Sendable {
    /// The parameters by name, in a fixed order, for the reports.
    var parameterList: [(name: String, value: String)] { get }
    /// The same, typed (report.json writes numbers as numbers). Default: each of `parameterList` as text.
    var parameters: [ParameterEntry] { get }
    /// Before the replay, once per run: reads what the agent needs and checks it against the scenario.
    func prepare(_ context: AgentContext) throws -> PreparedAgent
}

/// What a run knows when it prepares an agent.
public struct AgentContext: Sendable {
    public var agentID: String
    /// The scenario's tickers, with their lines in the scenario file.
    public var tickers: [String]
    public var tickerLines: [String: Int]
    public var settings: OrchestratorSettings
    /// The scenario's session: where an agent's "today" starts (`ExchangeCalendar.day(of:)`).
    public var calendar: ExchangeCalendar

    public init(agentID: String, tickers: [String], tickerLines: [String: Int], settings: OrchestratorSettings, calendar: ExchangeCalendar = .nyse) {
        self.calendar = calendar
        self.agentID = agentID
        self.tickers = tickers
        self.tickerLines = tickerLines
        self.settings = settings
    }
}

/// An agent ready for a run: makes a fresh agent for each lane, and checks the replayed data's period at
/// the end (an order tape's rows must fall inside it).
public struct PreparedAgent: Sendable {
    /// Makes the agent of one lane, told which lane.
    public var makeLaneAgent: @Sendable (LaneInfo) -> any Agent
    /// Given the first and the last bar start of the data replayed; throws an `InputError`.
    public var checkDataPeriod: @Sendable (_ firstBar: Timestamp, _ lastBar: Timestamp) throws -> Void
    /// The first place the agent asks for contingent stop-loss / take-profit orders (an order tape's row with
    /// `sl` or `tp`), which only the `backtesting` preset places: a scenario with another preset is refused.
    public var contingentRow: (file: String, line: Int, field: String)?
    /// The most bars of a ticker's window, counting the newest, that the agent reads when it decides: a lane
    /// keeps only that many (the memory of a window is per ticker and per lane), unless its own rules read
    /// more (`TickerWindows.barsKept`). Nil: it may read all `window_bars` (a process agent, an agent of
    /// another package). An agent must read the same from a window that keeps this many as from a longer one.
    public var windowBarsRead: Int?

    /// An agent that is the same in every lane.
    public init(makeAgent: @escaping @Sendable () -> any Agent,
                checkDataPeriod: @escaping @Sendable (_ firstBar: Timestamp, _ lastBar: Timestamp) throws -> Void = { _, _ in }) {
        self.init(makeLaneAgent: { _ in makeAgent() }, checkDataPeriod: checkDataPeriod)
    }

    /// An agent that is told its lane (a process agent tells its program the fill model).
    public init(makeLaneAgent: @escaping @Sendable (LaneInfo) -> any Agent,
                checkDataPeriod: @escaping @Sendable (_ firstBar: Timestamp, _ lastBar: Timestamp) throws -> Void = { _, _ in }) {
        self.makeLaneAgent = makeLaneAgent
        self.checkDataPeriod = checkDataPeriod
    }

    /// The agent of one lane.
    public func makeAgent(for lane: LaneInfo) -> any Agent { makeLaneAgent(lane) }
}

/// The lane an agent is made for: an agent under one fill-model variant.
public struct LaneInfo: Sendable, Hashable {
    public var agentID: String
    /// The fill-model variant's name (`seed`, `conservative`, …).
    public var fillModel: String
    public var initialBalance: Money

    public init(agentID: String, fillModel: String, initialBalance: Money) {
        self.agentID = agentID
        self.fillModel = fillModel
        self.initialBalance = initialBalance
    }
}

/// The agent kinds a scenario may name, in the order they are listed in messages.
public struct AgentRegistry: Sendable {
    public private(set) var kinds: [any AgentKind]

    /// The built-in kinds: `vwap_mean_reversion`, `volume_surge`, `breakout`, `order_tape`, `signal_tape`, `process`.
    public static let builtIn = AgentRegistry(unchecked: [VWAPMeanReversionKind(), VolumeSurgeKind(), BreakoutKind(), OrderTapeKind(), SignalTapeKind(), ProcessAgentKind()])

    /// No kinds yet.
    public init() { kinds = [] }

    /// `kinds` registered in order.
    public init(kinds: [any AgentKind]) throws(AgentRegistryError) {
        self.init()
        for kind in kinds { try register(kind) }
    }

    /// For constant lists known to be valid.
    init(unchecked kinds: [any AgentKind]) { self.kinds = kinds }

    /// The kind's names, in registration order.
    public var names: [String] { kinds.map(\.name) }

    public func kind(named name: String) -> (any AgentKind)? { kinds.first { $0.name == name } }

    /// Adds a kind after those registered; a name already taken (a built-in's, say) is refused.
    public mutating func register(_ kind: any AgentKind) throws(AgentRegistryError) {
        guard self.kind(named: kind.name) == nil else { throw AgentRegistryError(message: "agent kind '\(kind.name)' is registered twice") }
        guard SafeName.problem(kind.name) == nil else { throw AgentRegistryError(message: "'\(kind.name)' is not an agent kind name: \(SafeName.problem(kind.name)!)") }
        kinds.append(kind)
    }
}

public struct AgentRegistryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
