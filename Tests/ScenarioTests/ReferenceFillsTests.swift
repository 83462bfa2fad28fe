import Testing
import TapebenchCore

/// The reference engines' fill lines as the differential tests read them.
@Suite struct ReferenceFillsTests {
    @Test("an entry's SL, TP and close fills are kept apart by line and kind; an unknown kind is refused")
    func kinds() throws {
        let text = """
            # backtesting.py 0.6.6
            2,1710163980000000000,10.04,100,0.0,
            2,1710164040000000000,10.2,-100,0.0,tp
            3,1710164100000000000,10.12,50,0.0,
            3,1710164280000000000,9.94,-50,0.0,close
            """
        let fills = try ReferenceFills(text)
        #expect(fills.fills.keys.sorted() == [2, 3] && fills.fills[2]!.count == 1)
        #expect(fills.contingent[2]!.map(\.kind) == ["tp"] && fills.contingent[2]![0].fill.price == 10.2)
        #expect(fills.contingent[2]![0].fill.time == 1_710_164_040_000_000_000 + Timestamp.nanosecondsPerMinute)
        #expect(fills.contingent[3]!.map(\.kind) == ["close"] && fills.contingent[3]![0].fill.quantity == -50)
        #expect(throws: ReferenceFills.Malformed.self) { try ReferenceFills("2,1710163980000000000,10.04,100,0.0,oops") }
    }
}
