import Foundation
import TapebenchCore
import TapebenchEngine

/// A distribution of shortfalls in basis points, summarized by its quantiles.
public struct ShortfallDistribution: Sendable, Hashable {
    public var label: String
    public var count: Int
    public var mean: Double
    /// 10th, 25th, 50th, 75th and 90th percentiles (type 7); all 0 for no values.
    public var quantiles: [Double]

    public static let levels = [0.1, 0.25, 0.5, 0.75, 0.9]

    public init(label: String, values: [Double]) {
        self.label = label
        count = values.count
        mean = values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
        let sorted = values.sorted()
        quantiles = ShortfallDistribution.levels.map { sorted.isEmpty ? 0 : Regression.quantile(sorted: sorted, $0) }
    }
}

/// The loop closed: the orders replayed by Tapebench under each fitted variant, and the shortfall each
/// replayed fill paid against its own reference price, beside the observed shortfalls.
public struct ReplayComparison: Sendable {
    public var observed: ShortfallDistribution
    public var replayed: [ShortfallDistribution]
    /// Orders the replay rejected or never filled, per variant (a replay that disagrees with the log).
    public var unfilled: [String: Int]

    /// Writes the tape and the scenario into a private temporary folder, replays it in process, and removes
    /// the folder. `dataPaths` must be absolute (the scenario lives elsewhere).
    public static func run(_ result: CalibrationResult, dataPaths: [String], source: String) throws -> ReplayComparison {
        // mkdtemp: a new folder only this process can read, named without any randomness of ours.
        var template = Array((FileManager.default.temporaryDirectory.path + "/tapebench-calibrate-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw InputError(file: FileManager.default.temporaryDirectory.path, message: "cannot create a temporary folder for the replay") }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(ReplayFiles.orderTape(result.orders).utf8).write(to: URL(fileURLWithPath: folder + "/orders.csv"))
        let text = ReplayFiles.scenario(result, name: "calibration-replay", dataPaths: dataPaths, source: source)
        let scenario = try Scenario.parse(yaml: text, file: folder + "/replay.yaml", contentHash: "")
        let run = try ScenarioRunner.run(scenario)
        return compare(result, run)
    }

    static func compare(_ result: CalibrationResult, _ run: RunResult) -> ReplayComparison {
        var replayed: [ShortfallDistribution] = []
        var unfilled: [String: Int] = [:]
        for lane in run.lanes {
            let values = lane.trades.map { trade -> Double in
                let fill = trade.fill
                let reference = fill.referencePrice.doubleValue
                return Double(fill.side.sign) * (fill.price.doubleValue - reference) / reference * 10_000
            }
            replayed.append(ShortfallDistribution(label: lane.variant, values: values))
            unfilled[lane.variant] = lane.orders.filter { $0.status != .filled }.count
        }
        return ReplayComparison(observed: ShortfallDistribution(label: "observed", values: result.orders.map(\.shortfallBps)),
                                replayed: replayed, unfilled: unfilled)
    }
}
