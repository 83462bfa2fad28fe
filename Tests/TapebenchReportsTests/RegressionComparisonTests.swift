import Foundation
import Testing
@testable import TapebenchReports

@Suite("Regression comparison")
struct RegressionComparisonTests {
    static let header = "order_id,agent,variant,time,ticker,side,type,quantity,price,commission,slippage,rule"

    static func report(sha: String = "aaaa", lanes: [(id: String, variant: String, metrics: [String: Double])]) -> Data {
        let agents: [[String: Any]] = lanes.map { lane in
            ["id": lane.id, "variant": lane.variant, "metrics": lane.metrics, "account": ["cash": 100.0]]
        }
        let root: [String: Any] = ["schema_version": 1, "scenario": ["content_sha256": sha], "agents": agents]
        return try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])
    }

    @Test("fills match by agent, variant and order id: one lane's moves do not show in another")
    func fillsMatchByOrder() {
        let old = Self.header + """

            1,mr,seed,2024-03-04T14:51:00Z,AAPL,buy,market,100,91.20,0.50,0.91,market_next_open
            1,mr,conservative,2024-03-04T14:51:00Z,AAPL,buy,market,100,91.30,1.00,1.91,market_next_open
            2,mr,seed,2024-03-04T15:00:00Z,AMZN,sell,market,50,170.00,0.50,0.85,market_next_open
            """
        // The conservative lane's fill moves and a fill is added there; seed's rows are the same, though
        // every row after the first changed its position in the file.
        let new = Self.header + """

            1,mr,seed,2024-03-04T14:51:00Z,AAPL,buy,market,100,91.20,0.50,0.91,market_next_open
            2,mr,conservative,2024-03-04T14:55:00Z,MSFT,buy,market,10,400.00,1.00,2.00,market_next_open
            1,mr,conservative,2024-03-04T14:51:00Z,AAPL,buy,market,100,91.35,1.00,1.96,market_next_open
            2,mr,seed,2024-03-04T15:00:00Z,AMZN,sell,market,50,170.00,0.50,0.85,market_next_open
            """
        let fills = FillComparison(old: old, new: new)
        #expect(fills.changed == 1)
        #expect(fills.added == 1)
        #expect(fills.removed == 0)
        #expect(fills.first == "2024-03-04T14:51:00Z AAPL buy, order 1 (mr under conservative): price 91.30 → 91.35, slippage 1.91 → 1.96")
        #expect(fills.lines == ["first differing fill: 2024-03-04T14:51:00Z AAPL buy, order 1 (mr under conservative): price 91.30 → 91.35, slippage 1.91 → 1.96 (fills: 1 changed, 1 new)"])
    }

    @Test("a fill whose only change is its commission names that column, not an unchanged price")
    func commissionOnly() {
        let old = Self.header + "\n7,mr,seed,2024-03-04T14:51:00Z,AAPL,buy,market,200,89.788978,0.50,1.79,market_next_open\n"
        let new = Self.header + "\n7,mr,seed,2024-03-04T14:51:00Z,AAPL,buy,market,200,89.788978,0.51,1.79,market_next_open\n"
        #expect(FillComparison(old: old, new: new).first == "2024-03-04T14:51:00Z AAPL buy, order 7 (mr under seed): commission 0.50 → 0.51")
    }

    @Test("partial fills of one order match in their order; a gone fill is named")
    func partialFills() {
        let old = Self.header + "\n3,mr,seed,T1,AAPL,buy,limit,10,90,0.5,0,participation_partial\n3,mr,seed,T2,AAPL,buy,limit,5,90,0.5,0,limit_touch\n"
        let new = Self.header + "\n3,mr,seed,T1,AAPL,buy,limit,10,90,0.5,0,participation_partial\n"
        let fills = FillComparison(old: old, new: new)
        #expect(fills.removed == 1 && fills.changed == 0)
        #expect(fills.first == "T2 AAPL buy, order 3 (mr under seed) is gone")
    }

    @Test("headline metrics come first; a changed scenario file is said first of all")
    func order() throws {
        let old = Self.report(sha: "1111111111112222", lanes: [("mr", "seed", ["cagr": 0.1, "return": 0.01, "sharpe": 2.0, "calmar": 3])])
        let new = Self.report(sha: "3333333333334444", lanes: [("mr", "seed", ["cagr": 0.2, "return": 0.02, "sharpe": 2.5, "calmar": 3])])
        let c = try RegressionComparison.compare(oldJSON: old, newJSON: new, oldFills: Self.header, newFills: Self.header)
        #expect(c.lines == [
            "the scenario file changed (sha256 111111111111 → 333333333333): the differences may come from it, not from the code",
            "mr under seed: return 0.01 → 0.02",
            "mr under seed: sharpe 2 → 2.5",
            "mr under seed: cagr 0.1 → 0.2",
        ])
        #expect(c.regressed)
    }

    @Test("headline-only judges return, Sharpe, drawdown, fills, win rate and P&L; derived metrics are listed, not judged")
    func headlineOnly() throws {
        let old = Self.report(lanes: [("mr", "seed", ["return": 0.01, "cagr": 0.1, "volatility": 0.2])])
        let derivedMoved = Self.report(lanes: [("mr", "seed", ["return": 0.01, "cagr": 0.11, "volatility": 0.21])])
        let c = try RegressionComparison.compare(oldJSON: old, newJSON: derivedMoved, oldFills: "", newFills: "",
                                                 policy: .init(headlineOnly: true))
        #expect(!c.regressed)
        #expect(c.lines == ["mr under seed: cagr 0.1 → 0.11 (derived, not judged)", "mr under seed: volatility 0.2 → 0.21 (derived, not judged)"])
        let headlineMoved = Self.report(lanes: [("mr", "seed", ["return": 0.011, "cagr": 0.1, "volatility": 0.2])])
        #expect(try RegressionComparison.compare(oldJSON: old, newJSON: headlineMoved, oldFills: "", newFills: "", policy: .init(headlineOnly: true)).regressed)
    }

    @Test("a default tolerance covers every metric without its own; a metric's own tolerance wins")
    func defaultTolerance() throws {
        let old = Self.report(lanes: [("mr", "seed", ["return": 0.0100, "sharpe": 2.0])])
        let new = Self.report(lanes: [("mr", "seed", ["return": 0.0101, "sharpe": 2.1])])
        let loose = RegressionComparison.Policy(defaultTolerance: .relative(0.1))
        #expect(try !RegressionComparison.compare(oldJSON: old, newJSON: new, oldFills: "", newFills: "", policy: loose).regressed)
        let sharpeStrict = RegressionComparison.Policy(tolerances: ["sharpe": .absolute(0.01)], defaultTolerance: .relative(0.1))
        let c = try RegressionComparison.compare(oldJSON: old, newJSON: new, oldFills: "", newFills: "", policy: sharpeStrict)
        #expect(c.regressed)
        #expect(c.lines == ["mr under seed: return 0.01 → 0.0101 (within tolerance)", "mr under seed: sharpe 2 → 2.1"])
    }

    @Test("the CI summary keeps each change on its own line, outside the table")
    func summary() throws {
        let old = Self.report(lanes: [("mr", "seed", ["return": 0.01, "cagr": 0.1])])
        let new = Self.report(lanes: [("mr", "seed", ["return": 0.02, "cagr": 0.2])])
        let c = try RegressionComparison.compare(oldJSON: old, newJSON: new, oldFills: "", newFills: "")
        let text = CheckSummary.markdown([.init(scenario: "default", result: "regression", comparison: c), .init(scenario: "other", result: "ok")])
        #expect(text == """
            ## tapebench check

            | scenario | result     | what changed                              |
            |:---------|:-----------|:------------------------------------------|
            | default  | regression | 1 headline and 1 derived metric change(s) |
            | other    | ok         |                                           |

            <details><summary>default: 2 line(s)</summary>

            - mr under seed: return 0.01 → 0.02
            - mr under seed: cagr 0.1 → 0.2

            </details>

            """)
    }
}
