import Testing
import TapebenchCore
import TapebenchLedger

@Suite struct SnapshotSeriesTests {
    /// The formula a snapshot used before the running series: the whole series rebuilt each day.
    static func reference(_ initial: Money, _ days: [Money]) -> (sharpe: Double?, drawdown: Double) {
        let equities = [initial] + days
        return (equities.count - 1 >= AccountSnapshot.minimumReturnsForSharpe ? Performance.sharpe(dailyReturns: Performance.returns(equities)) : nil,
                Performance.currentDrawdown(equities))
    }

    @Test("each day's Sharpe and drawdown are the whole-series formula's to the bit, over random equity series")
    func sameBitsAsTheWholeSeries() {
        var random = SplitMix64(seed: 11)
        for trial in 0..<200 {
            let initial = Fixed(raw: Int64(random.next() % 1_000_000_000_000) + 1)
            var series = SnapshotSeries(initialBalance: initial)
            var days: [Money] = []
            var equity = initial.raw
            for _ in 0..<(Int(random.next() % 80) + 1) {
                switch random.next() % 10 {
                case 0: equity = 0                                          // a wiped-out day: its next return is 0
                case 1: break                                               // a flat day
                case 2: equity = -Int64(random.next() % 1_000_000_000)      // below zero (a short gone wrong)
                default: equity = max(1, equity / 2 + Int64(random.next() % UInt64(max(equity, 2))))
                }
                days.append(Fixed(raw: equity))
                let got = series.add(Fixed(raw: equity)), want = Self.reference(initial, days)
                #expect(got.sharpe?.bitPattern == want.sharpe?.bitPattern, "trial \(trial), day \(days.count)")
                #expect(got.drawdown.bitPattern == want.drawdown.bitPattern, "trial \(trial), day \(days.count)")
            }
            #expect(series.count == days.count)
        }
    }

    @Test("hand-computed: no Sharpe before 20 returns; drawdown from the peak including the initial balance")
    func handComputed() throws {
        var series = SnapshotSeries(initialBalance: Fixed(100))
        #expect(series.add(Fixed(80)) == (nil, 0.2))       // 100 → 80: 20 % below the initial balance
        #expect(series.add(Fixed(120)).drawdown == 0)       // a new peak
        #expect(series.add(Fixed(90)).drawdown == 0.25)     // 30 below 120
        for _ in 0..<16 { _ = series.add(Fixed(90)) }       // 19 returns
        #expect(series.add(Fixed(90)).sharpe != nil)        // the 20th: a Sharpe
        // A flat series has no Sharpe to speak of: 0, as Performance.sharpe.
        var flat = SnapshotSeries(initialBalance: Fixed(100))
        for _ in 0..<19 { _ = flat.add(Fixed(100)) }
        #expect(flat.add(Fixed(100)).sharpe == 0)
    }

    @Test("an account's snapshot from the series is the snapshot from the previous equities, day after day")
    func accountSnapshots() throws {
        var account = Account(id: 1, agent: "a", initialBalance: Fixed(100_000))
        try account.apply(fill(.buy, 100, at: "100.00"))
        var random = SplitMix64(seed: 3)
        var series = SnapshotSeries(initialBalance: account.initialBalance)
        var previous: [Money] = []
        for day in 0..<60 {
            try account.mark("AAPL", at: Fixed(raw: Int64(5_000_000_000 + random.next() % 10_000_000_000)))  // $50 to $150
            let date = CivilDate(year: 2024, month: 1, day: 1).adding(days: Int64(day))
            let old = account.snapshot(date: date, time: Timestamp(seconds: Int64(day)), previousEquities: previous)
            let new = account.snapshot(date: date, time: Timestamp(seconds: Int64(day)), series: &series)
            #expect(new == old)
            #expect(new.sharpe?.bitPattern == old.sharpe?.bitPattern && new.drawdown.bitPattern == old.drawdown.bitPattern)
            previous.append(old.equity)
        }
        #expect(series.count == 60)
    }
}
