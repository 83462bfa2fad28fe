import TapebenchCore

/// Checks bars as they are read, per ticker and in file order, applies the policy (drop, keep or
/// stop), and keeps the findings. Bad ticks need the next bar, so each ticker's newest bar is held
/// back one step; `flush` passes on what is held at the end of a file.
public struct Validator {
    public let policy: ValidationPolicy
    public let calendar: ExchangeCalendar
    public private(set) var report: DataQualityReport
    /// Per-ticker state, numbered by a table of its own (the bars' ids may come from any table, or none).
    private var states: [TickerState] = []
    private var numbers = TickerTable()
    /// Local dates and sessions, computed once per day of the bars.
    private var sessions: SessionCache

    struct TickerState {
        var lastStart: Timestamp?
        /// The newest bar's values, for a repeat of its minute (plain values: no ticker text retained per bar).
        var lastValues: BarValues?
        /// The bar held back for the bad-tick rule, with where it came from and its local date.
        var pending: (bar: Bar, origin: Origin, date: CivilDate)?
        /// The close of the last bar passed on, for the bad-tick rule.
        var previousClose: Price?
        var day: CivilDate?
        var dayOrigin = Origin(file: "")
        var regularBars = 0
        var lastRegularStart: Timestamp?
        var outOfHours = 0
        var firstOutOfHours: Timestamp?
    }

    public init(policy: ValidationPolicy = ValidationPolicy(), calendar: ExchangeCalendar = .nyse) {
        self.policy = policy
        self.calendar = calendar
        report = DataQualityReport(policy: policy)
        sessions = SessionCache(calendar: calendar)
    }

    /// Checks one bar; passes on (through `emit`) the bars that survive, possibly one step late.
    public mutating func observe(_ bar: Bar, origin: Origin, emit: (Bar) throws -> Void) throws {
        report.barsSeen += 1
        let index = numbers.id(for: bar.ticker)!.index
        if index == states.count { states.append(TickerState()) }
        // Taken out and put back, so that the rules below mutate it in place while they update the report.
        var all = states
        states = []
        defer { states = all }
        try check(bar, origin, &all[index], emit: emit)
    }

    private mutating func check(_ bar: Bar, _ origin: Origin, _ state: inout TickerState, emit: (Bar) throws -> Void) throws {

        // Four compares, not an array of the four prices: an array literal here cost a malloc per bar.
        if bar.open.raw <= 0 || bar.high.raw <= 0 || bar.low.raw <= 0 || bar.close.raw <= 0 {
            if try decide(.nonPositivePrice, bar, origin, "open \(bar.open), high \(bar.high), low \(bar.low), close \(bar.close)") == .drop { return }
        }
        if bar.high < max(bar.open, bar.close) || bar.low > min(bar.open, bar.close) || bar.high < bar.low {
            if try decide(.badOHLC, bar, origin, "open \(bar.open), high \(bar.high), low \(bar.low), close \(bar.close)") == .drop { return }
        }
        if bar.volume < 0 {
            if try decide(.negativeVolume, bar, origin, "volume \(bar.volume)") == .drop { return }
        } else if bar.volume == 0 {
            if try decide(.zeroVolume, bar, origin, "volume 0") == .drop { return }
        }
        if let last = state.lastStart {
            if bar.start < last {
                if try decide(.outOfOrder, bar, origin, "starts before the previous bar at \(last)") == .drop { return }
            } else if bar.start == last, let previous = state.lastValues {
                if previous.isSame(as: bar) {
                    report.identicalDuplicates += 1
                    return
                }
                if try decide(.duplicateConflict, bar, origin, "differs from the bar already read for \(bar.start) (close \(previous.close) vs \(bar.close)); the first is kept") != .keep { return }
            }
        }
        if state.lastStart.map({ bar.start > $0 }) ?? true {
            state.lastStart = bar.start
            state.lastValues = BarValues(bar)
        }
        let date = sessions.local(bar.start).date
        if bar.duration < Timestamp.nanosecondsPerDay { try checkSession(bar, origin, date, &state) }
        try checkBadTick(bar, origin, date, &state, emit: emit)
    }

    /// A bar read again for a time already passed on (overlapping REST pages): identical repeats are
    /// counted, different values are a `duplicate_conflict`. The repeat is never passed on: its time has
    /// been replayed already, so `keep` reports it like `drop`.
    public mutating func repeated(_ bar: Bar, of earlier: Bar, origin: Origin) throws {
        report.barsSeen += 1
        if earlier.hasSameValues(as: bar) {
            report.identicalDuplicates += 1
            return
        }
        try decide(.duplicateConflict, bar, origin, "differs from the bar already read for \(bar.start) (close \(earlier.close) vs \(bar.close)); the first is kept")
    }

    /// A data file (or a whole dataset) with no bars: a finding under the `no_bars` policy (`drop` is `keep`:
    /// there is nothing to leave out); throws when the policy says error. `time` is the file's date when its
    /// name has one.
    public mutating func noBars(origin: Origin, time: Timestamp, detail: String) throws {
        let action: FindingAction = policy.action(.noBars) == .error ? .error : .keep
        report.add(Finding(kind: .noBars, ticker: "", time: time, origin: origin, detail: detail, action: action))
        if action == .error {
            throw InputError(file: origin.file, line: origin.line, message: "\(FindingKind.noBars.rawValue) (\(FindingKind.noBars.rule)): \(detail); the scenario's validation policy says error")
        }
    }

    /// Passes on the bars held back, and closes the day summaries. Call at the end of each file.
    public mutating func flush(emit: (Bar) throws -> Void) throws {
        for index in numbers.names.indices.sorted(by: { numbers.names[$0] < numbers.names[$1] }) {
            let ticker = numbers.names[index]
            var state = states[index]
            if let pending = state.pending {
                state.previousClose = pending.bar.close
                try pass(pending.bar, emit)
                state.pending = nil
            }
            try closeDay(ticker, &state)
            state.day = nil
            states[index] = state
        }
    }

    // MARK: - Rules

    private mutating func checkSession(_ bar: Bar, _ origin: Origin, _ date: CivilDate, _ state: inout TickerState) throws {
        if date != state.day {
            try closeDay(bar.ticker, &state)
            state.day = date
            state.dayOrigin = origin
        }
        guard sessions.isRegularHours(bar.start) else {
            state.outOfHours += 1
            if state.firstOutOfHours == nil { state.firstOutOfHours = bar.start }
            return
        }
        if let previous = state.lastRegularStart, bar.start > previous {
            let gap = (bar.start.nanoseconds - previous.nanoseconds) / Timestamp.nanosecondsPerMinute - 1
            if gap >= policy.haltMinutes {
                _ = try decide(.halt, bar, origin, "no bar for \(gap) minutes before \(bar.start)", allowDrop: false)
            }
        }
        state.regularBars += 1
        state.lastRegularStart = max(state.lastRegularStart ?? bar.start, bar.start)
    }

    private mutating func closeDay(_ ticker: String, _ state: inout TickerState) throws {
        guard let day = state.day else { return }
        if state.outOfHours > 0, let first = state.firstOutOfHours {
            report.add(Finding(kind: .outOfHours, ticker: ticker, time: first, origin: state.dayOrigin,
                               detail: "\(state.outOfHours) bars outside the regular session on \(day)", action: policy.action(.outOfHours) == .error ? .error : .keep))
            if policy.action(.outOfHours) == .error { throw error(.outOfHours, ticker, first, state.dayOrigin, "\(state.outOfHours) bars outside the regular session on \(day)") }
        }
        if state.regularBars > 0, let session = calendar.regularSession(on: day) {
            let minutes = Int((session.close.nanoseconds - session.open.nanoseconds) / Timestamp.nanosecondsPerMinute)
            let missing = minutes - state.regularBars
            if missing > 0 {
                report.add(Finding(kind: .missingMinutes, ticker: ticker, time: session.open, origin: state.dayOrigin,
                                   detail: "\(missing) of \(minutes) regular-session minutes have no bar on \(day)", action: policy.action(.missingMinutes) == .error ? .error : .keep))
                if policy.action(.missingMinutes) == .error { throw error(.missingMinutes, ticker, session.open, state.dayOrigin, "\(missing) minutes missing on \(day)") }
            }
        }
        state.regularBars = 0
        state.lastRegularStart = nil
        state.outOfHours = 0
        state.firstOutOfHours = nil
    }

    private mutating func checkBadTick(_ bar: Bar, _ origin: Origin, _ date: CivilDate, _ state: inout TickerState, emit: (Bar) throws -> Void) throws {
        if let (held, heldOrigin, heldDate) = state.pending {
            var drop = false
            let limit = policy.badTickBasisPoints
            if let previous = state.previousClose, heldDate == date, !Validator.moves(previous, bar.open, moreThan: limit),
               Validator.moves(previous, held.high, moreThan: limit) || Validator.moves(previous, held.low, moreThan: limit)
                || Validator.moves(previous, held.close, moreThan: limit) {
                let extreme = max(Validator.moves(previous, held.high), Validator.moves(previous, held.low), Validator.moves(previous, held.close))
                do {
                    drop = try decide(.badTick, held, heldOrigin, "moves \(extreme) bp from the previous close \(previous) and the next bar opens at \(bar.open)") == .drop
                }
            }
            if !drop {
                state.previousClose = held.close
                try pass(held, emit)
            }
        }
        state.pending = (bar, origin, date)
    }

    /// |b − a| / a in basis points, rounded half to even (0 when a is not positive).
    static func moves(_ a: Price, _ b: Price) -> Int64 {
        guard a.raw > 0 else { return 0 }
        return Fixed.divideRoundingHalfEven(Int128((b.wide - a.wide).magnitude) * 10_000, a.wide) ?? .max
    }

    /// `moves(a, b) > limit`, without a division (every bar asks, for four prices).
    /// round(N / a) > t  ⟺  2N > (2t + 1)·a, or 2N = (2t + 1)·a and the tie rounds up to the even t + 1 (t odd).
    @inline(__always)
    static func moves(_ a: Price, _ b: Price, moreThan limit: Int64) -> Bool {
        guard a.raw > 0 else { return 0 > limit }
        guard limit >= 0 else { return true }
        guard limit < 1 << 40 else { return moves(a, b) > limit }  // (2t + 1)·a stays far inside Int128
        let twiceN = Int128((b.wide - a.wide).magnitude) * 20_000
        let bound = Int128(2 * limit + 1) * a.wide
        return twiceN > bound || (twiceN == bound && limit % 2 != 0)
    }

    private mutating func pass(_ bar: Bar, _ emit: (Bar) throws -> Void) throws {
        report.barsKept += 1
        try emit(bar)
    }

    /// Records a finding under the policy; throws when the policy says error. Returns the action.
    @discardableResult
    private mutating func decide(_ kind: FindingKind, _ bar: Bar, _ origin: Origin, _ detail: String, allowDrop: Bool = true) throws -> FindingAction {
        var action = policy.action(kind)
        if action == .drop && !allowDrop { action = .keep }
        report.add(Finding(kind: kind, ticker: bar.ticker, time: bar.start, origin: origin, detail: detail, action: action))
        if action == .error { throw error(kind, bar.ticker, bar.start, origin, detail) }
        return action
    }

    private func error(_ kind: FindingKind, _ ticker: String, _ time: Timestamp, _ origin: Origin, _ detail: String) -> InputError {
        InputError(file: origin.file, line: origin.line, message: "\(kind.rawValue) (\(kind.rule)): \(ticker) at \(time)\(origin.index.map { " (results[\($0)])" } ?? ""): \(detail); the scenario's validation policy says error")
    }
}

/// A bar's prices and volume, what `hasSameValues` compares.
struct BarValues {
    var open, high, low, close: Price
    var volume: Double

    @inline(__always) init(_ bar: Bar) {
        open = bar.open
        high = bar.high
        low = bar.low
        close = bar.close
        volume = bar.volume
    }

    @inline(__always) func isSame(as bar: Bar) -> Bool {
        open == bar.open && high == bar.high && low == bar.low && close == bar.close && volume == bar.volume
    }
}

extension Bar {
    /// Same prices and volume (a repeat of the same bar, whatever else the source says of it).
    func hasSameValues(as other: Bar) -> Bool {
        open == other.open && high == other.high && low == other.low && close == other.close && volume == other.volume
    }
}
