import Foundation
import TapebenchCore
import TapebenchData
import TapebenchExecution
import TapebenchLedger

/// The reference orchestrator, per incoming bar of a ticker and per lane (an agent under a fill-model
/// variant; lanes in agent-id, then variant order):
/// 1. keep the last `windowBars` bars of the ticker;
/// 2. process the lane's open orders in that ticker against the bar (orders decided at or before the
///    bar's start; in order-id order);
/// 3. mark the position at the bar's close;
/// 4. close positions at −stop-loss / +take-profit from the average entry, with a market order;
/// 5. on every `scanEveryBars`-th bar of the ticker run the agent's scan, keep signals at most
///    `signalMaxAgeMinutes` old, and act on the newest: a buy opens a position of
///    `positionSizeBasisPoints` of equity with a market order, a sell closes a held position.
/// Only bars inside the regular session (NYSE calendar) are replayed; the rest are counted.
/// Daily snapshots are taken when the first bar of a new trading day arrives, and at the end.
public struct Orchestrator<Recorder: LaneRecorder> {
    public let settings: OrchestratorSettings
    public let calendar: ExchangeCalendar
    public private(set) var lanes: [Lane<Recorder>]
    public private(set) var statistics = ReplayStatistics()
    private var clock = SimulatedClock()
    private var pending: [Bar] = []
    /// Whether lanes may replay on several threads (the result is the same either way).
    public var parallel = true

    /// `recorder` makes each lane's recorder, given the lane's agent config and variant name.
    public init(settings: OrchestratorSettings, calendar: ExchangeCalendar = .nyse,
                agents: [(config: AgentConfig, agent: PreparedAgent)], variants: [any FillModel], risk: RiskLimits, initialBalance: Money,
                recorder: (AgentConfig, String) -> Recorder) {
        self.settings = settings
        self.calendar = calendar
        var lanes: [Lane<Recorder>] = []
        for (config, agent) in agents.sorted(by: { $0.config.id < $1.config.id }) {
            for model in variants {
                let lane = LaneInfo(agentID: config.id, fillModel: model.name, initialBalance: initialBalance)
                lanes.append(Lane(config: config, agent: agent.makeAgent(for: lane), variant: model.name, executor: VirtualExecutor(model: model, risk: risk),
                                  account: Account(id: Int64(lanes.count + 1), agent: config.id, initialBalance: initialBalance),
                                  recorder: recorder(config, model.name)))
            }
        }
        self.lanes = lanes
    }

    /// Takes the next bar of the replay. Throws when a lane had to stop (see `ReplayHalt`): the first
    /// stop in replay order (bar, then lane), whatever the batching.
    public mutating func process(_ bar: Bar) throws(ReplayHalt) {
        statistics.record(bar)
        guard calendar.isRegularHours(bar.start) else {
            statistics.barsOutsideRegularHours += 1
            return
        }
        // Bars come in start order; with bars of different lengths (a daily bar among minute bars) an end
        // can come before the previous one's: the clock keeps the latest end.
        clock.advance(to: max(clock.now, bar.end))
        statistics.barsReplayed += 1
        statistics.sample(bar)
        let date = EasternTime.local(bar.start).date
        if date != statistics.lastDate {
            statistics.lastDate = date
            statistics.tradingDays += 1
        }
        if lanes.count == 1 {
            lanes[0].step(Minute(time: bar.end, bars: [bar]), settings: settings, calendar: calendar)
            if let halt = lanes[0].halt { throw halt }
            return
        }
        pending.append(bar)
        if pending.count >= replayBatchSize { try flush() }
    }

    /// Ends the replay: the last bars, a last snapshot, and orders still open cancelled.
    public mutating func finish() throws(ReplayHalt) {
        try flush()
        for index in lanes.indices { lanes[index].finish(calendar: calendar) }
        // An agent that failed as it ended (a process agent's program exiting non-zero).
        if let halt = firstHalt() { throw halt }
    }

    /// The earliest stop among the lanes, by bar (time, then ticker), then lane order. A lane stops at its
    /// own bar whatever the batching, and every lane replays a whole batch, so this is the same stop on
    /// every machine.
    private func firstHalt() -> ReplayHalt? {
        lanes.compactMap(\.halt).enumerated().min { a, b in
            (a.element.barStart, a.element.ticker, a.offset) < (b.element.barStart, b.element.ticker, b.offset)
        }?.element
    }

    /// Replays the gathered bars in every lane, then throws the first stop among them.
    private mutating func flush() throws(ReplayHalt) {
        replayPending()
        if let halt = firstHalt() { throw halt }
    }

    /// Several lanes go side by side on the machine's cores.
    private mutating func replayPending() {
        guard !pending.isEmpty else { return }
        let bars = pending
        pending.removeAll(keepingCapacity: true)
        let settings = self.settings, calendar = self.calendar
        if !parallel || ProcessInfo.processInfo.activeProcessorCount == 1 {
            for index in lanes.indices {
                for bar in bars { lanes[index].step(Minute(time: bar.end, bars: [bar]), settings: settings, calendar: calendar) }
            }
            return
        }
        lanes.withUnsafeMutableBufferPointer { buffer in
            let lanes = LanePointer(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: buffer.count) { index in
                for bar in bars { lanes.base[index].step(Minute(time: bar.end, bars: [bar]), settings: settings, calendar: calendar) }
            }
        }
    }
}

/// Bars gathered before the lanes replay them (side by side when there are several lanes).
let replayBatchSize = 20_000

/// The lanes' storage handed to worker threads, taken once for all of them: each index is touched by
/// one thread only, and the array is not touched while they run.
struct LanePointer<Recorder: LaneRecorder>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Lane<Recorder>>
}

extension Orchestrator where Recorder == InMemoryRecorder {
    /// Every lane keeps its events in memory (for a `RunResult`).
    public init(settings: OrchestratorSettings, calendar: ExchangeCalendar = .nyse,
                agents: [(config: AgentConfig, agent: PreparedAgent)], variants: [any FillModel], risk: RiskLimits, initialBalance: Money) {
        self.init(settings: settings, calendar: calendar, agents: agents, variants: variants, risk: risk, initialBalance: initialBalance,
                  recorder: { _, _ in InMemoryRecorder() })
    }

    /// How each lane ended, in lane order (after `finish`).
    public var results: [LaneResult] { lanes.map(\.result) }
}
