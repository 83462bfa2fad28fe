import TapebenchCore

/// What the validation rules read of a bar, and where it was read. Two kinds are checked: a `Bar` with its
/// `Origin` (REST pages, CSV files), and a flat-file row as the reader keeps it (`FlatFileItem`: plain
/// values and a line number), so that a flat file's rows are checked, held back and passed on without a
/// `Bar` (96 bytes with a string to retain) or an `Origin` being made and copied for each.
public protocol ValidatedBar {
    var start: Timestamp { get }
    var open: Price { get }
    var high: Price { get }
    var low: Price { get }
    var close: Price { get }
    var volume: Double { get }
    /// Shorter than a day: only such bars are judged against the regular session.
    var isIntraday: Bool { get }
    /// Where the bar was read; `file` is the file being read, for items that keep only their line.
    func origin(in file: String) -> Origin
}

/// A bar with where it was read: what `Validator` checks.
public struct SourcedBar: ValidatedBar {
    public var bar: Bar
    public var origin: Origin

    @inline(__always) public init(_ bar: Bar, _ origin: Origin) {
        self.bar = bar
        self.origin = origin
    }

    @inline(__always) public var start: Timestamp { bar.start }
    @inline(__always) public var open: Price { bar.open }
    @inline(__always) public var high: Price { bar.high }
    @inline(__always) public var low: Price { bar.low }
    @inline(__always) public var close: Price { bar.close }
    @inline(__always) public var volume: Double { bar.volume }
    @inline(__always) public var isIntraday: Bool { bar.duration < Timestamp.nanosecondsPerDay }
    @inline(__always) public func origin(in file: String) -> Origin { origin }
}

/// Bars with their origins, checked as they are read (REST pages and CSV files).
public typealias Validator = BarValidator<SourcedBar>

extension BarValidator where Item == SourcedBar {
    /// Checks one bar; passes on (through `emit`) the bars that survive, possibly one step late.
    public mutating func observe(_ bar: Bar, origin: Origin, emit: (Bar) throws -> Void) throws {
        try observe(SourcedBar(bar, origin), ticker: tickerIndex(for: bar.ticker)) { try emit($0.bar) }
    }

    /// Passes on the bars held back, and closes the day summaries. Call at the end of each file.
    public mutating func flush(emit: (Bar) throws -> Void) throws {
        try flush { (item: SourcedBar) in try emit(item.bar) }
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
        try decide(.duplicateConflict, SourcedBar(bar, origin), ticker: bar.ticker,
                   "differs from the bar already read for \(bar.start) (close \(earlier.close) vs \(bar.close)); the first is kept")
    }
}

/// A flat-file row as the day stream keeps it (`DayBar`), with its line in the file being read.
struct FlatFileItem: ValidatedBar {
    var bar: DayBar
    var line: Int

    @inline(__always) var start: Timestamp { Timestamp(nanoseconds: bar.start) }
    @inline(__always) var open: Price { Price(raw: bar.open) }
    @inline(__always) var high: Price { Price(raw: bar.high) }
    @inline(__always) var low: Price { Price(raw: bar.low) }
    @inline(__always) var close: Price { Price(raw: bar.close) }
    @inline(__always) var volume: Double { bar.volume }
    /// Flat files hold one-minute bars.
    @inline(__always) var isIntraday: Bool { true }
    @inline(__always) func origin(in file: String) -> Origin { Origin(file: file, line: line) }
}

/// A bar's prices and volume, what `hasSameValues` compares.
struct BarValues {
    var open, high, low, close: Price
    var volume: Double

    @inline(__always) init<B: ValidatedBar>(_ bar: B) {
        open = bar.open
        high = bar.high
        low = bar.low
        close = bar.close
        volume = bar.volume
    }

    @inline(__always) func isSame<B: ValidatedBar>(as bar: B) -> Bool {
        open == bar.open && high == bar.high && low == bar.low && close == bar.close && volume == bar.volume
    }
}

extension Bar {
    /// Same prices and volume (a repeat of the same bar, whatever else the source says of it).
    func hasSameValues(as other: Bar) -> Bool {
        open == other.open && high == other.high && low == other.low && close == other.close && volume == other.volume
    }
}
