import Foundation
import TapebenchCalibration
import TapebenchCore
import TapebenchEngine
import TapebenchExecution
import Testing

/// Calibrate recovers parameters it did not see: fills priced by Execution's own models over the synthetic
/// dataset, with seeded noise.
@Suite(.serialized) struct KnownAnswerTests {
    static func calibrate(_ slippage: SlippageSpec, noiseBps: Double = 1, seed: UInt64 = 5) throws -> (CalibrationResult, String) {
        let (folder, bars) = try SyntheticFills.dataset()
        let fills = SyntheticFills.fills(bars, slippage: slippage, count: 400, noiseBps: noiseBps, seed: seed)
        let matched = OrderMatching.observations(fills, bars: bars, reference: .nextOpen, file: "synthetic.csv")
        #expect(matched.problems.isEmpty, "\(matched.problems)")
        var settings = CalibrationSettings()
        settings.bootstrapSamples = 400
        return (try Calibration.fit(matched.orders, settings: settings, file: "synthetic.csv"), folder)
    }

    static func fit(_ result: CalibrationResult, _ model: SlippageFitModel) throws -> EstimatorFit {
        try #require(result.fits.first { $0.model == model }?.leastSquares)
    }

    @Test("square-root impact k = 0.8: recovered inside its interval, and every other model has a higher AIC")
    func sqrtImpact() throws {
        let (result, folder) = try Self.calibrate(.squareRootImpact(k: Fixed(parsing: "0.8")!))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let k = try Self.fit(result, .sqrtImpact)
        #expect(k.low <= 0.8 && 0.8 <= k.high, "k = \(k.parameter) [\(k.low), \(k.high)]")
        #expect(abs(k.parameter - 0.8) < 0.1)
        let huber = try #require(result.fits.first { $0.model == .sqrtImpact }?.huber)
        #expect(huber.low <= 0.8 && 0.8 <= huber.high, "Huber k = \(huber.parameter) [\(huber.low), \(huber.high)]")
        #expect(result.best?.model == .sqrtImpact)
        for other in [SlippageFitModel.bps, .halfSpread, .volumeShare] {
            #expect(try Self.fit(result, other).quality.aic > k.quality.aic, "\(other) should score worse")
        }
    }

    @Test("volume share i = 0.1: recovered inside its interval; square-root impact scores worse")
    func volumeShare() throws {
        let (result, folder) = try Self.calibrate(.volumeShare(impact: Fixed(parsing: "0.1")!), seed: 6)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let i = try Self.fit(result, .volumeShare)
        #expect(i.low <= 0.1 && 0.1 <= i.high, "i = \(i.parameter) [\(i.low), \(i.high)]")
        #expect(abs(i.parameter - 0.1) < 0.02)
        #expect(result.best?.model == .volumeShare)
        #expect(try Self.fit(result, .sqrtImpact).quality.aic > i.quality.aic)
    }

    @Test("a fixed 3 bp: the bps model recovers 3 and its block gives the fit to four decimals")
    func fixedBasisPoints() throws {
        let (result, folder) = try Self.calibrate(.basisPoints(Fixed(3)), noiseBps: 0.5, seed: 7)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let b = try Self.fit(result, .bps)
        #expect(b.low <= 3 && 3 <= b.high, "b = \(b.parameter) [\(b.low), \(b.high)]")
        #expect(FillModelsBlock.scenarioValue(.bps, b.parameter).text == FillModelsBlock.decimal(b.parameter, digits: 4))
        #expect(result.best?.model == .bps)
    }

    @Test("the fill_models block parses with the scenario parser into the fitted slippage specs")
    func blockParses() throws {
        let (result, folder) = try Self.calibrate(.squareRootImpact(k: Fixed(parsing: "0.8")!))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let block = FillModelsBlock.text(result, source: "synthetic.csv")
        let yaml = """
            name: pasted
            data:
              paths: [\(folder)]
              tickers: [AAA]
            agents:
              - id: a
                kind: vwap_mean_reversion
            \(block)
            """
        let scenario = try Scenario.parse(yaml: yaml, file: folder + "/s.yaml", contentHash: "")
        let fitted = FillModelsBlock.ordered(result)
        #expect(scenario.fillModels.map(\.name) == fitted.map { FillModelsBlock.variantName($0.model) })
        for (spec, fit) in zip(scenario.fillModels, fitted) {
            let written = FillModelsBlock.scenarioValue(fit.model, fit.leastSquares!.parameter).text
            #expect(spec.slippage == fit.model.spec(Fixed(parsing: written)!), "\(spec.name)")
            #expect(spec.marketTiming == .nextOpen)
        }
        #expect(scenario.fillModels[0].slippage == .squareRootImpact(k: Fixed(parsing: FillModelsBlock.scenarioValue(.sqrtImpact, try Self.fit(result, .sqrtImpact).parameter).text)!))
    }

    @Test("closing the loop: the order tape replayed under the fitted model fills every order, near the observed mean shortfall")
    func replayLoop() throws {
        let (result, folder) = try Self.calibrate(.squareRootImpact(k: Fixed(parsing: "0.8")!))
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let comparison = try ReplayComparison.run(result, dataPaths: [folder], source: "synthetic.csv")
        let sqrt = try #require(comparison.replayed.first { $0.label == "fit-sqrt-impact" })
        #expect(sqrt.count == result.orders.count)
        #expect(comparison.unfilled["fit-sqrt-impact"] == 0)
        #expect(abs(sqrt.mean - comparison.observed.mean) < 0.5, "replayed \(sqrt.mean) vs observed \(comparison.observed.mean)")
    }
}
