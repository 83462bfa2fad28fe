import Testing
import TapebenchCore
import TapebenchLedger

@Suite struct BenchmarkStatisticsTests {
    @Test("returns that are exactly 2 × the benchmark's + 0.1 % a day: beta 2, alpha 0.001 × 252")
    func exactLine() throws {
        let b = [0.01, -0.02, 0.03, 0.0]
        let fit = try #require(BenchmarkStatistics.fit(returns: b.map { 2 * $0 + 0.001 }, benchmark: b))
        #expect(abs(fit.beta - 2) < 1e-12 && abs(fit.alpha - 0.252) < 1e-12 && fit.days == 4)
    }

    @Test("beta = cov / var of the benchmark, alpha = (mean r − beta × mean b) × 252, on a series off the line")
    func offTheLine() throws {
        // mean b = 0.02/3, mean r = 0.04/3; Σ(db·dr) = 0.00203333…, Σ db² = 0.00126667…
        // beta = 61/38 = 1.6052631…; alpha = (0.04/3 − beta × 0.02/3) × 252 = 0.6631578…
        let fit = try #require(BenchmarkStatistics.fit(returns: [0.02, -0.03, 0.05], benchmark: [0.01, -0.02, 0.03]))
        #expect(abs(fit.beta - 61.0 / 38) < 1e-12)
        #expect(abs(fit.alpha - (0.04 / 3 - 61.0 / 38 * 0.02 / 3) * 252) < 1e-12)
        #expect(abs(fit.alpha - 0.663157894736842) < 1e-9)
    }

    @Test("no fit from one day, or against a benchmark that never moved")
    func degenerate() {
        #expect(BenchmarkStatistics.fit(returns: [0.01], benchmark: [0.02]) == nil)
        #expect(BenchmarkStatistics.fit(returns: [0.01, 0.02], benchmark: [0.005, 0.005]) == nil)
    }

    @Test("monthly returns compound the month's days, each month against the previous month's last day, across a year's end")
    func monthly() {
        let days: [(date: CivilDate, equity: Double)] = [
            (CivilDate(year: 2023, month: 12, day: 28), 101), (CivilDate(year: 2023, month: 12, day: 29), 102),
            (CivilDate(year: 2024, month: 1, day: 2), 100), (CivilDate(year: 2024, month: 1, day: 31), 103),
            (CivilDate(year: 2024, month: 2, day: 1), 104),
        ]
        let months = PeriodReturns.monthly(days, initial: 100)
        #expect(months.map(\.period) == ["2023-12", "2024-01", "2024-02"])
        #expect(months.map(\.lastDay) == [CivilDate(year: 2023, month: 12, day: 29), CivilDate(year: 2024, month: 1, day: 31), CivilDate(year: 2024, month: 2, day: 1)])
        #expect(abs(months[0].returnFraction - 0.02) < 1e-12)            // 102 / 100 − 1
        #expect(abs(months[1].returnFraction - (103.0 / 102 - 1)) < 1e-12) // not 103 / 100
        #expect(abs(months[2].returnFraction - (104.0 / 103 - 1)) < 1e-12)
        let daily = PeriodReturns.daily(days, initial: 100)
        #expect(daily.map(\.period) == ["2023-12-28", "2023-12-29", "2024-01-02", "2024-01-31", "2024-02-01"])
        #expect(abs(daily[0].returnFraction - 0.01) < 1e-12 && abs(daily[2].returnFraction - (100.0 / 102 - 1)) < 1e-12)
    }

    @Test("a snapshot's Sharpe is nil until 20 daily returns, then the Sharpe of all of them")
    func snapshotSharpe() throws {
        let account = Account(id: 1, agent: "a", initialBalance: Fixed(100_000))
        let date = CivilDate(year: 2024, month: 3, day: 4)
        // An account whose equity stays 100 000 while the previous days alternate up and down
        let nineteen = (0..<18).map { Fixed(100_000 + ($0 % 2 == 0 ? 1_000 : -500)) }
        #expect(account.snapshot(date: date, time: Timestamp(seconds: 0), previousEquities: nineteen).sharpe == nil)  // 19 returns
        let twenty = nineteen + [Fixed(101_000)]
        let equities = [Fixed(100_000)] + twenty + [Fixed(100_000)]
        let sharpe = try #require(account.snapshot(date: date, time: Timestamp(seconds: 0), previousEquities: twenty).sharpe)
        #expect(sharpe == Performance.sharpe(dailyReturns: Performance.returns(equities)))
        #expect(sharpe != 0)
    }
}
