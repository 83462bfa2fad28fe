import Foundation
import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// The reference orchestrator. The bar stream (in start order) is cut into steps, the bars that end at the
/// same time (for minute bars: a minute, every ticker's bar that starts then), and each lane (an agent
/// under a fill-model variant; lanes in agent-id, then variant order) replays each step:
/// 0. the replay advances the lane's clock to the step's end;
/// 1. for each bar, in ticker order: keep it in the ticker's window of the last `windowBars` bars, try the
///    lane's open orders in that ticker against it (orders decided at or before the bar's start, in the
///    order the intrabar path reaches their prices), mark the position at its close;
/// 2. judge the breakers once, on the fully marked book;
/// 3. decide: close positions opened from signals at −stop-loss / +take-profit from the average entry,
///    with a market order; then the agent's actions (`AgentAction`): signals at most
///    `signalMaxAgeMinutes` old, the newest per ticker acted on (a buy opens a position of
///    `positionSizeBasisPoints` of equity, a sell closes one), the agent's own orders and cancels.
/// Only bars inside the regular session (NYSE calendar) are replayed; the rest are counted. Daily
/// snapshots are taken when the first step of a new trading day arrives, and at the end.
public struct Orchestrator<Clock: ReplayClock, Recorder: LaneRecorder> {
    public let settings: OrchestratorSettings
    public let calendar: ExchangeCalendar
    public internal(set) var lanes: [Lane<Clock, Recorder>]
    /// The per-bar work (numbering, statistics, steps), not generic.
    var intake: StepIntake
    /// How the last `replay(from:)` on several threads shared out the lanes (for tests and measurements).
    var lastSchedule: LaneSchedule?
    /// The cores the process may run on (`ParallelJobs.coresAvailable`): `replay(from:)` starts no more
    /// threads than these. Tests set it.
    var cores = ParallelJobs.coresAvailable
    public var statistics: ReplayStatistics { intake.statistics }
    /// How many threads the lanes replay on: 1 replays them one after the other on the calling thread;
    /// with more, each thread takes the next lane not yet replayed in the batch (`replay(from:)`: the earliest
    /// batch a lane has still to replay, lanes up to `pipelineDepth` batches apart). The result is the same
    /// bytes whatever the number. Default: the machine's cores.
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Whether lanes may replay on several threads (the result is the same either way).
    public var parallel: Bool {
        get { threads > 1 }
        set { threads = newValue ? ProcessInfo.processInfo.activeProcessorCount : 1 }
    }

    /// Each lane gets its own copy of `clock` and a recorder from `recorder` (given the lane's agent config
    /// and variant name), and an agent from the agent's `makeAgent`.
    public init(settings: OrchestratorSettings, calendar: ExchangeCalendar = .nyse, clock: Clock,
                agents: [(config: AgentConfig, agent: PreparedAgent)], variants: [any FillModel], risk: RiskLimits, initialBalance: Money,
                recorder: (AgentConfig, String) -> Recorder) {
        self.settings = settings
        self.calendar = calendar
        intake = StepIntake(calendar: calendar)
        var lanes: [Lane<Clock, Recorder>] = []
        for (config, agent) in agents.sorted(by: { $0.config.id < $1.config.id }) {
            for model in variants {
                let lane = LaneInfo(agentID: config.id, fillModel: model.name, initialBalance: initialBalance)
                var made = Lane(config: config, agent: agent.makeAgent(for: lane), variant: model.name, executor: VirtualExecutor(model: model, risk: risk),
                                account: Account(id: Int64(lanes.count + 1), agent: config.id, initialBalance: initialBalance),
                                clock: clock, recorder: recorder(config, model.name))
                made.state.windows.barsKept = TickerWindows.barsKept(agentReads: agent.windowBarsRead, settings: settings, risk: risk)
                lanes.append(made)
            }
        }
        self.lanes = lanes
    }

    /// Takes the next bar of the stream (bars in start order, then ticker). The steps it completes are
    /// replayed with the batch they join (at the latest by `advance` or `finish`). Throws when a lane had to
    /// stop (see `ReplayHalt`): the first stop in replay order (bar, then lane), whatever the batching.
    public mutating func process(_ bar: Bar) throws(ReplayHalt) {
        if intake.take(bar) { try flush() }
    }

    /// Takes up to `limit` bars of `stream`, each as `process(_:)` would (the steps they complete replayed as
    /// their batches fill); returns how many bars it read, the last one's start, and whether the stream has
    /// ended (it is not asked again then). Throws the stream's errors and the lanes' stops (`ReplayHalt`) as
    /// they happen. The per-bar loop runs in non-generic code (`StepIntake`).
    public mutating func process(from stream: inout any BarStream, limit: Int) throws -> (count: Int, lastStart: Timestamp?, ended: Bool) {
        var count = 0
        var lastStart: Timestamp?
        while count < limit {
            let (taken, full, ended, last) = try intake.take(from: &stream, limit: limit - count)
            count += taken
            lastStart = last ?? lastStart
            if full { try flush() }
            if ended { return (count, lastStart, true) }
            if !full { break }
        }
        return (count, lastStart, false)
    }

    /// The replay has reached `time`: every step ending at or before it is replayed, without waiting for a
    /// later bar (the live path's minute end; tests use it to look at the lanes between bars).
    public mutating func advance(to time: Timestamp) throws(ReplayHalt) {
        intake.release(through: time)
        try flush()
    }

    /// Ends the replay: the last steps, a last snapshot, and orders still open cancelled.
    public mutating func finish() throws(ReplayHalt) {
        intake.releaseAll()
        try flush()
        for index in lanes.indices { lanes[index].finish() }
        intake.endReplay()
        // An agent that failed as it ended (a process agent's program exiting non-zero).
        if let halt = firstHalt() { throw halt }
    }

    /// The earliest stop among the lanes, by bar (time, then ticker), then lane order. A lane stops at its
    /// own bar whatever the batching, and every lane replays a whole batch, so this is the same stop on
    /// every machine.
    func firstHalt() -> ReplayHalt? {
        // Asked after every batch (every step with one lane): a closure, not a key path, which on this generic
        // type is instantiated at run time on each call (once 42 % of a one-ticker replay's CPU time).
        // Through the buffer: `lanes[index].halt` would copy the whole lane first.
        lanes.withUnsafeBufferPointer { lanes in
            var first: (halt: ReplayHalt, lane: Int)?
            for index in 0..<lanes.count {
                guard let halt = lanes[index].halt else { continue }
                if let current = first, (current.halt.barStart, current.halt.ticker, current.lane) <= (halt.barStart, halt.ticker, index) { continue }
                first = (halt, index)
            }
            return first?.halt
        }
    }

    /// Replays the gathered steps in every lane, then throws the first stop among them.
    private mutating func flush() throws(ReplayHalt) {
        guard !intake.batch.isEmpty else { return }
        // A copy of the batch (its storage shared, not copied) for the lanes; once they are done with it the
        // intake's is unique again and is refilled in place.
        replayLanes(through: intake.batch)
        intake.batchReplayed()
        if let halt = firstHalt() { throw halt }
    }

    /// Every lane through `steps`.
    private mutating func replayLanes(through steps: StepBatch) {
        let settings = self.settings, calendar = self.calendar, tickers = intake.tickers
        let workers = min(max(threads, 1), lanes.count)
        if workers == 1 {
            for index in lanes.indices { Self.replay(steps, in: &lanes[index], settings: settings, calendar: calendar, tickers: tickers) }
            return
        }
        lanes.withUnsafeMutableBufferPointer { buffer in
            let lanes = LanePointer(base: buffer.baseAddress!)
            // Each thread takes the next lane not yet replayed: lanes differ in cost (fill models, orders), and a
            // fixed share (lane i on thread i mod n) left a thread idle at the end of every batch.
            ParallelJobs.run(buffer.count, threads: workers) { index in
                Self.replay(steps, in: &lanes.base[index], settings: settings, calendar: calendar, tickers: tickers)
            }
        }
    }

    /// One lane through the steps (`Lane.replay`). `tickers` names the bars' ticker ids.
    static func replay(_ steps: StepBatch, in lane: inout Lane<Clock, Recorder>, settings: OrchestratorSettings, calendar: ExchangeCalendar,
                               tickers: TickerTable) {
        lane.replay(steps, settings: settings, calendar: calendar, tickers: tickers)
    }
}

/// The lanes' storage handed to worker threads, taken once for all of them: each index is touched by
/// one thread only, and the array is not touched while they run.
struct LanePointer<Clock: ReplayClock, Recorder: LaneRecorder>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Lane<Clock, Recorder>>
}

extension Orchestrator where Clock == SimulatedClock, Recorder == InMemoryRecorder {
    /// A replay on the simulated clock, every lane keeping its events in memory (for a `RunResult`).
    public init(settings: OrchestratorSettings, calendar: ExchangeCalendar = .nyse,
                agents: [(config: AgentConfig, agent: PreparedAgent)], variants: [any FillModel], risk: RiskLimits, initialBalance: Money) {
        self.init(settings: settings, calendar: calendar, clock: SimulatedClock(), agents: agents, variants: variants, risk: risk,
                  initialBalance: initialBalance, recorder: { _, _ in InMemoryRecorder() })
    }
}

extension Orchestrator {
    /// How each lane ended, in lane order (after `finish`).
    public var outcomes: [LaneOutcome] { lanes.map(\.outcome) }
}

extension Orchestrator where Recorder == InMemoryRecorder {
    /// How each lane ended, with every event it kept, in lane order (after `finish`).
    public var results: [LaneResult] { lanes.map(\.result) }
}
