import TapebenchCore
import TapebenchEngine

/// One row of equity.csv: the account at a sample time and its drawdown from the running peak.
public struct EquitySample: Sendable, Hashable {
    public var mark: EquityMark
    /// (peak − equity) / peak, the peak being the highest equity of every step so far, from the initial
    /// balance on.
    public var drawdown: Double
}

/// Samples a lane's per-step marks (`LaneEvent.mark`) into the intraday equity curve: one sample per
/// `intervalMinutes` of replay time, the last step of each period (a period ends at a multiple of the
/// interval in UTC; regular sessions open and close on such a multiple, so each session's close is a
/// sample). Keeps the running peak over every step, and a chart of bounded size (`EquityChart`).
public struct EquitySampler: Sendable {
    /// Five minutes: 78 rows a regular session per lane (a year ≈ 20 000), fine enough to see a day's
    /// swings, small enough to stream and to chart.
    public static let intervalMinutes: Int64 = 5

    /// The period's last mark so far, the peak as it stood then, and the period: the drawdown is worked out
    /// only for a mark that becomes a sample (one in five minutes' worth), not for every step's.
    private var pending: (mark: EquityMark, peak: Money, period: Int64)?
    private var peak: Money
    public private(set) var chart: EquityChart

    public init(initialBalance: Money) {
        peak = initialBalance
        chart = EquityChart(initialBalance: initialBalance)
    }

    /// Takes a step's mark; returns the previous period's sample when this mark starts a new period.
    public mutating func mark(_ mark: EquityMark) -> EquitySample? {
        if mark.equity > peak { peak = mark.equity }
        let period = EquitySampler.period(mark.time)
        defer { pending = (mark, peak, period) }
        guard let previous = pending, previous.period != period else { return nil }
        let sample = EquitySampler.sample(previous.mark, peak: previous.peak)
        chart.add(sample)
        return sample
    }

    /// The replay has ended: the last period's sample, if any.
    public mutating func finish() -> EquitySample? {
        defer { pending = nil }
        guard let pending else { return nil }
        let sample = EquitySampler.sample(pending.mark, peak: pending.peak)
        chart.add(sample)
        return sample
    }

    /// A mark with its drawdown from `peak`, the highest equity up to and including it.
    static func sample(_ mark: EquityMark, peak: Money) -> EquitySample {
        EquitySample(mark: mark, drawdown: peak.raw > 0 ? Double(peak.raw - mark.equity.raw) / Double(peak.raw) : 0)
    }

    /// Periods end at multiples of the interval: (k·I, (k+1)·I], so a step ending at 16:00 closes the 15:55 period.
    static func period(_ time: Timestamp) -> Int64 {
        floorDivide(time.nanoseconds - 1, intervalMinutes * Timestamp.nanosecondsPerMinute).quotient
    }
}

/// The intraday equity and drawdown of a lane for report.html, in bounded memory: at most `capacity`
/// points; when full, every other pair becomes one point (the later equity, the deeper drawdown), so a
/// year of 5-minute samples still draws in a few hundred points and no drawdown is lost.
public struct EquityChart: Sendable {
    public static let capacity = 1_024

    public struct Point: Sendable, Hashable {
        /// The sample's ordinal (0 is the first sample): a trading-time axis, no nights or weekends.
        public var index: Int
        public var time: Timestamp
        public var equity: Money
        public var drawdown: Double
    }

    public let initialBalance: Money
    public private(set) var points: [Point] = []
    /// Samples taken, whatever was merged.
    public private(set) var samples = 0

    public init(initialBalance: Money) { self.initialBalance = initialBalance }

    mutating func add(_ sample: EquitySample) {
        if points.count == EquityChart.capacity {
            points = stride(from: 0, to: points.count, by: 2).map { i in
                var later = points[i + 1]
                later.drawdown = max(points[i].drawdown, later.drawdown)
                return later
            }
        }
        points.append(Point(index: samples, time: sample.mark.time, equity: sample.mark.equity, drawdown: sample.drawdown))
        samples += 1
    }
}
