import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchLedger

// MARK: - Hooks: what report.html shows beyond the run's digest

/// What report.html shows beyond the run's digest (`RunDigest`). Each part is optional: an absent one
/// leaves its section (or line) out of the page. `RunFolder.Additions.html` carries it from a command to
/// the page.
public struct HTMLReportExtras: Sendable {
    /// The graduation answer (`tapebench graduate`).
    public var graduation: HTMLReport.Graduation?
    /// Round-trip trades, filled by the statistics digest (round_trips.csv).
    public var roundTrips: RoundTripList?
    /// The buy-and-hold benchmark's equity, filled by the statistics digest; drawn on every agent's equity chart.
    public var buyAndHold: BuyAndHoldSeries?

    public init(graduation: HTMLReport.Graduation? = nil, roundTrips: RoundTripList? = nil, buyAndHold: BuyAndHoldSeries? = nil) {
        self.graduation = graduation
        self.roundTrips = roundTrips
        self.buyAndHold = buyAndHold
    }

    /// These extras with what the run's digest knows filled in where they are absent: the first round trips
    /// of every lane and the buy-and-hold benchmark's daily equity.
    public func filled(from digest: RunDigest) -> HTMLReportExtras {
        var extras = self
        if extras.roundTrips == nil {
            let rows = digest.lanes.flatMap { lane in
                lane.digest.firstRoundTrips.map { RoundTripRow(agent: lane.config.id, variant: lane.outcome.variant, trip: $0) }
            }
            extras.roundTrips = RoundTripList(first: Array(rows.prefix(HTMLReport.roundTripRows)),
                                              total: digest.lanes.reduce(0) { $0 + $1.summary.roundTrips.count })
        }
        // The benchmark's days are the scenario's trading days (a 24x7 Saturday, a 24x5 day opening on Sunday
        // evening): their sessions come from the same calendar, or NYSE would drop the days it does not trade.
        let calendar = digest.scenario.calendar
        if extras.buyAndHold == nil, let first = digest.benchmark.days.first,
           let open = calendar.regularSession(on: first.date)?.open {
            // A point per day at its last regular minute, from the initial balance at the first open.
            var points = [BuyAndHoldSeries.Point(time: open, equity: digest.benchmark.initialBalance.doubleValue)]
            for day in digest.benchmark.days {
                guard let close = calendar.regularSession(on: day.date)?.close else { continue }
                points.append(.init(time: close.adding(minutes: -1), equity: day.equity))
            }
            extras.buyAndHold = BuyAndHoldSeries(label: "buy & hold (equal parts)", points: points)
        }
        return extras
    }
}

/// One round-trip trade of a lane, as round_trips.csv has it (`RoundTrip` is the ledger's, matched FIFO by
/// `RoundTripBook`).
public struct RoundTripRow: Sendable, Hashable {
    public var agent: String
    public var variant: String
    public var trip: RoundTrip

    public init(agent: String, variant: String, trip: RoundTrip) {
        self.agent = agent
        self.variant = variant
        self.trip = trip
    }
}

/// The first round trips of a run (in the order of round_trips.csv) and how many there are in all,
/// filled by the statistics digest. The page lists at most `HTMLReport.roundTripRows` of `first` and
/// points at `file` for the rest.
public struct RoundTripList: Sendable, Hashable {
    public var first: [RoundTripRow]
    public var total: Int
    /// The file in the run folder holding every one.
    public var file: String

    public init(first: [RoundTripRow], total: Int, file: String = "round_trips.csv") {
        self.first = first
        self.total = total
        self.file = file
    }
}

/// The buy-and-hold benchmark's equity over the run, filled by the statistics digest: `points` in time
/// order, starting at the initial balance, of bounded count (the page draws at most
/// `HTMLReport.maxBuyAndHoldPoints`, thinning evenly beyond that).
public struct BuyAndHoldSeries: Sendable, Hashable {
    /// The legend's text, e.g. "buy & hold (equal weight)".
    public var label: String
    public var points: [Point]

    public struct Point: Sendable, Hashable {
        public var time: Timestamp
        /// Dollars, for drawing (the benchmark holds fractional shares; its exact figures are in returns.csv).
        public var equity: Double

        public init(time: Timestamp, equity: Double) {
            self.time = time
            self.equity = equity
        }
    }

    public init(label: String, points: [Point]) {
        self.label = label
        self.points = points
    }
}

extension HTMLReport {
    /// The graduation answer as `tapebench graduate` decided it: verdicts per agent, and the answers by agent id.
    public struct Graduation: Sendable {
        public var verdicts: [GraduationVerdict]
        public var answers: [String: GraduateAnswer]

        public init(verdicts: [GraduationVerdict], answers: [String: GraduateAnswer]) {
            self.verdicts = verdicts
            self.answers = answers
        }
    }

    /// Round trips listed on the page before it points at the CSV file.
    public static let roundTripRows = 50
    public static let maxBuyAndHoldPoints = 1_024

    // MARK: - Sections

    /// "Graduation": per agent the verdict, its reason, the status, and each criterion under each variant.
    static func graduationSection(_ graduation: HTMLReport.Graduation?, into html: inout HTMLText) {
        guard let graduation, !graduation.verdicts.isEmpty else { return }
        html.raw("<h2 id=\"graduation\">Graduation</h2>\n")
        for v in graduation.verdicts {
            let verdict = v.robust ? "graduates (robust)" : v.forced ? "graduates (forced)" : v.eligible ? "not robust" : "not eligible"
            html.raw("<p class=\"verdict \(v.graduates ? "pass" : "fail")\">")
            html.code(v.agent)
            html.text(" → \(v.step.rawValue): \(verdict). \(v.reason).")
            if let a = graduation.answers[v.agent] {
                html.text(" Status: \(a.newStatus)" + (a.success ? " (graduated)" : " (unchanged)") + (a.paperAccountID.map { "; paper account \($0)" } ?? "") + ".")
            }
            html.raw("</p>\n")
            for w in v.warnings {
                html.raw("<p class=\"warn\">Too good to be true? ")
                html.text(w)
                html.raw("</p>\n")
            }
            html.table(Table(header: ["criterion"] + v.answers.map(\.variant), rows: v.base.criteria.map(\.name).map { name in
                [name] + v.answers.map { a in
                    guard let c = a.criteria.first(where: { $0.name == name }) else { return "" }
                    return (c.met ? "✓ " : "✗ ") + GraduationReport.value(c)
                }
            }))
        }
    }

    /// "Round trips": the first `roundTripRows`, with a pointer to the file for the rest.
    static func roundTripSection(_ list: RoundTripList?, into html: inout HTMLText) {
        guard let list else { return }
        html.raw("<h2 id=\"round-trips\">Round trips</h2>\n")
        guard list.total > 0 else {
            html.raw("<p>No round trips: no position was opened and closed again.</p>\n")
            return
        }
        let shown = list.first.prefix(roundTripRows)
        html.table(Table(
            header: ["agent", "variant", "ticker", "direction", "qty", "entry (UTC)", "entry", "exit (UTC)", "exit", "held", "P&L", "return", "MAE", "MFE"],
            rows: shown.map { row in
                let t = row.trip
                return [row.agent, row.variant, t.ticker, t.side.rawValue, String(t.quantity), t.entryTime.iso8601, dollars(t.entryPrice), t.exitTime.iso8601,
                        dollars(t.exitPrice), duration(from: t.entryTime, to: t.exitTime), dollars(t.netPnL), percentText(t.returnFraction),
                        percentText(t.adverseFraction), percentText(t.favourableFraction)]
            }, leftAligned: [0, 1, 2, 3, 5, 7]))
        if list.total > shown.count {
            html.raw("<p>The first \(shown.count) of \(list.total); every one is in ")
            html.code(list.file)
            html.raw(".</p>\n")
        }
    }

    /// A holding time for people: "45m", "3h 05m", "2d 4h".
    static func duration(from start: Timestamp, to end: Timestamp) -> String {
        let minutes = max(0, (end.nanoseconds - start.nanoseconds) / Timestamp.nanosecondsPerMinute)
        if minutes < 60 { return "\(minutes)m" }
        if minutes < 1_440 { return "\(minutes / 60)h " + (minutes % 60 < 10 ? "0" : "") + "\(minutes % 60)m" }
        return "\(minutes / 1_440)d \(minutes % 1_440 / 60)h"
    }
}
