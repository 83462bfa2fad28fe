import Testing
import TapebenchCore
import TapebenchData
@testable import TapebenchEngine

/// The intake's statistics (`ReplayStatistics.read`, one record per ticker) against the rules worked out here
/// from the bars themselves: counts, first and last start, trading days, each ticker's price series and the
/// buy-and-hold benchmark, over seeded streams of tickers first seen in any order, bars outside regular hours,
/// several days and opens that cannot be bought.
@Suite struct ReplayStatisticsTests {
    /// `days` New York trading days from 2024-03-07 (across the change to daylight time), minutes from 09:00 to
    /// 16:30, some tickers each minute; a few opens of zero or below.
    static func bars(seed: UInt64, days: Int) -> [Bar] {
        var random = SplitMix64(seed: seed)
        let pool = ["MSFT", "AAPL", "ZZZ", "B", "NVDA", "AMD", "IBM"]
        var bars: [Bar] = []
        for date in ExchangeCalendar.nyse.tradingDays(from: CivilDate(year: 2024, month: 3, day: 7), count: days) {
            guard let open = ExchangeCalendar.nyse.regularSession(on: date)?.open else { continue }
            for minute in Int64(-30)..<420 where random.next() % 4 != 0 {
                for ticker in pool.filter({ _ in random.next() % 3 != 0 }).sorted() {
                    let o = Int64(random.next() % 40 == 0 ? 0 : 1 + random.next() % 2_000) * 100_000_000 - (random.next() % 97 == 0 ? 200_000_000_000 : 0)
                    let c = Int64(1 + random.next() % 2_000) * 100_000_000
                    bars.append(Bar(ticker: ticker, start: open.adding(minutes: minute), open: Fixed(raw: o), high: Fixed(raw: max(o, c)),
                                    low: Fixed(raw: min(o, c)), close: Fixed(raw: c), volume: Double(1 + random.next() % 900)))
                }
            }
        }
        return bars
    }

    @Test("counts, price series and the benchmark as worked out from the bars, for seeded streams", arguments: [1, 2, 3, 4] as [UInt64])
    func againstTheRules(seed: UInt64) {
        let bars = Self.bars(seed: seed, days: 1 + Int(seed % 3))
        var intake = StepIntake(calendar: .nyse)
        for bar in bars { _ = intake.take(bar) }
        intake.releaseAll()
        intake.endReplay()
        let statistics = intake.statistics

        let calendar = ExchangeCalendar.nyse
        let regular = bars.filter { calendar.isRegularHours($0.start) }
        #expect(regular.count > 100 && regular.count < bars.count)
        #expect(statistics.barsRead == bars.count)
        #expect(statistics.barsReplayed == regular.count)
        #expect(statistics.barsOutsideRegularHours == bars.count - regular.count)
        #expect(statistics.firstBarStart == bars.first?.start)
        #expect(statistics.lastBarStart == bars.last?.start)
        let dates = regular.map { calendar.day(of: $0.start).date }
        #expect(statistics.tradingDays == Set(dates).count)
        #expect(statistics.barsPerTicker == Dictionary(bars.map { ($0.ticker, 1) }, uniquingKeysWith: +))

        // Each ticker's series: its regular-hours bars, in order, fed to a series of its own.
        var series: [String: PriceSeries] = [:]
        for bar in regular { series[bar.ticker, default: PriceSeries()].add(bar) }
        #expect(statistics.priceSamples.mapValues { $0.points.map { "\($0.time.nanoseconds) \($0.close.raw)" } }
            == series.mapValues { $0.points.map { "\($0.time.nanoseconds) \($0.close.raw)" } })

        // The benchmark: each day's end marks every started ticker at its last close over its first open
        // (1 when that open cannot be bought), the tickers not started yet as cash.
        let initial = Fixed(100_000)
        let tickers = Set(regular.map(\.ticker))
        let part = initial.doubleValue / Double(max(tickers.count, 1))
        var firstOpen: [String: Int64] = [:], lastClose: [String: Int64] = [:]
        var expected: [(date: CivilDate, equity: Double)] = []
        for (index, bar) in regular.enumerated() {
            if firstOpen[bar.ticker] == nil { firstOpen[bar.ticker] = bar.open.raw }
            lastClose[bar.ticker] = bar.close.raw
            guard index + 1 == regular.count || dates[index + 1] != dates[index] else { continue }
            var growth = 0.0
            // Summed in id order (the order the tickers were first read, as the intake numbers them).
            for ticker in statistics.tickers.names {
                guard let open = firstOpen[ticker], let close = lastClose[ticker] else { continue }
                growth += open > 0 ? Double(close) / Double(open) : 1
            }
            expected.append((dates[index], part * (growth + Double(tickers.count - firstOpen.count))))
        }
        let benchmark = statistics.benchmark(initialBalance: initial)
        #expect(benchmark.tickers == tickers.sorted())
        #expect(benchmark.days.map(\.date) == expected.map(\.date))
        #expect(benchmark.days.map(\.equity) == expected.map(\.equity))
    }
}
