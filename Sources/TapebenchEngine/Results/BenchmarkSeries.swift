import TapebenchCore
import TapebenchLedger

/// The buy-and-hold benchmark of a scenario's tickers, day by day: what the initial balance would have
/// become bought in equal parts and held.
///
/// **The rule.** The initial balance is split equally among the tickers replayed; each part buys its ticker
/// at the open of the ticker's first regular-hours bar (fractional shares, no costs, no slippage) and is
/// held to the end; a part waits as cash until its ticker's first bar. Each trading day's equity is every
/// part marked at its ticker's last close so far. A statistic (floating point), not an account.
public struct BenchmarkSeries: Sendable {
    public static let rule = "the initial balance split equally among the tickers, each part bought at its ticker's first regular-hours open in fractional shares without costs, and held to the end"

    /// The tickers held, sorted.
    public var tickers: [String]
    public var initialBalance: Money
    /// Each trading day's closing equity, in order.
    public var days: [(date: CivilDate, equity: Double)]

    public init(tickers: [String], initialBalance: Money, days: [(date: CivilDate, equity: Double)]) {
        self.tickers = tickers
        self.initialBalance = initialBalance
        self.days = days
    }

    public var finalEquity: Double { days.last?.equity ?? initialBalance.doubleValue }
    /// Final equity over the initial balance − 1.
    public var returnFraction: Double { PeriodReturns.change(initialBalance.doubleValue, finalEquity) }
    public var dailyReturns: [PeriodReturn] { PeriodReturns.daily(days, initial: initialBalance.doubleValue) }
    public var monthlyReturns: [PeriodReturn] { PeriodReturns.monthly(days, initial: initialBalance.doubleValue) }

    /// Alpha and beta of a lane's daily equity against this series, over the days both have (matched by date).
    public func fit(_ lane: [(date: CivilDate, equity: Money)], initialBalance laneInitial: Money) -> BenchmarkFit? {
        var mine: [Double] = [], theirs: [Double] = []
        var previousMine = laneInitial.doubleValue, previousTheirs = initialBalance.doubleValue
        var j = 0
        for day in lane {
            while j < days.count && days[j].date < day.date { previousTheirs = days[j].equity; j += 1 }
            guard j < days.count, days[j].date == day.date else { continue }
            mine.append(PeriodReturns.change(previousMine, day.equity.doubleValue))
            theirs.append(PeriodReturns.change(previousTheirs, days[j].equity))
            previousMine = day.equity.doubleValue
            previousTheirs = days[j].equity
            j += 1
        }
        return BenchmarkStatistics.fit(returns: mine, benchmark: theirs)
    }
}

/// Builds a `BenchmarkSeries` as the replay runs: each ticker's first open and last close (a `Holding` per
/// ticker id, kept by the caller beside its other per-ticker counts: `ReplayStatistics`), and at each trading
/// day's end the sum of the started tickers' growth (last close / first open) and how many have started.
/// Memory grows with trading days (two numbers a day), not with bars.
struct BuyAndHoldTracker: Sendable {
    /// A ticker's first open and last close so far (raw prices); a first open of 0: no bar yet, −1: a
    /// non-positive open, which cannot be bought.
    struct Holding: Sendable {
        var firstOpen: Int64 = 0
        var lastClose: Int64 = 0

        /// A regular-hours bar of the ticker replayed.
        @inline(__always)
        mutating func see(open: Int64, close: Int64) {
            if firstOpen == 0 { firstOpen = open > 0 ? open : -1 }
            lastClose = close
        }
    }

    /// At each trading day's end: the started tickers' summed growth (last close / first open) and how many.
    private var dayEnds: [(date: CivilDate, growth: Double, started: Int)] = []

    /// The trading day `date` has ended; `tallies` hold every ticker's holding.
    mutating func endDay(_ date: CivilDate, tallies: [ReplayStatistics.TickerTally]) {
        var growth = 0.0, started = 0
        for tally in tallies where tally.holding.firstOpen != 0 {
            let holding = tally.holding
            started += 1
            growth += holding.firstOpen > 0 ? Double(holding.lastClose) / Double(holding.firstOpen) : 1
        }
        dayEnds.append((date, growth, started))
    }

    /// The series, with names for the ticker ids of `holdings`.
    func series(names: [String], holdings: [Holding], initialBalance: Money) -> BenchmarkSeries {
        let held = holdings.indices.filter { holdings[$0].firstOpen != 0 }
        let n = Double(held.count), part = initialBalance.doubleValue / max(n, 1)
        let days = dayEnds.map { (date: $0.date, equity: part * ($0.growth + (n - Double($0.started)))) }
        return BenchmarkSeries(tickers: held.map { names[$0] }.sorted(), initialBalance: initialBalance, days: days)
    }
}
