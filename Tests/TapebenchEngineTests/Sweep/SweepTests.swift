import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchExecution

@Suite struct SweepTests {
    @Test("ranges include their stop; lists keep their order")
    func parsing() throws {
        #expect(try SweepParameter(parsing: "slippage.bps=0:4:2").values == [Fixed(0), Fixed(2), Fixed(4)])
        #expect(try SweepParameter(parsing: "slippage.bps=0:2:0.5").values == ["0", "0.5", "1", "1.5", "2"].map { Fixed(parsing: $0)! })
        #expect(try SweepParameter(parsing: "commission.per_fill=0.5,0,1").values.map(\.description) == ["0.50", "0.00", "1.00"])
    }

    @Test("bad parameters say what is wrong", arguments: [
        "slippage.bpz=0:1:1", "slippage.bps=0:1", "slippage.bps=2:1:1", "slippage.bps=0:1:0", "slippage.bps=0.00001,1", "commission.per_fill=-1",
    ])
    func bad(text: String) {
        #expect(throws: InputError.self) { try SweepParameter(parsing: text) }
    }

    @Test("fractional bps apply exactly; more than four decimals is one line naming the parameter")
    func fractionalBasisPoints() throws {
        let grid = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "slippage.bps=0.25,1.5,0.0001")])
        #expect(grid.variants.map(\.slippage) == ["0.25", "1.5", "0.0001"].map { .basisPoints(Fixed(parsing: $0)!) })
        #expect(throws: InputError(file: "--param", message: "'slippage.bps=1,0.00001': slippage.bps takes at most 4 decimals, got 0.00001")) {
            try SweepParameter(parsing: "slippage.bps=1,0.00001")
        }
    }

    @Test("a grid is every combination, the last parameter fastest, applied to the base model")
    func grid() throws {
        let grid = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "slippage.bps=0,5"), try SweepParameter(parsing: "market_timing.latency_bars=0:2:1")])
        #expect(grid.points.count == 6)
        #expect(grid.points[1] == [Fixed(0), Fixed(1)])
        let v = grid.variant(4)  // bps 5, latency 1
        #expect(v.name == "p5")
        #expect(v.slippage == .basisPoints(Fixed(5)))
        #expect(v.marketTiming == .latency(bars: 1))
        #expect(v.commission == FillModelSpec.seed.commission)
    }

    @Test("the engine presets' slippage: backtrader's slip_perc and slip_fixed, backtesting.py's spread")
    func enginePresets() throws {
        let bt = SweepGrid(base: .backtrader, parameters: [try SweepParameter(parsing: "backtrader.slip_perc=0,0.0001"),
                                                           try SweepParameter(parsing: "backtrader.slip_fixed=0.01")])
        for parameter in bt.parameters { try parameter.check(base: bt.base) }
        #expect(bt.variant(1).backtraderBroker?.slipPercent == Fixed(raw: 10_000))
        #expect(bt.variant(1).backtraderBroker?.slipFixed == Fixed(raw: 1_000_000))
        #expect(bt.variant(0).backtraderBroker?.slipPercent == .zero)
        let bp = SweepGrid(base: .backtesting, parameters: [try SweepParameter(parsing: "backtesting.spread=0:0.0004:0.0002")])
        try bp.parameters[0].check(base: bp.base)
        #expect(bp.variants.map { $0.backtestingBroker!.spread } == [.zero, Fixed(raw: 20_000), Fixed(raw: 40_000)])
    }

    @Test("a parameter the base model never reads is refused, naming what to sweep instead", arguments: [
        ("backtrader.slip_perc=0.0001", FillModelSpec.seed, "'backtrader.slip_perc' needs a base fill model of preset backtrader; the scenario's first fill model is 'seed'"),
        ("backtesting.spread=0.0001", FillModelSpec.backtrader, "'backtesting.spread' needs a base fill model of preset backtesting; the scenario's first fill model is 'backtrader'"),
        ("slippage.bps=0:5:1", FillModelSpec.backtrader, "'slippage.bps': the backtrader preset's broker decides this part of 'backtrader'; sweep backtrader.slip_perc or backtrader.slip_fixed"),
        ("market_timing.latency_bars=1", FillModelSpec.backtesting, "'market_timing.latency_bars': the backtesting preset's broker decides this part of 'backtesting'; sweep backtesting.spread"),
    ])
    func refused(text: String, base: FillModelSpec, message: String) throws {
        let parameter = try SweepParameter(parsing: text)
        #expect(throws: InputError(file: "--param", message: message)) { try parameter.check(base: base) }
    }

    @Test("break-even by linear interpolation between grid points")
    func breakEven() {
        #expect(SweepGrid.breakEven(xs: [0, 1, 2, 3], ys: [0.02, 0.01, -0.01, -0.02]) == 1.5)
        #expect(SweepGrid.breakEven(xs: [0, 1], ys: [0.02, 0.01]) == nil)
        #expect(SweepGrid.breakEven(xs: [0, 1, 2], ys: [-0.01, 0, 0.01]) == 1)
    }
}
