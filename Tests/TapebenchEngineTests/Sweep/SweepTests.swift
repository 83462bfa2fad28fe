import Testing
import TapebenchCore
import TapebenchEngine
import TapebenchExecution

/// `n` as a sweep value.
func num(_ text: String) -> ParameterValue { .number(Fixed(parsing: text)!) }

@Suite struct SweepTests {
    @Test("ranges include their stop; lists keep their order")
    func parsing() throws {
        #expect(try SweepParameter(parsing: "slippage.bps=0:4:2").values == ["0", "2", "4"].map(num))
        #expect(try SweepParameter(parsing: "slippage.bps=0:2:0.5").values == ["0", "0.5", "1", "1.5", "2"].map(num))
        #expect(try SweepParameter(parsing: "commission.per_fill=0.5,0,1").values.map(\.text) == ["0.5", "0", "1"])
    }

    @Test("flags and words are listed, and parsed as the scenario parses them")
    func flagsAndWords() throws {
        #expect(try SweepParameter(parsing: "stop=at_stop,to_market").values == [.word("at_stop"), .word("to_market")])
        #expect(try SweepParameter(parsing: "slippage_on_open=true,false").values == [.flag(true), .flag(false)])
        #expect(throws: InputError(file: "--param", message: "'stop=at_stop,gap': stop: expected one of: at_stop, gap_aware, to_market; got 'gap'")) {
            try SweepParameter(parsing: "stop=at_stop,gap")
        }
        #expect(throws: InputError(file: "--param", message: "'slippage_on_open=0:1:1': slippage_on_open takes true or false: list them (slippage_on_open=true,false)")) {
            try SweepParameter(parsing: "slippage_on_open=0:1:1")
        }
    }

    @Test("bad parameters say what is wrong", arguments: [
        "slippage.bpz=0:1:1", "slippage.bps=0:1", "slippage.bps=2:1:1", "slippage.bps=0:1:0", "slippage.bps=0.00001,1", "commission.per_fill=-1",
        "commission.pct=0.125", "market_timing.latency_bars=0.5", "=1", "agent.=1", "agent.x=1", "agent.x.y=a",
    ])
    func bad(text: String) {
        #expect(throws: InputError.self) { try SweepParameter(parsing: text) }
    }

    @Test("an unknown name suggests the nearest one")
    func unknownName() {
        #expect(throws: InputError(file: "--param", message: "'slippage.bpz=1': unknown parameter 'slippage.bpz'; did you mean 'slippage.bps'? (or agent.<id>.<parameter>)")) {
            try SweepParameter(parsing: "slippage.bpz=1")
        }
    }

    @Test("agent.<id>.<parameter>: the id may hold dots, the parameter is after the last one")
    func agentNames() throws {
        let p = try SweepParameter(parsing: "agent.vwap.v2.lookback_bars=10:30:10")
        #expect(p.agentParameter?.agent == "vwap.v2")
        #expect(p.agentParameter?.parameter == "lookback_bars")
        #expect(p.values == ["10", "20", "30"].map(num))
        #expect(p.fillModelParameter == nil)
        #expect(try SweepParameter(parsing: "agent.a.exit_deviation_bps=-20,0").values == ["-20", "0"].map(num))
    }

    @Test("fractional bps apply exactly; more than four decimals is one line naming the parameter")
    func fractionalBasisPoints() throws {
        let grid = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "slippage.bps=0.25,1.5,0.0001")])
        #expect(grid.variants.map(\.slippage) == ["0.25", "1.5", "0.0001"].map { .basisPoints(Fixed(parsing: $0)!) })
        #expect(throws: InputError(file: "--param", message: "'slippage.bps=1,0.00001': slippage.bps: at most 4 decimals, got '0.00001'")) {
            try SweepParameter(parsing: "slippage.bps=1,0.00001")
        }
    }

    @Test("a grid is every combination, the last parameter fastest, applied to the base model")
    func grid() throws {
        let grid = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "slippage.bps=0,5"), try SweepParameter(parsing: "market_timing.latency_bars=0:2:1")])
        #expect(grid.points.count == 6)
        #expect(grid.points[1] == [num("0"), num("1")])
        let v = grid.variant(4)  // bps 5, latency 1
        #expect(v.name == "p5")
        #expect(v.slippage == .basisPoints(Fixed(5)))
        #expect(v.marketTiming == .latency(bars: 1))
        #expect(v.commission == FillModelSpec.seed.commission)
    }

    @Test("commission.pct keeps the base's regulatory fees (it once dropped them); per_share keeps minimum and maximum")
    func commissionFees() throws {
        var base = FillModelSpec.seed
        base.commission = .perShare(rate: Fixed(raw: 500_000), minimum: Fixed(1), maximumBasisPoints: 100, regulatoryFees: true)
        let pct = SweepGrid(base: base, parameters: [try SweepParameter(parsing: "commission.pct=0.1,0.25")])
        // 0.1 % and 0.25 % are 10 and 25 bp of the notional; SEC and FINRA fees stay on.
        #expect(pct.variants.map(\.commission) == [.percentOfNotional(basisPoints: 10, regulatoryFees: true), .percentOfNotional(basisPoints: 25, regulatoryFees: true)])
        let rate = SweepGrid(base: base, parameters: [try SweepParameter(parsing: "commission.per_share=0.01")])
        #expect(rate.variant(0).commission == .perShare(rate: Fixed(raw: 1_000_000), minimum: Fixed(1), maximumBasisPoints: 100, regulatoryFees: true))
    }

    @Test("a modifier needs its form, in the base or on another axis")
    func modifiers() throws {
        let alone = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "commission.minimum=0,1")])
        #expect(throws: InputError(file: "--param", message: "'commission.minimum' refines commission.per_share, which the scenario's first fill model 'seed' does not use; sweep commission.per_share as well, or set it in the scenario")) {
            try alone.check()
        }
        let both = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "commission.minimum=0,1"), try SweepParameter(parsing: "commission.per_share=0.005")])
        try both.check()
        #expect(both.variant(1).commission == .perShare(rate: Fixed(raw: 500_000), minimum: Fixed(1), maximumBasisPoints: 10_000, regulatoryFees: false))
    }

    @Test("a name given twice, or two forms of one part, is refused: one of the axes would be flat")
    func conflictingAxes() throws {
        let twice = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "slippage.bps=0,1"), try SweepParameter(parsing: "slippage.bps=2")])
        #expect(throws: InputError(file: "--param", message: "'slippage.bps' is given twice")) { try twice.check() }
        let forms = SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "slippage.bps=0,1"), try SweepParameter(parsing: "slippage.cents=0,0.01")])
        #expect(throws: InputError(file: "--param", message: "'slippage.bps' and 'slippage.cents' are two forms of slippage, and a point has one; sweep one of them")) {
            try forms.check()
        }
        // A form and its modifier, or forms of different parts, go together.
        try SweepGrid(base: .seed, parameters: [try SweepParameter(parsing: "slippage.bps=0,1"), try SweepParameter(parsing: "commission.pct=0,0.1")]).check()
    }

    @Test("the engine presets' slippage: backtrader's slip_perc and slip_fixed, backtesting.py's spread")
    func enginePresets() throws {
        let bt = SweepGrid(base: .backtrader, parameters: [try SweepParameter(parsing: "backtrader.slip_perc=0,0.0001"),
                                                           try SweepParameter(parsing: "backtrader.slip_fixed=0.01")])
        try bt.check()
        #expect(bt.variant(1).backtraderBroker?.slipPercent == Fixed(raw: 10_000))
        #expect(bt.variant(1).backtraderBroker?.slipFixed == Fixed(raw: 1_000_000))
        #expect(bt.variant(0).backtraderBroker?.slipPercent == .zero)
        let bp = SweepGrid(base: .backtesting, parameters: [try SweepParameter(parsing: "backtesting.spread=0:0.0004:0.0002")])
        try bp.check()
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
