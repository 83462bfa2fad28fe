import Foundation
import Testing
import TapebenchEngine

/// Each agent on a dataset built to trigger it: a quiet morning, then the pattern, then a fade.
@Suite struct AgentScenarioTests {
    func run(kind: String, pattern: (Int) -> (close: String, volume: Int)) throws -> LaneResult {
        var bars: [TestBar] = []
        var previous = "100.00"
        for m in 0..<120 {
            let (close, volume) = pattern(m)
            let o = Double(previous)!, c = Double(close)!
            bars.append(TestBar(minute: Int64(m), open: previous, high: String(format: "%.2f", max(o, c)),
                                low: String(format: "%.2f", min(o, c)), close: close, volume: volume))
            previous = close
        }
        return try runTestScenario(bars: bars, yaml: """
            name: \(kind)
            data: {paths: [data], tickers: [TST]}
            agents: [{id: a, kind: \(kind)}]
            orchestrator: {scan_every_bars: 1}
            """).lanes[0]
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
