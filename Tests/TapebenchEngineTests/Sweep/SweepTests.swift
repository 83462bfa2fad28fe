import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchExecution

@Suite struct SweepTests {
    @Test("ranges include their stop; lists keep their order")
    func parsing() throws {
        #expect(try SweepParameter(parsing: "slippage.bps=0:4:2").values == [Fixed(0), Fixed(2), Fixed(4)])
        #expect(try SweepParameter(parsing: "commission.per_fill=0.5,0,1").values.map(\.description) == ["0.50", "0.00", "1.00"])
    }

    @Test("bad parameters say what is wrong", arguments: [
        "slippage.bpz=0:1:1", "slippage.bps=0:1", "slippage.bps=2:1:1", "slippage.bps=0:1:0", "slippage.bps=0.5,1", "commission.per_fill=-1",
    ])
    func bad(text: String) {
        #expect(throws: InputError.self) { try SweepParameter(parsing: text) }
    }

    @Test("a grid is every combination, the last parameter fastest, applied to the base model")
    func grid() throws {
        let grid = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "slippage.bps=0,5"), try SweepParameter(parsing: "market_timing.latency_bars=0:2:1")])
        #expect(grid.points.count == 6)
        #expect(grid.points[1] == [Fixed(0), Fixed(1)])
        let v = grid.variant(4)  // bps 5, latency 1
        #expect(v.name == "p5")
        #expect(v.slippage == .basisPoints(5))
        #expect(v.marketTiming == .latency(bars: 1))
        #expect(v.commission == FillModelSpec.seed.commission)
    }

    @Test("break-even by linear interpolation between grid points")
    func breakEven() {
        #expect(SweepGrid.breakEven(xs: [0, 1, 2, 3], ys: [0.02, 0.01, -0.01, -0.02]) == 1.5)
        #expect(SweepGrid.breakEven(xs: [0, 1], ys: [0.02, 0.01]) == nil)
        #expect(SweepGrid.breakEven(xs: [0, 1, 2], ys: [-0.01, 0, 0.01]) == 1)
    }
}
