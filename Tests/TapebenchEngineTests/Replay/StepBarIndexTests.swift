import Testing
import TapebenchCore
@testable import TapebenchEngine

/// `StepBarIndex` finds the index `Minute.index(of:)` finds, for every id, over random steps.
@Suite struct StepBarIndexTests {
    @Test("the places of a step's bars agree with walking the bars (duplicates, unnumbered bars, ids past the table)")
    func agreesWithTheWalk() {
        var rng = Xoshiro256(seed: 9)
        var places = StepBarIndex()
        var compared = 0, found = 0
        for step in 0..<300 {
            let time = Timestamp(nanoseconds: Int64(step) * 60_000_000_000)
            let count = Int(rng.next() % 12)
            let bars = (0..<count).map { _ -> Bar in
                let raw = rng.next() % 10
                // Some bars unnumbered (made by hand), some ids repeated in a step.
                let id = raw == 9 ? TickerID.unassigned : TickerID(raw: UInt32(raw))
                return Bar(ticker: "T\(raw)", start: time, open: Fixed(1), high: Fixed(1), low: Fixed(1), close: Fixed(1), volume: 1, tickerID: id)
            }
            let minute = Minute(time: time, bars: bars)
            // Forgotten each step (as the lane does); prepared once, twice, or not at all (walked then). Half the
            // steps keep the last step's places unforgotten: a minute at another time is walked for.
            if step % 2 == 0 { places.forget() }
            for _ in 0..<(step % 3) { places.prepare(minute) }
            for raw: UInt32 in [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, UInt32.max] {
                let id = TickerID(raw: raw)
                let index = places.index(of: id, in: minute)
                #expect(index == minute.index(of: id), "step \(step), id \(raw)")
                compared += 1
                if index != nil { found += 1 }
            }
        }
        #expect(compared > 3_000 && found > 1_000)
    }

    @Test("a bar numbered far past any table is walked for, not placed")
    func farIDs() {
        let time = Timestamp(nanoseconds: 0)
        let far = TickerID(raw: UInt32.max - 1)
        let bars = [far, TickerID(raw: 2), far].map {
            Bar(ticker: "X", start: time, open: Fixed(1), high: Fixed(1), low: Fixed(1), close: Fixed(1), volume: 1, tickerID: $0)
        }
        let minute = Minute(time: time, bars: bars)
        var places = StepBarIndex()
        places.prepare(minute)
        #expect(places.index(of: far, in: minute) == 0)
        #expect(places.index(of: TickerID(raw: 2), in: minute) == 1)
        #expect(places.index(of: TickerID(raw: 3), in: minute) == nil)
    }
}
