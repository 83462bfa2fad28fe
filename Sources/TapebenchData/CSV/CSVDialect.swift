import Foundation
import TapebenchCore

public enum EpochUnit: String, Sendable, Hashable, CaseIterable {
    case seconds = "s", milliseconds = "ms", microseconds = "us", nanoseconds = "ns"

    var nanoseconds: Int64 {
        switch self {
        case .seconds: return 1_000_000_000
        case .milliseconds: return 1_000_000
        case .microseconds: return 1_000
        case .nanoseconds: return 1
        }
    }

    /// The unit of an epoch count, judged by its size for dates after 1973.
    static func guess(_ value: Int64) -> EpochUnit {
        switch value.magnitude {
        case 100_000_000_000_000_000...: return .nanoseconds
        case 100_000_000_000_000...: return .microseconds
        case 100_000_000_000...: return .milliseconds
        default: return .seconds
        }
    }
}

/// Where a row's time comes from.
public enum TimeLayout: Sendable, Hashable {
    /// An integer count since the Unix epoch (always UTC).
    case epoch(column: Int, unit: EpochUnit)
    /// One text column: a date-time, or a date alone for daily bars.
    case text(column: Int)
    /// A date column and a time-of-day column (`09:30:00` or `0930`).
    case dateAndTime(date: Int, time: Int)
    /// Milliseconds since midnight of a date taken from the file name (QuantConnect LEAN).
    case millisecondsOfDay(column: Int)
}

/// How one CSV file writes its bars: separator, header, which column holds what, and how times and
/// prices are written. Detected from the header and the first rows, or adjusted by `DialectHints`.
public struct CSVDialect: Sendable, Hashable {
    public var separator: UInt8
    public var hasHeader: Bool
    /// The header's names as written (empty when there is no header).
    public var header: [String]
    public var time: TimeLayout
    public var ticker: Int?
    /// Absent open/high/low (a price or tick file) take the close.
    public var open: Int?
    public var high: Int?
    public var low: Int?
    public var close: Int
    /// Absent volume is 0.
    public var volume: Int?
    /// Prices written as integers × 10^priceScale (LEAN: 4).
    public var priceScale: Int
    /// The zone of times written without an offset.
    public var zone: TimeZoneRule
    public var dateOrder: DateOrder
    /// Bar length: one minute unless the file holds dates only (one day) or the hints say otherwise.
    public var interval: Int64
    /// `,` is the decimal mark (`1234,50`; `.` or a space then groups thousands). Otherwise `.` is, and `,`
    /// groups thousands (`"1,234.50"`).
    public var decimalComma = false
    /// Declared forms of the time (or date) column and of the time-of-day column, when detection cannot tell.
    public var dateFormat: DateTimeFormat?
    public var timeFormat: DateTimeFormat?
    /// The sampled times are written with an offset (`Z`, `+00:00`): `zone` does not apply to them.
    public var timesCarryOffsets = false

    /// A one-line description for `data inspect`.
    public var summary: String {
        let sep = separator == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(separator))
        let timeText: String
        switch time {
        case let .epoch(column, unit): timeText = "epoch \(unit.rawValue) in column \(column + 1)"
        case let .text(column): timeText = "date-time text in column \(column + 1)"
        case let .dateAndTime(date, time): timeText = "date in column \(date + 1), time in column \(time + 1)"
        case let .millisecondsOfDay(column): timeText = "ms since midnight in column \(column + 1), date from the file name"
        }
        var parts = ["separator '\(sep)'", hasHeader ? "header" : "no header", timeText]
        if case .epoch = time {} else if timesCarryOffsets {
            parts.append("times with their own UTC offset")
        } else {
            parts.append(zone.summary)
        }
        if priceScale > 0 { parts.append("prices ×10^\(priceScale)") }
        if interval == Timestamp.nanosecondsPerDay { parts.append("daily") }
        if decimalComma { parts.append("decimal comma") }
        if let dateFormat { parts.append("date_format '\(dateFormat)'") }
        if let timeFormat { parts.append("time_format '\(timeFormat)'") }
        return parts.joined(separator: ", ")
    }

    var highestColumn: Int {
        var columns = [close, open, high, low, volume, ticker].compactMap { $0 }
        switch time {
        case let .epoch(c, _), let .text(c), let .millisecondsOfDay(c): columns.append(c)
        case let .dateAndTime(d, t): columns += [d, t]
        }
        return columns.max()!
    }
}

/// What a user may state about a dialect where detection cannot tell, or guesses wrong. Every field
/// is optional; what is given wins over what is detected.
public struct DialectHints: Sendable, Hashable {
    public var separator: UInt8?
    public var hasHeader: Bool?
    public var zone: TimeZoneRule?
    public var dateOrder: DateOrder?
    public var epochUnit: EpochUnit?
    public var priceScale: Int?
    public var intervalSeconds: Int64?
    /// The ticker of every bar (for a file without a ticker column or a useful name).
    public var ticker: String?
    /// A regular expression with one capture group, matched against the file (or member) name.
    public var tickerPattern: String?
    /// Column names (or 1-based numbers) by role: time, date, time_of_day, open, high, low, close, volume, ticker.
    public var columns: [String: String] = [:]
    /// `true`: `,` is the decimal mark; `false`: `.` is.
    public var decimalComma: Bool?
    /// The form of the time column (or of the date column beside a time-of-day column), e.g. `%Y%m%d %H%M%S`.
    public var dateFormat: DateTimeFormat?
    /// The form of the time-of-day column, e.g. `%H%M%S`.
    public var timeFormat: DateTimeFormat?

    /// Where the hints came from, so that an error suggests a setting in the form the user writes it.
    public var wording: HintWording = .scenario

    public init() {}

    public static let roles = ["time", "date", "time_of_day", "open", "high", "low", "close", "volume", "ticker"]

    /// A setting to state, as the user would write it: `date_format: '%Y%m%d'` in a scenario's
    /// `data.dialect`, `--date-format '%Y%m%d'` on the command line.
    func suggest(_ key: String, _ example: String) -> String {
        switch (wording, key) {
        case (.scenario, _): return "\(key): \(example) in the dialect"
        case (.commandLine, "columns"):
            return "--column " + example.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).replacingOccurrences(of: ": ", with: "=")
        case (.commandLine, "epoch_unit"): return "epoch_unit: \(example) in a scenario's data.dialect"
        case (.commandLine, _): return "--\(key.replacingOccurrences(of: "_", with: "-")) \(example)"
        }
    }
}

/// How errors about a CSV dialect name the settings: as a scenario's YAML keys or as command-line flags.
public enum HintWording: Sendable, Hashable {
    case scenario
    case commandLine
}
