import Foundation
import TapebenchTestSupport
import TapebenchCalibration
import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchExecution
import TapebenchReports
import Testing

/// Fills from Tapebench's own replay: the VWAP agent on the synthetic dataset under a fill model with a known
/// slippage, its fills.csv read back as a fill log. The fit must give that slippage back, to the rounding of
/// the replay's prices (1e-8).
@Suite(.serialized) struct OwnReplayTests {
    static func replayFills(_ slippage: String) throws -> (log: FillLog, bars: RecordedBars, folder: String) {
        let (folder, bars) = try SyntheticFills.dataset()
        let yaml = """
            name: own
            data:
              paths: [\(folder)]
              tickers: [\(SyntheticFills.tickers.joined(separator: ", "))]
            agents:
              - id: vwap
                kind: vwap_mean_reversion
            fill_models:
              - name: known
                preset: seed
                slippage: {\(slippage)}
            """
        let run = try ScenarioRunner.run(try Scenario.parse(yaml: yaml, file: folder + "/own.yaml", contentHash: ""))
        let csv = folder + "/fills.csv"
        try FillsCSV.render(run).write(toFile: csv, atomically: true, encoding: .utf8)
        return (try FillLogReader.read(path: csv), bars, folder)
    }

    @Test("sqrt_impact 0.8 in a replay: its fills.csv calibrates to k = 0.8, best by AIC")
    func sqrtImpactFromReplay() throws {
        let (log, bars, folder) = try Self.replayFills("sqrt_impact: 0.8")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(log.layout == .tapebench)
        #expect(log.problems.isEmpty, "\(log.problems)")
        let matched = OrderMatching.observations(log.fills, bars: bars, reference: .nextOpen, file: log.file)
        #expect(matched.problems.isEmpty, "\(matched.problems)")
        var settings = CalibrationSettings()
        settings.bootstrapSamples = 200
        let result = try Calibration.fit(matched.orders, settings: settings, file: log.file)
        #expect(result.orders.count >= 20)
        let k = try #require(result.fits.first { $0.model == .sqrtImpact }?.leastSquares)
        #expect(abs(k.parameter - 0.8) < 1e-4, "k = \(k.parameter)")
        #expect(k.low <= 0.8 + 1e-4 && 0.8 - 1e-4 <= k.high)
        #expect(k.quality.rmse < 0.01)
        #expect(result.best?.model == .sqrtImpact)
    }

    /// The bps model alone fitted to a replay's fills under `slippage`, and the replay's folder (the caller
    /// removes it).
    static func bpsFit(_ slippage: String) throws -> (CalibrationResult, folder: String) {
        let (log, bars, folder) = try replayFills(slippage)
        let matched = OrderMatching.observations(log.fills, bars: bars, reference: .nextOpen, file: log.file)
        var settings = CalibrationSettings()
        settings.bootstrapSamples = 100
        settings.models = [.bps]
        return (try Calibration.fit(matched.orders, settings: settings, file: log.file), folder)
    }

    @Test("seed's 1 bp in a replay calibrates to bps 1 with no residual")
    func seedFromReplay() throws {
        let (result, folder) = try Self.bpsFit("bps: 1")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let b = try #require(result.fits.first?.leastSquares)
        #expect(abs(b.parameter - 1) < 1e-4)
        #expect(FillModelsBlock.scenarioValue(.bps, b.parameter).text == "1")
    }

    @Test("a fractional 1.37 bp in a replay: calibrate writes bps: 1.37, which parses back to exactly that")
    func fractionalFromReplay() throws {
        let (result, folder) = try Self.bpsFit("bps: 1.37")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let b = try #require(result.fits.first?.leastSquares)
        #expect(abs(b.parameter - 1.37) < 1e-4, "b = \(b.parameter)")
        let block = FillModelsBlock.text(result, source: "fills.csv")
        #expect(block.contains("    slippage: {bps: 1.37}\n"), "\(block)")
        #expect(!block.contains("whole"))
        let yaml = "name: pasted\ndata:\n  paths: [\(folder)]\n  tickers: [AAA]\nagents:\n  - id: a\n    kind: vwap_mean_reversion\n" + block
        let scenario = try Scenario.parse(yaml: yaml, file: folder + "/s.yaml", contentHash: "")
        #expect(scenario.fillModels.map(\.slippage) == [.basisPoints(Fixed(parsing: "1.37")!)])
    }

    @Test("a fills.csv of several fill models is one problem naming both, not a mixed fit")
    func severalVariants() throws {
        let folder = TestScratch.root + "tapebench-variants-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            order_id,agent,variant,time,ticker,side,type,quantity,price,commission,slippage,rule
            1,a,seed,2024-03-04T14:31:00Z,AAA,buy,market,10,100.01,0.50,0.1,market_next_open
            1,a,conservative,2024-03-04T14:31:00Z,AAA,buy,market,10,100.02,0.50,0.2,market_next_open

            """.write(toFile: folder, atomically: true, encoding: .utf8)
        let log = try FillLogReader.read(path: folder)
        #expect(log.problems.map(\.description) == ["\(folder):3: field 'variant': this fills.csv holds fills of fill model 'seed' (line 2) and 'conservative'; calibrate one fill model's fills at a time"])
    }
}
