import TapebenchCore

/// Checks bars as they are read, per ticker and in file order, applies the policy (drop, keep or
/// stop), and keeps the findings. Bad ticks need the next bar, so each ticker's newest bar is held
/// back one step; `flush` passes on what is held at the end of a file.
///
/// Generic over what it checks (`ValidatedBar`): `Validator` checks `Bar`s with their origins; the flat-file
/// day stream checks its plain rows, so that nothing is copied per row but plain values.
public struct BarValidator<Item: ValidatedBar> {
    public let policy: ValidationPolicy
    public let calendar: ExchangeCalendar
    public internal(set) var report: DataQualityReport
    /// The file being read, for the origins of items that keep only their line (`ValidatedBar.origin(in:)`).
    var file = ""
    /// Per-ticker state, numbered by a table of its own (the bars' ids may come from any table, or none).
    private var states = TickerStates<Item>()
    private var numbers = TickerTable()
    /// `numbers`' indices in name order, the order `flush` goes through them (remade when the table grew).
    private var flushOrder: [Int] = []
    /// Local dates and sessions, computed once per day of the bars.
    private var sessions: SessionCache
    /// The `halt` rule without a division per bar: a gap of Δ > 0 nanoseconds between regular bars is a halt
    /// (Δ / minute − 1 ≥ `haltMinutes`) exactly when Δ ≥ this; nil: never (the product is beyond Int64).
    private let haltSpan: Int64?

    struct TickerState {
        var lastStart: Timestamp?
        /// The newest bar's values, for a repeat of its minute (plain values: no ticker text retained per bar).
        var lastValues: BarValues?
        /// The bar held back for the bad-tick rule, with its local date.
        var pending: (item: Item, date: CivilDate)?
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
        haltSpan = Self.haltSpan(minutes: policy.haltMinutes)
    }

    /// (minutes + 1) whole minutes in nanoseconds, 0 when any gap is a halt (minutes < 0), nil when no
    /// gap within Int64 is one.
    static func haltSpan(minutes: Int64) -> Int64? {
        guard minutes >= 0 else { return 0 }
        let (next, overflow) = minutes.addingReportingOverflow(1)
        guard !overflow else { return nil }
        let (span, tooLarge) = next.multipliedReportingOverflow(by: Timestamp.nanosecondsPerMinute)
        return tooLarge ? nil : span
    }

    /// The index of `ticker`'s state, for `observe(_:ticker:emit:)` (ask once per run of a ticker's bars).
    mutating func tickerIndex(for ticker: String) -> Int {
        let index = numbers.id(for: ticker)!.index
        if index == states.count {
            makeStatesUnique()
            states.append(TickerState())
        }
        return index
    }

    /// Copies the per-ticker states when another validator shares them (a copy of this one), before they change.
    @inline(__always)
    private mutating func makeStatesUnique() {
        if !isKnownUniquelyReferenced(&states) { states = states.copy() }
    }

    /// Checks one bar of the ticker at `ticker` (`tickerIndex(for:)`); passes on (through `emit`) the bars
    /// that survive, possibly one step late.
    @inline(__always)
    mutating func observe(_ item: Item, ticker: Int, emit: (Item) throws -> Void) throws {
        if let passed = try observe(item, ticker: ticker) { try emit(passed) }
    }

    /// `observe(_:ticker:emit:)` returning the bar it passes on (at most one a bar: the one held back before
    /// it), nil when none: the caller takes it without a closure called for it.
    @inline(__always)
    mutating func observe(_ item: Item, ticker: Int) throws -> Item? {
        report.barsSeen += 1
        makeStatesUnique()
        // Mutated in place through the store's pointer while the rules update the report (an array here had
        // to be taken out of `self` and put back: a retain and a release a bar).
        precondition(ticker >= 0 && ticker < states.count)
        let state = states.base + ticker
        return try check(item, ticker, &state.pointee)
    }

    private mutating func check(_ bar: Item, _ ticker: Int, _ state: inout TickerState) throws -> Item? {
        // Four compares, not an array of the four prices: an array literal here cost a malloc per bar.
        if bar.open.raw <= 0 || bar.high.raw <= 0 || bar.low.raw <= 0 || bar.close.raw <= 0 {
            if try decide(.nonPositivePrice, bar, ticker, "open \(bar.open), high \(bar.high), low \(bar.low), close \(bar.close)") == .drop { return nil }
        }
        if bar.high < max(bar.open, bar.close) || bar.low > min(bar.open, bar.close) || bar.high < bar.low {
            if try decide(.badOHLC, bar, ticker, "open \(bar.open), high \(bar.high), low \(bar.low), close \(bar.close)") == .drop { return nil }
        }
        if bar.volume < 0 {
            if try decide(.negativeVolume, bar, ticker, "volume \(bar.volume)") == .drop { return nil }
        } else if bar.volume == 0 {
            if try decide(.zeroVolume, bar, ticker, "volume 0") == .drop { return nil }
        }
        if let last = state.lastStart {
            if bar.start < last {
                if try decide(.outOfOrder, bar, ticker, "starts before the previous bar at \(last)") == .drop { return nil }
            } else if bar.start == last, let previous = state.lastValues {
                if previous.isSame(as: bar) {
                    report.identicalDuplicates += 1
                    return nil
                }
                if try decide(.duplicateConflict, bar, ticker, "differs from the bar already read for \(bar.start) (close \(previous.close) vs \(bar.close)); the first is kept") != .keep { return nil }
            }
        }
        if state.lastStart.map({ bar.start > $0 }) ?? true {
            state.lastStart = bar.start
            state.lastValues = BarValues(bar)
        }
        // One local time for both rules: the date here, the second of the day for the session's hours.
        let (date, second) = sessions.local(bar.start)
        if bar.isIntraday { try checkSession(bar, ticker, date, second, &state) }
        return try checkBadTick(bar, ticker, date, &state)
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
    mutating func flush(emit: (Item) throws -> Void) throws {
        if flushOrder.count != numbers.count {
            let names = numbers.names
            flushOrder = names.indices.sorted(by: { names[$0] < names[$1] })
        }
        for index in flushOrder {
            var state = states.base[index]
            if let pending = state.pending {
                state.previousClose = pending.item.close
                try pass(pending.item, emit)
                state.pending = nil
            }
            try closeDay(index, &state)
            state.day = nil
            makeStatesUnique()
            states.base[index] = state
        }
    }

    // MARK: - Rules

    /// `second`: seconds since the start of `date`, as `sessions.local(bar.start)` just gave them.
    private mutating func checkSession(_ bar: Item, _ ticker: Int, _ date: CivilDate, _ second: Int64, _ state: inout TickerState) throws {
        if date != state.day {
            try closeDay(ticker, &state)
            state.day = date
            state.dayOrigin = bar.origin(in: file)
        }
        guard sessions.isRegularInCurrentDay(secondOfDay: second) else {
            state.outOfHours += 1
            if state.firstOutOfHours == nil { state.firstOutOfHours = bar.start }
            return
        }
        if let previous = state.lastRegularStart, bar.start > previous, let haltSpan,
           bar.start.nanoseconds - previous.nanoseconds >= haltSpan {
            let gap = (bar.start.nanoseconds - previous.nanoseconds) / Timestamp.nanosecondsPerMinute - 1
            _ = try decide(.halt, bar, ticker, "no bar for \(gap) minutes before \(bar.start)", allowDrop: false)
        }
        state.regularBars += 1
        state.lastRegularStart = max(state.lastRegularStart ?? bar.start, bar.start)
    }

    /// The day summaries of a ticker's day. Their text is written only for findings the report keeps: a
    /// day with no finding allocates nothing, and a finding that is only counted allocates nothing either.
    private mutating func closeDay(_ index: Int, _ state: inout TickerState) throws {
        guard let day = state.day else { return }
        if state.outOfHours > 0, let first = state.firstOutOfHours {
            let (count, origin) = (state.outOfHours, state.dayOrigin)
            let isError = policy.action(.outOfHours) == .error
            report.add(kind: .outOfHours, ticker: numbers.names[index], time: first, origin: origin, action: isError ? .error : .keep) {
                "\(count) bars outside the regular session on \(day)"
            }
            if isError { throw error(.outOfHours, numbers.names[index], first, origin, "\(count) bars outside the regular session on \(day)") }
        }
        if state.regularBars > 0, let session = calendar.regularSession(on: day) {
            let minutes = Int((session.close.nanoseconds - session.open.nanoseconds) / Timestamp.nanosecondsPerMinute)
            let missing = minutes - state.regularBars
            if missing > 0 {
                let origin = state.dayOrigin
                let isError = policy.action(.missingMinutes) == .error
                report.add(kind: .missingMinutes, ticker: numbers.names[index], time: session.open, origin: origin, action: isError ? .error : .keep) {
                    "\(missing) of \(minutes) regular-session minutes have no bar on \(day)"
                }
                if isError { throw error(.missingMinutes, numbers.names[index], session.open, origin, "\(missing) minutes missing on \(day)") }
            }
        }
        state.regularBars = 0
        state.lastRegularStart = nil
        state.outOfHours = 0
        state.firstOutOfHours = nil
    }

    /// Holds `bar` back for the rule, and returns the bar held before it unless the rule drops that one.
    private mutating func checkBadTick(_ bar: Item, _ ticker: Int, _ date: CivilDate, _ state: inout TickerState) throws -> Item? {
        var passed: Item?
        if let (held, heldDate) = state.pending {
            var drop = false
            let limit = policy.badTickBasisPoints
            if let previous = state.previousClose, heldDate == date,
               Self.isBadTick(previous, next: bar.open, held.high, held.low, held.close, limit: limit) {
                let extreme = max(Self.moves(previous, held.high), Self.moves(previous, held.low), Self.moves(previous, held.close))
                drop = try decide(.badTick, held, ticker, "moves \(extreme) bp from the previous close \(previous) and the next bar opens at \(bar.open)") == .drop
            }
            if !drop {
                state.previousClose = held.close
                report.barsKept += 1
                passed = held
            }
        }
        state.pending = (bar, date)
        return passed
    }

    /// The bad-tick test: the held bar's high, low or close moves more than `limit` from `previous` while the
    /// next bar's open does not. The band of prices within the limit is computed once for the four prices.
    @inline(__always)
    static func isBadTick(_ previous: Price, next open: Price, _ high: Price, _ low: Price, _ close: Price, limit: Int64) -> Bool {
        if let band = MoveBand(around: previous, limit: limit) {
            return band.contains(open) && !(band.contains(high) && band.contains(low) && band.contains(close))
        }
        return !moves(previous, open, moreThan: limit)
            && (moves(previous, high, moreThan: limit) || moves(previous, low, moreThan: limit) || moves(previous, close, moreThan: limit))
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

    @inline(__always)
    private mutating func pass(_ bar: Item, _ emit: (Item) throws -> Void) throws {
        report.barsKept += 1
        try emit(bar)
    }

    /// Records a finding of the ticker at `ticker` under the policy; throws when the policy says error.
    /// Returns the action.
    @discardableResult
    private mutating func decide(_ kind: FindingKind, _ bar: Item, _ ticker: Int, _ detail: @autoclosure () -> String, allowDrop: Bool = true) throws -> FindingAction {
        try decide(kind, bar, ticker: numbers.names[ticker], detail(), allowDrop: allowDrop)
    }

    /// Records a finding under the policy, its text written only when the report keeps it or the run
    /// stops; throws when the policy says error. Returns the action.
    @discardableResult
    mutating func decide(_ kind: FindingKind, _ bar: Item, ticker: String, _ detail: @autoclosure () -> String, allowDrop: Bool = true) throws -> FindingAction {
        var action = policy.action(kind)
        if action == .drop && !allowDrop { action = .keep }
        let origin = bar.origin(in: file)
        report.add(kind: kind, ticker: ticker, time: bar.start, origin: origin, action: action, detail: detail)
        if action == .error { throw error(kind, ticker, bar.start, origin, detail()) }
        return action
    }

    private func error(_ kind: FindingKind, _ ticker: String, _ time: Timestamp, _ origin: Origin, _ detail: String) -> InputError {
        InputError(file: origin.file, line: origin.line, message: "\(kind.rawValue) (\(kind.rule)): \(ticker) at \(time)\(origin.index.map { " (results[\($0)])" } ?? ""): \(detail); the scenario's validation policy says error")
    }
}

/// The validator's per-ticker states in one block of memory reached by pointer, so that a bar's rules mutate
/// its ticker's state in place; copied when a validator copy mutates a shared one (value semantics).
final class TickerStates<Item: ValidatedBar> {
    typealias State = BarValidator<Item>.TickerState
    private(set) var base: UnsafeMutablePointer<State>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 16) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func append(_ state: State) {
        if count == capacity {
            let larger = UnsafeMutablePointer<State>.allocate(capacity: 2 * capacity)
            larger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = larger
            capacity *= 2
        }
        (base + count).initialize(to: state)
        count += 1
    }

    func copy() -> TickerStates {
        let copy = TickerStates(capacity: capacity)
        copy.base.initialize(from: base, count: count)
        copy.count = count
        return copy
    }
}
