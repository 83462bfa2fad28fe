import Foundation
import Testing
import TapebenchEngine

/// Each agent on a dataset built to trigger it: a quiet morning, then the pattern, then a fade.
@Suite struct AgentScenarioTests {
    func run(kind: String, pattern: (Int) -> (close: String, volume: Int)) throws -> AgentRun {
        let folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        var flat = "ticker,volume,open,close,high,low,window_start,transactions\n"
        var previous = "100.00"
        for m in 0..<120 {
            let (close, volume) = pattern(m)
            let o = Double(previous)!, c = Double(close)!
            flat += "TST,\(volume),\(previous),\(close),\(String(format: "%.2f", max(o, c))),\(String(format: "%.2f", min(o, c))),\((1_710_163_800 + Int64(m) * 60) * 1_000_000_000),\n"
            previous = close
        }
        try flat.write(toFile: folder + "/data/2024-03-11.csv", atomically: true, encoding: .utf8)
        try """
            name: \(kind)
            data: {paths: [data], tickers: [TST]}
            agents: [{id: a, kind: \(kind)}]
            orchestrator: {scan_every_bars: 1}
            """.write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        return try ScenarioRunner.run(try Scenario.load(path: folder + "/s.yaml")).runs[0]
    }

    @Test("volume surge: buys the surge bar, sells when the price falls back under its average")
    func volumeSurge() throws {
        let run = try run(kind: "volume_surge") { m in
            switch m {
            case 0..<60: return ("100.00", 1_000)
            case 60: return ("100.50", 5_000)      // the surge
            case 61..<80: return ("100.60", 1_000)
            default: return ("99.80", 1_000)       // the fade
            }
        }
        #expect(run.orders.map(\.purpose) == ["signal_entry", "signal_exit"])
        #expect(run.orders[0].signal == "volume_surge=500%")
        #expect(run.orders[0].submittedAt.iso8601 == "2024-03-11T14:31:00Z")
        #expect(run.orders.allSatisfy { $0.status == .filled })
    }

    @Test("breakout: buys the close above the range, sells the break below the shorter range")
    func breakout() throws {
        let run = try run(kind: "breakout") { m in
            switch m {
            case 0..<60: return (m % 2 == 0 ? "100.00" : "100.10", 1_000)   // a 10-cent range
            case 60..<80: return ("100.50", 1_000)                           // the breakout, then a plateau
            default: return ("100.20", 1_000)                                // back under the plateau's low
            }
        }
        #expect(run.orders.map(\.purpose) == ["signal_entry", "signal_exit"])
        #expect(run.orders[0].signal == "breakout=100.10")
        #expect(run.orders[1].signal == "breakdown=100.50")
    }
}
