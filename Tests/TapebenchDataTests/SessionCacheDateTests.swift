import Testing
import TapebenchCore
import TapebenchData

/// equity.csv's rows (and the lanes' steps) are dated through `SessionCache`, which keeps the span of the
/// last day: it must give the calendar's date for every minute, across DST changes, in every session,
/// whatever order the minutes come in.
@Suite struct SessionCacheDateTests {
    /// 2024-03-08 00:00 UTC to 2024-03-13 (spring forward on the 10th) and 2024-11-01 to 2024-11-06 (fall back on the 3rd).
    static let spans: [(from: Int64, days: Int64)] = [(CivilDate(year: 2024, month: 3, day: 8).daysSinceEpoch, 5),
                                                      (CivilDate(year: 2024, month: 11, day: 1).daysSinceEpoch, 5)]

    static func minutes(_ span: (from: Int64, days: Int64)) -> [Timestamp] {
        (0..<(span.days * 1_440)).map { Timestamp(seconds: span.from * 86_400 + $0 * 60) }
    }

    @Test("minute by minute through DST changes, the cached date is the calendar's", arguments: MarketSession.allCases)
    func inOrder(session: MarketSession) {
        let calendar = ExchangeCalendar(session: session)
        var cache = SessionCache(calendar: calendar)
        for span in Self.spans {
            var wrong = 0
            for time in Self.minutes(span) where cache.local(time).date != calendar.day(of: time).date { wrong += 1 }
            #expect(wrong == 0, "\(session) from day \(span.from)")
        }
    }

    @Test("minutes in a shuffled order (seeded) get the calendar's date too", arguments: MarketSession.allCases)
    func anyOrder(session: MarketSession) {
        let calendar = ExchangeCalendar(session: session)
        var cache = SessionCache(calendar: calendar)
        var random = SplitMix(seed: 11)
        for span in Self.spans {
            var times = Self.minutes(span)
            for i in stride(from: times.count - 1, to: 0, by: -1) { times.swapAt(i, Int(random.next() % UInt64(i + 1))) }
            var wrong = 0
            for time in times where cache.local(time).date != calendar.day(of: time).date { wrong += 1 }
            #expect(wrong == 0, "\(session) from day \(span.from)")
        }
    }

    @Test("hand-checked: 2024-03-10 23:59 EDT is the 10th, 00:00 EDT the 11th; under 24x5, 16:59 New York is today, 17:00 tomorrow")
    func handChecked() {
        var nyse = SessionCache(calendar: .nyse)
        #expect(nyse.local(Timestamp(seconds: 1_710_129_540)).date == CivilDate(year: 2024, month: 3, day: 10))  // 03:59 UTC on the 11th
        #expect(nyse.local(Timestamp(seconds: 1_710_129_600)).date == CivilDate(year: 2024, month: 3, day: 11))
        var fx = SessionCache(calendar: ExchangeCalendar(session: .fx))
        #expect(fx.local(Timestamp(seconds: 1_710_190_740)).date == CivilDate(year: 2024, month: 3, day: 11))  // 20:59 UTC = 16:59 EDT
        #expect(fx.local(Timestamp(seconds: 1_710_190_800)).date == CivilDate(year: 2024, month: 3, day: 12))
    }

    /// A small seeded generator, so the shuffle is the same on every run.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
