import TapebenchCore
import TapebenchData
import TapebenchExecution

/// Proves a replay causal by replaying it again without its future. For several cut times T, the scenario
/// is replayed with the data cut after T (only bars that have ended by T) and with every bar after T
/// perturbed (prices scaled up and down, volume tripled); every order, fill, cancel, rejection and risk event
/// stamped at or before T must then be what the full replay had, in the same order. A difference is a leak:
/// something before T depended on data after it.
///
/// The bars are read (and validated) once, then fed to each replay from memory, so the check holds the
/// scenario's bars; what it tests is the engine (orchestrator, lanes, fill models, agents), not the readers.
public enum CausalityCheck {
    /// How a replay saw the future.
    public enum Variant: String, Sendable, Hashable {
        /// The data ends at the cut.
        case cut = "data cut after it"
        /// The bars after the cut are changed.
        case perturbed = "bars after it perturbed"
    }

    /// The first event at or before a cut that differs from the full replay's, in one lane.
    public struct Leak: Sendable, Hashable, CustomStringConvertible {
        public var agent: String
        public var fillModel: String
        public var cut: Timestamp
        public var variant: Variant
        /// When the first differing event is stamped (the earlier of the two).
        public var time: Timestamp
        /// The event in the full replay, and in this one (nil: none there).
        public var expected: String?
        public var found: String?

        public var description: String {
            "leak: agent '\(agent)' under '\(fillModel)', cut at \(cut.iso8601) (\(variant.rawValue)): at \(time.iso8601) the full replay has "
                + "\(expected.map { "'\($0)'" } ?? "nothing"), this one \(found.map { "'\($0)'" } ?? "nothing")"
        }
    }

    public struct Report: Sendable {
        public var cuts: [Timestamp]
        /// Lanes × cuts × 2 comparisons, and the events at or before a cut they compared.
        public var comparisons: Int
        public var eventsCompared: Int
        public var leaks: [Leak]
    }

    /// The scenario's bars, read once; then `check`.
    public static func run(_ scenario: Scenario, cuts: Int = 3) throws -> Report {
        let dataset = try Dataset(paths: scenario.dataPaths, hints: scenario.dialect)
        var stream = try dataset.bars(scenario.selection, policy: scenario.validation)
        var bars: [Bar] = []
        while let bar = try stream.next() { bars.append(bar) }
        let agents = { (_: [Bar]) throws -> [(config: AgentConfig, agent: PreparedAgent)] in
            let prepared = try scenario.agents.map { config in
                (config: config, agent: try config.definition.prepare(AgentContext(agentID: config.id, tickers: scenario.tickers,
                                                                                  tickerLines: scenario.tickerLines, settings: scenario.orchestrator,
                                                                                  calendar: scenario.calendar)))
            }
            try ContingentOrderCheck.check(prepared, fillModels: scenario.fillModels)
            return prepared
        }
        do {
            return try check(bars: bars, cuts: cutTimes(bars, count: cuts, calendar: scenario.calendar), settings: scenario.orchestrator, calendar: scenario.calendar, agents: agents,
                             variants: scenario.fillModels.map(ConfigurableFillModel.init), risk: scenario.risk, initialBalance: scenario.initialBalance)
        } catch let halt as ReplayHalt {
            throw InputError(file: scenario.file, message: halt.description)
        }
    }

    /// Replays `bars` in full, then cut and perturbed at each of `cuts`, and compares. `agents` prepares the
    /// agents of one replay, given that replay's bars (a test's peeking agent reads them; real agents never do).
    public static func check(bars: [Bar], cuts: [Timestamp], settings: OrchestratorSettings, calendar: ExchangeCalendar = .nyse,
                             agents: ([Bar]) throws -> [(config: AgentConfig, agent: PreparedAgent)], variants: [any FillModel],
                             risk: RiskLimits, initialBalance: Money) throws -> Report {
        func replay(_ bars: [Bar], through cut: Timestamp?, haltsAfter: Timestamp?) throws -> [Lane<SimulatedClock, CausalityRecorder>] {
            var orchestrator = Orchestrator(settings: settings, calendar: calendar, clock: SimulatedClock(), agents: try agents(bars),
                                            variants: variants, risk: risk, initialBalance: initialBalance,
                                            recorder: { _, _ in CausalityRecorder() })
            do {
                for bar in bars { try orchestrator.process(bar) }
                // The cut's own step is replayed (its bars have ended); nothing is finished, so nothing is stamped at a
                // data end that the full replay did not have.
                try orchestrator.advance(to: cut ?? bars.last?.end ?? Timestamp(nanoseconds: 0))
            } catch let halt {
                // Perturbed bars may carry an account beyond what a run may hold; after the cut that changes nothing
                // before it (every lane has replayed the batch the stop came in).
                guard let after = haltsAfter, halt.barStart >= after else { throw halt }
            }
            return orchestrator.lanes
        }
        let full = try replay(bars, through: nil, haltsAfter: nil)
        var report = Report(cuts: cuts, comparisons: 0, eventsCompared: 0, leaks: [])
        for cut in cuts {
            for variant in [Variant.cut, .perturbed] {
                let seen = variant == .cut ? bars.filter { $0.end <= cut } : perturb(bars, after: cut)
                let lanes = try replay(seen, through: variant == .cut ? cut : nil, haltsAfter: cut)
                for (a, b) in zip(full, lanes) {
                    report.comparisons += 1
                    let expected = a.recorder.events.filter { $0.time <= cut }, found = b.recorder.events.filter { $0.time <= cut }
                    report.eventsCompared += expected.count
                    if let leak = firstDifference(expected, found) {
                        report.leaks.append(Leak(agent: a.config.id, fillModel: a.variant, cut: cut, variant: variant, time: leak.time,
                                                 expected: leak.expected, found: leak.found))
                    }
                }
            }
        }
        return report
    }

    static func firstDifference(_ a: [CausalityRecorder.Event], _ b: [CausalityRecorder.Event]) -> (time: Timestamp, expected: String?, found: String?)? {
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : nil, y = i < b.count ? b[i] : nil
            if x != y { return (min(x?.time ?? y!.time, y?.time ?? x!.time), x?.text, y?.text) }
        }
        return nil
    }

    /// `count` cut times spread evenly over the bar ends of the data, each inside a session (not a day's last
    /// bar end: a day's snapshot and session-end cancels are made when the next day starts, stamped back at the close).
    public static func cutTimes(_ bars: [Bar], count: Int, calendar: ExchangeCalendar = .nyse) -> [Timestamp] {
        let regular = bars.filter { calendar.isRegularHours($0.start) }
        var ends: [Timestamp] = []
        for bar in regular where ends.last.map({ $0 < bar.end }) ?? true { ends.append(bar.end) }
        let inside = ends.indices.filter { $0 + 1 < ends.count && calendar.day(of: ends[$0 + 1]).date == calendar.day(of: ends[$0]).date }
            .map { ends[$0] }
        guard !inside.isEmpty, count > 0 else { return [] }
        let picked = (1...count).map { inside[min(inside.count - 1, inside.count * $0 / (count + 1))] }
        return picked.reduce(into: []) { if $0.last != $1 { $0.append($1) } }
    }

    /// The bars after `cut` (those ending after it) changed: prices × 1.02 and ÷ 1.02 by turns, volume × 3.
    static func perturb(_ bars: [Bar], after cut: Timestamp) -> [Bar] {
        var turn = 0
        return bars.map { bar in
            guard bar.end > cut else { return bar }
            turn += 1
            let (n, d): (Int64, Int64) = turn % 2 == 0 ? (51, 50) : (50, 51)
            var changed = bar
            for keyPath in [\Bar.open, \Bar.high, \Bar.low, \Bar.close] {
                changed[keyPath: keyPath] = bar[keyPath: keyPath].scaledIfRepresentable(by: n, over: d) ?? bar[keyPath: keyPath]
            }
            changed.vwap = nil
            changed.volume = bar.volume * 3
            return changed
        }
    }
}
