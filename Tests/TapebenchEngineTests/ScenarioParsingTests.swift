import Testing
import TapebenchCore
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
        #expect(s.agents == [AgentConfig(id: "mr", kind: .vwapMeanReversion, vwap: {
            var p = VWAPMeanReversionParameters()
            p.lookbackBars = 20
            p.entryDeviationBasisPoints = 30
            return p
        }())])
        #expect(s.seed == 3)
    }

    @Test("defaults are the reference values")
    func defaults() throws {
        let s = try parse("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n")
        #expect(s.initialBalance == Fixed(100_000))
        #expect(s.risk == .reference)
        #expect(s.orchestrator == OrchestratorSettings())
        #expect(s.fillModels == [.seed])
    }

    @Test("errors name the file, the line and the field", arguments: [
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\n  colour: blue\nagents: []\n",
         "scenarios/demo.yaml:5: field 'data.colour': unknown key; expected one of: paths, tickers, from, to, dialect, validation"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nrisk:\n  max_position_pct: lots\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:6: field 'risk.max_position_pct': expected a number, got 'lots'"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nrisk:\n  max_position_pct: 150\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:6: field 'risk.max_position_pct': must be between 0.01 and 100.00, got 150.00"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\n  from: 2024-02-30\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:5: field 'data.from': expected a date as YYYY-MM-DD, got '2024-02-30'"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: momentum\n",
         "scenarios/demo.yaml:7: field 'agents[0].kind': unknown agent kind 'momentum'; expected one of: vwap_mean_reversion"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\nfill_model: magic\n",
         "scenarios/demo.yaml:8: field 'fill_model': unknown fill model 'magic'; expected one of: seed, conservative, backtrader"),
        ("data:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:1: field 'name': required key is missing"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A, a b]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:4: field 'data.tickers': 'a b' is not a ticker symbol (upper-case letters, digits, '.', '-')"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\n  from: 2024-03-05\n  to: 2024-03-04\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:6: field 'data.to': the period ends (2024-03-04) before it starts (2024-03-05)"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n    params:\n      lookback_bars: 500\n",
         "scenarios/demo.yaml:9: field 'agents[0].params.lookback_bars': must be between 2 and 100, got 500"),
        ("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n  - id: a\n    kind: vwap_mean_reversion\n",
         "scenarios/demo.yaml:8: field 'agents[1].id': agent id 'a' is used twice"),
        ("name: d\ndata: [\n", "scenarios/demo.yaml:3: not valid YAML: while parsing a flow node did not find expected node content"),
    ])
    func errors(yaml: String, message: String) {
        #expect(error(yaml) == message)
    }

    @Test("agent ids must be safe in CSV and file names")
    func agentID() {
        #expect(error("name: d\ndata:\n  paths: [x]\n  tickers: [A]\nagents:\n  - id: 'a,b'\n    kind: vwap_mean_reversion\n")
                == "scenarios/demo.yaml:6: field 'agents[0].id': 'a,b' is not an agent id (letters, digits, '_', '-', '.')")
    }
}
