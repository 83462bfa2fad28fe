import Testing
import TapebenchCore
@testable import TapebenchEngine

@Suite struct PriceSeriesTests {
    /// The series as it was written before it kept its period's bounds: both bars' periods divided out
    /// for every bar. The reference the bounds must agree with.
    struct Dividing {
        var points: [(time: Timestamp, close: Price)] = []
        var periodMinutes: Int64 = 15

        mutating func add(_ bar: Bar) {
            if let last = points.last, !samePeriod(last.time, bar.start), points.count == PriceSeries.capacity {
                points = stride(from: 1, to: points.count, by: 2).map { points[$0] }
                periodMinutes *= 2
            }
            if let last = points.last, samePeriod(last.time, bar.start) {
                points[points.count - 1] = (bar.start, bar.close)
            } else {
                points.append((bar.start, bar.close))
            }
        }

        func samePeriod(_ a: Timestamp, _ b: Timestamp) -> Bool {
            let period = periodMinutes * Timestamp.nanosecondsPerMinute
            return floorDivide(a.nanoseconds, period).quotient == floorDivide(b.nanoseconds, period).quotient
        }
    }

    func bar(_ nanoseconds: Int64, close: Int64) -> Bar {
        Bar(ticker: "T", start: Timestamp(nanoseconds: nanoseconds), open: Fixed(raw: close), high: Fixed(raw: close), low: Fixed(raw: close),
            close: Fixed(raw: close), volume: 1)
    }

    @Test("a series without a bar is empty, with no first or last point; with one bar, that bar is both")
    func emptyAndOne() {
        var series = PriceSeries()
        #expect(series.isEmpty && series.first == nil && series.last == nil && series.points.isEmpty)
        series.add(bar(60_000_000_000, close: 7))
        #expect(!series.isEmpty)
        #expect(series.first?.time == Timestamp(nanoseconds: 60_000_000_000) && series.first?.close == Fixed(raw: 7))
        #expect(series.last?.time == Timestamp(nanoseconds: 60_000_000_000) && series.last?.close == Fixed(raw: 7))
    }

    @Test("the same points and period as dividing for every bar: minutes, gaps, bars out of order, before 1970, many halvings",
          arguments: [Int64(0), Int64(-86_400_000_000_000 * 400), Int64(1_710_163_800_000_000_000)])
    func sameAsDividing(origin: Int64) {
        for seed: UInt64 in 1...4 {
            var rng = Xoshiro256(seed: seed)
            var series = PriceSeries(), reference = Dividing()
            var time = origin
            for step in 0..<20_000 {
                // Mostly the next minute; sometimes a jump of hours (many periods, so the series halves); now and
                // then a bar a few minutes back, or a few seconds into a minute.
                let roll = rng.next() % 100
                time += roll < 80 ? 60_000_000_000 : roll < 90 ? Int64(rng.next() % 600) * 60_000_000_000 : roll < 95 ? -180_000_000_000 : 7_000_000_000
                let b = bar(time, close: Int64(step))
                series.add(b)
                reference.add(b)
                // `first`, `last` and `isEmpty` (read without building `points`) agree with the points.
                guard series.points.count == reference.points.count, series.periodMinutes == reference.periodMinutes,
                      series.points.last?.time == reference.points.last?.time, !series.isEmpty,
                      series.first?.time == reference.points.first?.time, series.first?.close == reference.points.first?.close,
                      series.last?.time == reference.points.last?.time, series.last?.close == reference.points.last?.close else {
                    Issue.record("seed \(seed) step \(step): \(series.points.count) points every \(series.periodMinutes) min, not \(reference.points.count) every \(reference.periodMinutes)")
                    return
                }
            }
            #expect(series.points.map(\.time) == reference.points.map(\.time))
            #expect(series.points.map(\.close) == reference.points.map(\.close))
            #expect(series.periodMinutes > 15, "the stream must make the series halve")
        }
    }

    @Test("by hand: 15-minute periods; 09:30 and 09:44 share one, 09:45 starts the next; a bar back in time starts its own")
    func byHand() {
        var series = PriceSeries()
        let m = { (minute: Int64) in Int64(9 * 60 + minute) * 60_000_000_000 }
        series.add(bar(m(30), close: 1))
        series.add(bar(m(44), close: 2))
        series.add(bar(m(45), close: 3))
        series.add(bar(m(31), close: 4))
        #expect(series.points.map(\.time.nanoseconds) == [m(44), m(45), m(31)])
        #expect(series.points.map(\.close.raw) == [2, 3, 4])
    }

    @Test("room grows 32 points at a time: 169 points (13 days of 30-minute periods) in room for at most 200, never above 256")
    func room() {
        var series = PriceSeries()
        // 13 sessions of 390 minutes: 338 periods of 15 minutes, halved once (at 256) to 30-minute periods: 169 points.
        for day in Int64(0)..<13 {
            for minute in Int64(0)..<390 { series.add(bar((day * 1_440 + 570 + minute) * 60_000_000_000, close: minute)) }
        }
        #expect(series.periodMinutes == 30)
        #expect(series.points.count == 169)
        // Doubling gave room for 256 (the 129th point doubled 128).
        #expect(series.room <= 200)
        for _ in 0..<1_000 { series.add(bar(Int64(series.points.count) * 1_000_000_000_000_000, close: 1)) }
        #expect(series.room <= PriceSeries.capacity + 16)
    }

    @Test("minute times and raw closes take 12 bytes a point; a time off the minute switches to nanoseconds and keeps every time before it")
    func columns() {
        var series = PriceSeries()
        let minute = Int64(60_000_000_000)
        // 100 periods of 15 minutes from 2024-03-11 13:30 UTC, one bar each.
        let origin = Int64(1_710_163_800_000_000_000)
        for period in Int64(0)..<100 { series.add(bar(origin + period * 15 * minute, close: period)) }
        #expect(series.points.count == 100)
        // The arrays' capacities round up a little past the room asked for.
        #expect(series.heapBytes <= 12 * (series.room - 1) + 16)
        // Seven seconds into a minute: from here on every time is kept in nanoseconds.
        series.add(bar(origin + 100 * 15 * minute + 7_000_000_000, close: 100))
        series.add(bar(origin + 101 * 15 * minute, close: 101))
        #expect(series.points.map(\.time.nanoseconds) == (0..<100).map { origin + $0 * 15 * minute }
            + [origin + 100 * 15 * minute + 7_000_000_000, origin + 101 * 15 * minute])
        #expect(series.points.map(\.close.raw) == Array(0...101))
        #expect(series.heapBytes >= 16 * (series.room - 1))
        // Before 1970: negative minutes.
        var early = PriceSeries()
        early.add(bar(-3 * 15 * minute, close: 1))
        early.add(bar(-2 * 15 * minute, close: 2))
        #expect(early.points.map(\.time.nanoseconds) == [-3 * 15 * minute, -2 * 15 * minute])
    }

    @Test("closes in whole 1/10,000 dollars (then raw after one off that step, or beyond $214,748) give the dividing points, times on and off the minute",
          arguments: [UInt64(5), 6, 7, 8])
    func closesSameAsDividing(seed: UInt64) {
        var rng = Xoshiro256(seed: seed)
        var series = PriceSeries(), reference = Dividing()
        var time = Int64(1_710_163_800_000_000_000)
        // Where the stream leaves the narrow forms: a close off the step, a close too large, a time off the minute.
        let offStep = Int(rng.next() % 6_000), tooLarge = Int(rng.next() % 6_000), offMinute = seed == 8 ? Int(rng.next() % 6_000) : Int.max
        for step in 0..<6_000 {
            time += step == offMinute ? 7_000_000_000 : Int64(1 + rng.next() % 3) * 60_000_000_000
            // Cents around $100, negative now and then; the odd ones as the seed says.
            let cents = Int64(rng.next() % 20_001)
            let negative: Int64 = rng.next() % 50 == 0 ? 30_000 : 0
            var close: Int64 = (cents - negative) * 1_000_000
            if step == offStep, seed % 2 == 1 { close += 1 }
            if step == tooLarge, seed >= 7 { close = 300_000 * Fixed.scale }
            series.add(bar(time, close: close))
            reference.add(bar(time, close: close))
        }
        #expect(series.points.map(\.time) == reference.points.map(\.time))
        #expect(series.points.map(\.close) == reference.points.map(\.close))
        #expect(series.periodMinutes > 15, "the stream must make the series halve")
    }

    @Test("closes in cents and minute times take 8 bytes a point; a close of a fraction of 1/100 cent, or of $300,000, switches to raw closes and keeps every point")
    func narrowCloses() {
        let minute = Int64(60_000_000_000), origin = Int64(1_710_163_800_000_000_000)
        for odd in [Int64(123_456_789), 300_000 * Fixed.scale, -300_000 * Fixed.scale] {
            var series = PriceSeries()
            // $1.00, $1.01, … and −$0.50 (whole cents are whole 1/10,000 dollars).
            let closes: [Int64] = (Int64(0)..<100).map { (index: Int64) -> Int64 in index == 50 ? -50_000_000 : (100 + index) * 1_000_000 }
            for (period, close) in closes.enumerated() { series.add(bar(origin + Int64(period) * 15 * minute, close: close)) }
            #expect(series.heapBytes <= 8 * (series.room - 1) + 16)
            series.add(bar(origin + 100 * 15 * minute, close: odd))
            series.add(bar(origin + 101 * 15 * minute, close: 7 * 1_000_000))
            #expect(series.points.map(\.close.raw) == closes + [odd, 7 * 1_000_000])
            let times: [Int64] = (Int64(0)..<102).map { (period: Int64) -> Int64 in origin + period * 15 * minute }
            #expect(series.points.map(\.time.nanoseconds) == times)
            #expect(series.heapBytes >= 12 * (series.room - 1))
        }
    }
}
