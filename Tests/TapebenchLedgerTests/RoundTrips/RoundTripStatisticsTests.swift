import Testing
import TapebenchCore
import TapebenchLedger

@Suite struct RoundTripStatisticsTests {
    func trip(gross: String, commissions: String = "0", minutes: Int64 = 1) -> RoundTrip {
        let entry = Timestamp(seconds: 1_710_163_860)
        return RoundTrip(ticker: "AAPL", side: .long, quantity: 1, entryTime: entry, exitTime: entry.adding(minutes: minutes), entryPrice: p("100"),
                         exitPrice: p("100") + p(gross), entryNotional: p("100"), grossPnL: p(gross), commissions: p(commissions),
                         adverseExcursion: .zero, favourableExcursion: .zero)
    }

    @Test("win rate after costs counts net P&L: a trip that made less than its commissions is a loss")
    func winRates() {
        var stats = RoundTripStatistics()
        for t in [trip(gross: "1", commissions: "2"), trip(gross: "5", commissions: "1"), trip(gross: "-3", commissions: "1")] { stats.add(t) }
        #expect(stats.count == 3)
        #expect(stats.winRateBeforeCosts == 2.0 / 3.0)
        #expect(stats.winRateAfterCosts == 1.0 / 3.0)
        #expect(stats.grossPnLWide == p("3").wide && stats.commissionsWide == p("4").wide)
    }

    @Test("SQN = √N × mean / sample stdev of net P&L")
    func sqn() throws {
        var stats = RoundTripStatistics()
        for net in ["100", "-50", "200", "50"] { stats.add(trip(gross: net)) }
        // mean 75; deviations 25, −125, 125, −25; sample variance 32 500 / 3; SQN = 2 × 75 / 104.0833 = 1.441153
        #expect(abs(stats.meanNetPnL - 75) < 1e-9)
        #expect(abs(try #require(stats.sqn) - 1.4411533842457842) < 1e-12)
    }

    @Test("SQN's √N stops at 100 trips; none with one trip or no spread")
    func sqnCapAndEdges() throws {
        var many = RoundTripStatistics()
        for i in 0..<400 { many.add(trip(gross: i % 2 == 0 ? "3" : "-1")) }
        // mean 1, sample stdev 2 × √(400/399): SQN = 10 × 1 / that
        #expect(abs(try #require(many.sqn) - 10 / (2 * (400.0 / 399).squareRoot())) < 1e-9)
        var one = RoundTripStatistics()
        one.add(trip(gross: "5"))
        #expect(one.sqn == nil)
        var flat = RoundTripStatistics()
        for _ in 0..<3 { flat.add(trip(gross: "2")) }
        #expect(flat.sqn == nil)
    }

    @Test("durations: exact mean and max; the median exact below 1 024 minutes, a bucket's lower edge above")
    func durations() {
        var stats = RoundTripStatistics()
        for m in [5, 30, 10, 2000] as [Int64] { stats.add(trip(gross: "1", minutes: m)) }
        #expect(stats.durations.meanMinutes == 511.25 && stats.durations.medianMinutes == 20 && stats.durations.maxMinutes == 2000)
        var long = DurationHistogram()
        for m in [1500, 3001, 3001] as [Int64] { long.add(m) }
        #expect(long.medianMinutes == 3000 && long.maxMinutes == 3001)   // 3001 lies in the bucket [3000, 3004)
        #expect(DurationHistogram().medianMinutes == 0)
    }
}
