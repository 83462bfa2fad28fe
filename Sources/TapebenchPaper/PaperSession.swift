import Foundation
import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchExecution
import TapebenchLedger
import TapebenchLive

/// `tapebench paper`: the scenario's lanes (the same orchestrator, executor and ledger as `run`) fed one
/// minute at a time from a `MinuteSource`, each minute committed to the paper database in one transaction
/// with its end as the checkpoint. The lanes run on the data's time (a `SimulatedClock` advanced to each
/// minute's end); the wall clock only paces the source. So a restart rebuilds the lanes exactly by
/// replaying the committed bars (the lanes are deterministic), checks them against the stored accounts,
/// and goes on from the next minute: nothing lost, nothing doubled.
public enum PaperSession {
    public enum Outcome: Sendable, Equatable {
        /// The data ended; the database is finished. `minutes`: minutes committed by this process.
        case finished(minutes: Int)
        /// Stopped on request after committing the minute in hand.
        case stopped(minutes: Int)
        /// The database was finished already: nothing to do.
        case alreadyFinished
    }

    /// Runs (or resumes) the paper session of `scenario` in the database at `databasePath`. `source` makes
    /// the bar source given the resume point (bars starting before it are done).
    public static func run(scenario: Scenario, sourceName: String, databasePath: String, log: (String) -> Void = { _ in },
                           source makeSource: (Timestamp?) throws -> any MinuteSource) throws -> Outcome {
        let agents: [(config: AgentConfig, agent: PreparedAgent)] = try scenario.agents.map { config in
            (config, try config.definition.prepare(AgentContext(agentID: config.id, tickers: scenario.tickers, tickerLines: scenario.tickerLines,
                                                                settings: scenario.orchestrator)))
        }
        // Lane order as the orchestrator makes them: agents by id, each agent's variants in the scenario's order.
        var infos: [PaperDatabase.LaneInfo] = []
        var recorders: [PaperRecorder] = []
        for (config, _) in agents.sorted(by: { $0.config.id < $1.config.id }) {
            for spec in scenario.fillModels {
                let account = Int64(infos.count + 1)
                infos.append(.init(account: account, agent: config.id, kind: config.kind, variant: spec.name))
                recorders.append(PaperRecorder(account: account))
            }
        }
        let database = try PaperDatabase.open(path: databasePath, scenario: scenario, source: sourceName, lanes: infos)
        defer { try? database.close() }
        let checkpoint = try database.checkpoint()
        if checkpoint.finished { return .alreadyFinished }
        var made = recorders.makeIterator()
        var orchestrator = Orchestrator(settings: scenario.orchestrator, clock: SimulatedClock(), agents: agents,
                                        variants: scenario.fillModels.map(ConfigurableFillModel.init), risk: scenario.risk,
                                        initialBalance: scenario.initialBalance, recorder: { _, _ in made.next()! })
        orchestrator.threads = 1

        do {
            if let resumeAt = checkpoint.minute {
                try rebuild(&orchestrator, recorders: recorders, from: database, through: resumeAt)
                log("resumed after \(resumeAt.iso8601) (\(checkpoint.minutes) minute(s) committed before)")
            }
            var source = try makeSource(checkpoint.minute)
            var minutes = 0
            while true {
                if StopRequest.isRequested { return .stopped(minutes: minutes) }
                switch try source.nextMinute() {
                case .stopped:
                    return .stopped(minutes: minutes)
                case .ended:
                    try orchestrator.finish()
                    let end = orchestrator.statistics.lastBarStart?.adding(minutes: 1) ?? checkpoint.minute ?? Timestamp(nanoseconds: 0)
                    try commit(&orchestrator, recorders: recorders, database: database, minute: end, bars: [], finished: true,
                               delayed: source.delayed)
                    return .finished(minutes: minutes)
                case .minute(let bars):
                    let end = bars[0].start.adding(minutes: 1)
                    for bar in bars { try orchestrator.process(bar) }
                    try orchestrator.advance(to: end)
                    try commit(&orchestrator, recorders: recorders, database: database, minute: end, bars: bars, finished: false,
                               delayed: source.delayed)
                    minutes += 1
                }
            }
        } catch let halt as ReplayHalt {
            throw InputError(file: scenario.file, message: halt.description)
        }
    }

    /// Replays the committed bars through the fresh lanes, dropping the rows they tell (they are in the
    /// database), then checks each lane's cash and trade count against its stored account.
    static func rebuild(_ orchestrator: inout Orchestrator<SimulatedClock, PaperRecorder>, recorders: [PaperRecorder], from database: PaperDatabase,
                        through checkpoint: Timestamp) throws {
        try database.storedMinutes { bars in
            for bar in bars { try orchestrator.process(bar) }
            try orchestrator.advance(to: bars[0].start.adding(minutes: 1))
            for recorder in recorders { _ = recorder.drain() }
        }
        let stored = try database.storedAccounts()
        for lane in orchestrator.lanes {
            let account = lane.account
            guard let row = stored[account.id], row.cash == account.cash.doubleValue, row.trades == recorders[Int(account.id) - 1].trades else {
                throw InputError(file: database.path, message: """
                    replaying the stored bars does not give the stored account \(account.id) ('\(account.agent)', \(lane.variant)): \
                    the scenario's agents, data or the tapebench version changed since the session started; give another --db
                    """)
            }
        }
    }

    private static func commit(_ orchestrator: inout Orchestrator<SimulatedClock, PaperRecorder>, recorders: [PaperRecorder], database: PaperDatabase,
                               minute: Timestamp, bars: [Bar], finished: Bool, delayed: Bool) throws {
        var changes: [PaperDatabase.LaneChanges] = []
        for (index, lane) in orchestrator.lanes.enumerated() {
            let pending = recorders[index].drain()
            changes.append(.init(pending: pending, outcome: lane.outcome, positionSignals: recorders[index].positionSignals))
        }
        try database.commit(minute: minute, bars: bars, lanes: changes, statistics: orchestrator.statistics, finished: finished, delayed: delayed)
    }
}
