import Testing
import TapebenchCore
import TapebenchExecution
@testable import TapebenchEngine

@Suite struct ScenarioParsingTests {
    static let valid = """
        name: demo
        data:
          paths: [../datasets/default]
          tickers: [AAPL, MSFT]
          from: 2024-03-04
          to: 2024-03-08
        seed: 3
        account:
          initial_balance: 50000.50
        risk:
          max_position_pct: 25
          max_open_positions: 4
          min_cash_reserve_pct: 2.5
        agents:
          - id: mr
            kind: vwap_mean_reversion
            params:
              lookback_bars: 20
              entry_deviation_bps: 30
        fill_model: seed
        """

    func parse(_ yaml: String) throws -> Scenario {
        try Scenario.parse(yaml: yaml, file: "scenarios/demo.yaml", contentHash: "h")
    }

    func error(_ yaml: String) -> String? {
        do {
            _ = try parse(yaml)
            return nil
        } catch let error as InputError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test("a valid scenario reads every field, paths relative to the file")
    func valid() throws {
        let s = try parse(Self.valid)
        #expect(s.name == "demo")
        #expect(s.dataPaths == ["scenarios/../datasets/default"])
        #expect(s.tickers == ["AAPL", "MSFT"])
        #expect(s.from == CivilDate(iso: "2024-03-04"))
        #expect(s.initialBalance == Fixed(parsing: "50000.50"))
        #expect(s.risk.maxPositionBasisPoints == 2_500)
        #expect(s.risk.maxOpenPositions == 4)
        #expect(s.risk.minCashReserveBasisPoints == 250)
        #expect(s.agents.map(\.id) == ["mr"])
        #expect(s.agents.map(\.kind) == ["vwap_mean_reversion"])
        #expect(s.agents.map { $0.definition as? VWAPMeanReversionParameters } == [{
            var p = VWAPMeanReversionParameters()
            p.lookbackBars = 20
            p.entryDeviationBasisPoints = 30
            return p
        }()])
        #expect(s.seed == 3)
    }

    @Test("defaults are the reference values")
    func defaults() throws {
        let s = try parse("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n")
        #expect(s.initialBalance == Fixed(100_000))
        #expect(s.risk == .reference)
        #expect(s.orchestrator == OrchestratorSettings())
        #expect(s.fillModels == [.seed])
        #expect(s.orchestrator.exits == .market)
    }

    @Test("orchestrator.exits: resting selects the resting bracket")
    func restingExits() throws {
        let s = try parse("name: d\ndata:\n  paths: [x]\n  tickers: [A]\norchestrator:\n  exits: resting\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n")
        #expect(s.orchestrator.exits == .resting)
    }

    @Test("missing_minutes: next_bar, cancel, {wait: N}")
    func missingMinutes() throws {
        func policy(_ text: String) throws -> MissingMinutePolicy {
            try parse("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nmissing_minutes: \(text)\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n").orchestrator.missingMinutes
        }
        #expect(try policy("next_bar") == .nextBar)
        #expect(try policy("cancel") == .cancel)
        #expect(try policy("{wait: 5}") == .wait(minutes: 5))
        #expect(try policy("{wait: 0}") == .cancel)
    }

    @Test("errors name the file, the line and the field", arguments: [
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\n  colour: blue\nagents: []\n",
         "scenarios/demo.yaml:5: field 'data.colour': unknown key; expected one of: paths, tickers, from, to, dialect, validation, session"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nrisk:\n  max_position_pct: lots\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:6: field 'risk.max_position_pct': expected a number, got 'lots'"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nrisk:\n  max_position_pct: 150\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:6: field 'risk.max_position_pct': must be between 0.01 and 100.00, got 150.00"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\n  from: 2024-02-30\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:5: field 'data.from': expected a date as YYYY-MM-DD, got '2024-02-30'"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: momentum\n",
         "scenarios/demo.yaml:7: field 'agents[0].kind': unknown agent kind 'momentum'; expected one of: vwap_mean_reversion, volume_surge, breakout, order_tape, signal_tape, process"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\nfill_model: magic\n",
         "scenarios/demo.yaml:8: field 'fill_model': unknown fill model 'magic'; expected one of: seed, conservative, backtrader, backtesting"),
        ("data:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:1: field 'name': required key is missing"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A, a b]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:4: field 'data.tickers': 'a b' is not a ticker symbol: use only upper-case letters, digits, '.', '-'"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\n  from: 2024-03-05\n  to: 2024-03-04\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:6: field 'data.to': the period ends (2024-03-04) before it starts (2024-03-05)"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n    params:\n      lookback_bars: 500\n",
         "scenarios/demo.yaml:9: field 'agents[0].params.lookback_bars': must be between 2 and 100, got 500"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:8: field 'agents[1].id': agent id 'a' is used twice"),
        ("name: d\ndata: [\n", "scenarios/demo.yaml:3: not valid YAML: while parsing a flow node did not find expected node content"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\norchestrator:\n  exits: bracket\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:6: field 'orchestrator.exits': expected one of: market, resting, got 'bracket'"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nmissing_minutes: skip\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:5: field 'missing_minutes': expected next_bar, cancel or {wait: N}, got 'skip'"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nmissing_minutes: {wait: 400}\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:5: field 'missing_minutes.wait': must be between 0 and 390, got 400"),
    ])
    func errors(yaml: String, message: String) {
        #expect(error(yaml) == message)
    }

    @Test("agent ids must be safe in CSV and file names")
    func agentID() {
        #expect(error("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: 'a,b'\n    kind: vwap_mean_reversion\n")
                == "scenarios/demo.yaml:6: field 'agents[0].id': 'a,b' is not an agent id: use only letters, digits, '_', '-', '.'")
    }
}

@Suite struct FillModelParsingTests {
    func parse(_ fillModels: String) throws -> [FillModelSpec] {
        try Scenario.parse(yaml: "name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n" + fillModels,
                           file: "s.yaml", contentHash: "h").fillModels
    }

    @Test("bps takes up to four decimals, exactly", arguments: [("1.5", "1.5"), ("0.25", "0.25"), ("1.3700", "1.37"), ("15e-1", "1.5"), ("0.0001", "0.0001"), ("10000", "10000")])
    func fractionalBasisPoints(text: String, value: String) throws {
        let specs = try parse("fill_models:\n  - name: x\n    slippage: {bps: \(text)}\n")
        #expect(specs[0].slippage == .basisPoints(Fixed(parsing: value)!))
    }

    @Test("bps with more decimals, negative or beyond 10 000 is one line naming the field", arguments: [
        ("0.00001", "s.yaml:10: field 'fill_models[0].slippage.bps': at most 4 decimals, got '0.00001'"),
        ("1e-9", "s.yaml:10: field 'fill_models[0].slippage.bps': at most 4 decimals, got '1e-9'"),
        ("-1", "s.yaml:10: field 'fill_models[0].slippage.bps': must be between 0.00 and 10000.00, got -1.00"),
        ("10000.5", "s.yaml:10: field 'fill_models[0].slippage.bps': must be between 0.00 and 10000.00, got 10000.50"),
    ])
    func badBasisPoints(text: String, message: String) {
        #expect {
            try parse("fill_models:\n  - name: x\n    slippage: {bps: \(text)}\n")
        } throws: { error in
            let description = (error as? InputError)?.description
            if description != message { Issue.record("got \(description ?? "\(error)")") }
            return description == message
        }
    }

    @Test("presets by name, and variants overriding named parts")
    func variants() throws {
        let specs = try parse("""
            fill_models:
              - seed
              - conservative
              - name: late-5bp
                preset: seed
                market_timing: {latency_bars: 2}
                slippage: {bps: 5}
                stop: gap_aware
                intrabar_path: worst
                participation: {max_pct: 2.5, cancel_at_session_end: true}
                commission: {per_share: 0.005, minimum: 1, maximum_pct: 1, regulatory_fees: true}
                limit: {through_ticks: 2, gap_fills_at_open: true}
            """)
        #expect(specs.map(\.name) == ["seed", "conservative", "late-5bp"])
        #expect(specs[0] == .seed)
        #expect(specs[1] == .conservative)
        let v = specs[2]
        #expect(v.marketTiming == .latency(bars: 2))
        #expect(v.slippage == .basisPoints(Fixed(5)))
        #expect(v.stop == .gapAware)
        #expect(v.intrabarPath == .worstCase)
        #expect(v.participation == Participation(maxBasisPoints: 250, cancelAtSessionEnd: true))
        #expect(v.commission == .perShare(rate: Fixed(parsing: "0.005")!, minimum: Fixed(1), maximumBasisPoints: 100, regulatoryFees: true))
        #expect(v.limit == LimitRule(throughTicks: 2, gapFillsAtOpen: true))
    }

    @Test("backtrader's and backtesting.py's broker settings, under their presets")
    func brokers() throws {
        let specs = try parse("""
            fill_models:
              - backtrader
              - name: bt
                preset: backtrader
                backtrader: {slip_perc: 0.0005, slip_open: true, slip_match: false, slip_limit: false, slip_out: true, defects: false}
                commission: {per_share: 0.005}
              - backtesting
              - name: bp
                preset: backtesting
                backtesting: {spread: 0.0002, trade_on_close: true, defects: false}
            """)
        #expect(specs[0] == .backtrader)
        let b = try #require(specs[1].backtraderBroker)
        #expect(b.slipPercent == Fixed(raw: 50_000) && b.slipFixed == .zero)
        #expect(b.slipOpen && !b.slipMatch && !b.slipLimit && b.slipOut && !b.defects)
        #expect(specs[1].commission == .perShare(rate: Fixed(raw: 500_000), minimum: .zero, maximumBasisPoints: 10_000, regulatoryFees: false))
        #expect(specs[2] == .backtesting)
        let t = try #require(specs[3].backtestingBroker)
        #expect(t.spread == Fixed(raw: 20_000) && !t.defects)
        #expect(specs[3].marketTiming == .sameBarClose)
    }

    @Test("bad variants are errors naming the line and the field", arguments: [
        ("fill_models:\n  - magic\n", "s.yaml:9: field 'fill_models[0]': unknown preset 'magic'; expected one of: seed, conservative, backtrader, backtesting"),
        ("fill_models:\n  - name: x\n    slippage: {bps: 1, cents: 0.01}\n", "s.yaml:10: field 'fill_models[0].slippage': give exactly one of: bps, cents, half_range, volume_share, sqrt_impact"),
        ("fill_models:\n  - name: x\n    stop: sometimes\n", "s.yaml:10: field 'fill_models[0].stop': expected one of: at_stop, gap_aware, to_market; got 'sometimes'"),
        ("fill_models:\n  - seed\n  - seed\n", "s.yaml:10: field 'fill_models[1]': variant name 'seed' is used twice"),
        ("fill_models:\n  - name: x\n    colour: red\n", "s.yaml:10: field 'fill_models[0].colour': unknown key; expected one of: name, preset, market_timing, limit, stop, intrabar_path, participation, slippage, slippage_on_open, slippage_capped_to_bar, commission, tick_size, backtrader, backtesting"),
        ("fill_model: seed\nfill_models: [seed]\n", "s.yaml:9: field 'fill_models': give fill_model or fill_models, not both"),
        ("fill_models:\n  - name: x\n    backtrader: {slip_perc: 0.001}\n", "s.yaml:10: field 'fill_models[0].backtrader': only a variant of preset backtrader takes backtrader's broker settings"),
        ("fill_models:\n  - name: x\n    preset: backtrader\n    slippage: {bps: 1}\n", "s.yaml:11: field 'fill_models[0].slippage': backtrader's broker decides this part under the backtrader preset; set its slippage with backtrader: {slip_perc, slip_fixed, slip_open, slip_match, slip_limit, slip_out}"),
        ("fill_models:\n  - name: x\n    preset: backtrader\n    backtrader: {slip_perc: 0.5}\n", "s.yaml:11: field 'fill_models[0].backtrader.slip_perc': must be between 0.00 and 0.10, got 0.50"),
        ("fill_models:\n  - name: x\n    preset: backtesting\n    backtesting: {spred: 0.1}\n", "s.yaml:11: field 'fill_models[0].backtesting.spred': unknown key; expected one of: spread, trade_on_close, exclusive_orders, hedging, defects"),
        ("fill_models:\n  - name: x\n    preset: backtesting\n    backtesting: {hedging: true}\n", "s.yaml:11: field 'fill_models[0].backtesting.hedging': not supported: Tapebench's account nets each ticker's trades (backtesting.py's default hedging=False); hedging=True keeps opposite trades open side by side"),
        ("fill_models:\n  - name: x\n    preset: backtesting\n    backtesting: {exclusive_orders: sometimes}\n", "s.yaml:11: field 'fill_models[0].backtesting.exclusive_orders': expected true or false, got 'sometimes'"),
    ])
    func errors(yaml: String, message: String) {
        do {
            _ = try parse(yaml)
            Issue.record("no error")
        } catch {
            #expect("\(error)" == message)
        }
    }
}
