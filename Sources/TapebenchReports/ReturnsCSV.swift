import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// `returns.csv`: each lane's daily and monthly returns of end-of-day equity beside the buy-and-hold
/// benchmark's for the same period. Per lane (in lane order) its days (`period` `day`, `date` the trading
/// day), then its months (`period` `month`, `date` `YYYY-MM`). `return` and `benchmark_return` are fractions
/// with six decimals; a month's return compounds its days (end of month over end of the previous month);
/// `equity` is exact, `benchmark_equity` in cents. Built from the lanes' daily equities when the replay ends
/// (a few bytes a trading day).
public enum ReturnsCSV {
    public static let header = "agent,variant,period,date,equity,return,benchmark_equity,benchmark_return"

    public static func render(_ digest: RunDigest) -> String {
        var out = ByteText()
        out.append(header + "\n")
        let benchmarkDays = Dictionary(digest.benchmark.dailyReturns.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
        let benchmarkMonths = Dictionary(digest.benchmark.monthlyReturns.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
        for lane in digest.lanes {
            let daily = lane.dailyReturns
            for (i, day) in lane.outcome.days.enumerated() {
                let r = daily[i]
                appendRow(lane, period: "day", label: r.period, equity: day.equity, r.returnFraction, benchmarkDays[r.period], to: &out)
            }
            var monthEnds = lane.outcome.days.makeIterator()
            for month in lane.monthlyReturns {
                // The exact equity of the month's last day (the row's Double is for the return).
                var equity = Money.zero
                while let day = monthEnds.next() {
                    if day.date == month.lastDay { equity = day.equity; break }
                }
                appendRow(lane, period: "month", label: month.period, equity: equity, month.returnFraction, benchmarkMonths[month.period], to: &out)
            }
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    private static func appendRow(_ lane: LaneReport, period: String, label: String, equity: Money, _ fraction: Double, _ benchmark: PeriodReturn?,
                                  to out: inout ByteText) {
        out.append(lane.config.id)
        out.append(byte: comma)
        out.append(lane.variant)
        out.append(byte: comma)
        out.append(period)
        out.append(byte: comma)
        out.append(label)
        TablesCSV.appendAmount(equity, to: &out)
        out.append(byte: comma)
        // `formatStatistic`'s text, written straight in.
        out.append(statistic: fraction, digits: 6)
        out.append(byte: comma)
        if let benchmark { out.append(statistic: benchmark.equity, digits: 2) }
        out.append(byte: comma)
        if let benchmark { out.append(statistic: benchmark.returnFraction, digits: 6) }
        out.append(byte: newline)
    }
}
