import Testing
import TapebenchCore
import TapebenchData
import TapebenchEngine
@testable import TapebenchReports

/// equity.csv's rows are gathered whole and copy what repeats from the row before (`EquityRows`): the bytes
/// must be those of writing every field of every row.
@Suite struct EquityRowsTests {
    /// The row writer before: every field written, the date from the calendar's day of the minute before.
    static func oracle(_ sample: EquitySample, agent: String, variant: String, days: inout SessionCache) -> String {
        let m = sample.mark
        let date = days.local(m.time.adding(minutes: -1)).date
        let amounts = [m.cash, m.marketValue, m.equity, m.realizedPnL, m.unrealizedPnL, m.commissions]
        return "\(agent),\(variant),\(date.description),\(m.time.iso8601)," + amounts.map { $0.formatted(minimumFractionDigits: 2) }.joined(separator: ",")
            + ",\(m.openPositions),\(formatStatistic(sample.drawdown, digits: 6))\n"
    }

    @Test("20,000 seeded rows over 90 days (nights, weekends, daylight-time changes), amounts that often repeat: the bytes of writing each field")
    func seeded() {
        var random = SplitMix64(seed: 17)
        // 2024-01-02 14:35 UTC, then 5-minute steps with jumps of hours and days.
        var time = Timestamp(seconds: 1_704_206_100)
        var rows = EquityRows(agent: "sma-cross", variant: "seed")
        var days = SessionCache()
        var written = ByteText(), expected = ""
        var values = (0..<6).map { _ in Fixed(raw: 100_000 * Fixed.scale) }
        var positions = 0, drawdown = 0.0
        for _ in 0..<20_000 {
            time = time.adding(minutes: random.next() % 50 == 0 ? Int64(random.next() % 4_000) : 5)
            // Each field changes now and then (some never for long runs), sometimes to a negative or tiny value.
            for index in values.indices where random.next() % 4 == 0 {
                values[index] = Fixed(raw: Int64(bitPattern: random.next()) >> Int64(8 + random.next() % 50))
            }
            if random.next() % 5 == 0 { positions = Int(random.next() % 3) }
            if random.next() % 3 == 0 { drawdown = random.next() % 2 == 0 ? 0 : Double(random.next() % 1_000_000) / 3e6 }
            let mark = EquityMark(time: time, cash: values[0], marketValue: values[1], equity: values[2], realizedPnL: values[3],
                                  unrealizedPnL: values[4], commissions: values[5], openPositions: positions)
            let sample = EquitySample(mark: mark, drawdown: drawdown)
            rows.append(sample, to: &written)
            expected += Self.oracle(sample, agent: "sma-cross", variant: "seed", days: &days)
        }
        #expect(String(decoding: written.bytes, as: UTF8.self) == expected)
    }

    @Test("hand-checked: a step ending at 16:00 New York time is dated that day; 20:00 New York time (01:00 UTC) too")
    func handChecked() {
        // 2024-03-11 20:00 UTC is 16:00 in New York (daylight time); 2024-03-12 01:00 UTC is 21:00 on the 11th.
        let mark = { (time: Timestamp) in
            EquityMark(time: time, cash: Fixed(raw: 150_000_000), marketValue: .zero, equity: Fixed(raw: 150_000_000), realizedPnL: .zero,
                       unrealizedPnL: Fixed(raw: -1), commissions: .zero, openPositions: 2)
        }
        var out = ByteText()
        var rows = EquityRows(agent: "a", variant: "v")
        rows.append(EquitySample(mark: mark(Timestamp(seconds: 1_710_187_200)), drawdown: 0.0123454), to: &out)
        rows.append(EquitySample(mark: mark(Timestamp(seconds: 1_710_205_200)), drawdown: 0.0123454), to: &out)
        #expect(String(decoding: out.bytes, as: UTF8.self) == """
            a,v,2024-03-11,2024-03-11T20:00:00Z,1.50,0.00,1.50,0.00,-0.00000001,0.00,2,0.012345
            a,v,2024-03-11,2024-03-12T01:00:00Z,1.50,0.00,1.50,0.00,-0.00000001,0.00,2,0.012345

            """)
    }
}
