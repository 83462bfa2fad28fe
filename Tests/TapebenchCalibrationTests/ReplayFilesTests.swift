import Foundation
import TapebenchCalibration
import TapebenchCore
import TapebenchData
import Testing

@Suite struct ReplayFilesTests {
    @Test("a path relative to a folder, through .. where they part", arguments: [
        ("/w/out/run", "/w/data/set", "../../data/set"),
        ("/w/out", "/w/out/data", "data"),
        ("reports/runs/x", "datasets/default", "../../../datasets/default"),
        ("/a/./b/../c", "/a/d", "../d"),
        ("/a", "/a", "."),
    ])
    func relative(from: String, to: String, expected: String) {
        #expect(ReplayFiles.relativePath(from: from, to: to) == expected)
    }

    @Test("scenario values: negative fits are 0, bps to four decimals, others to six, each with the reason")
    func scenarioValues() {
        #expect(FillModelsBlock.scenarioValue(.sqrtImpact, 0.81234567) == ("0.812346", nil))
        #expect(FillModelsBlock.scenarioValue(.sqrtImpact, -0.2).text == "0")
        #expect(FillModelsBlock.scenarioValue(.sqrtImpact, -0.2).note?.contains("always costs the trader") == true)
        #expect(FillModelsBlock.scenarioValue(.bps, 1.5) == ("1.5", nil))
        #expect(FillModelsBlock.scenarioValue(.bps, 1.37) == ("1.37", nil))
        #expect(FillModelsBlock.scenarioValue(.bps, 1.234_56) == ("1.2346", nil))
        #expect(FillModelsBlock.scenarioValue(.bps, 3) == ("3", nil))
        #expect(FillModelsBlock.scenarioValue(.bps, 0.999_999_999_7) == ("1", nil))  // a replay's 1 bp, price rounding aside
        #expect(FillModelsBlock.scenarioValue(.bps, 12_000).text == "10000")
        #expect(FillModelsBlock.scenarioValue(.volumeShare, 250).text == "100")
        #expect(FillModelsBlock.decimal(-0.0000001, digits: 4) == "0")
    }

    @Test("the order tape: a market order per order, timed at the bar before its fill bar, sorted by time")
    func orderTape() {
        let t0 = Timestamp(seconds: 1_710_163_800)  // 2024-03-11 09:30 EDT
        func bar(_ minute: Int64) -> RecordedBar {
            RecordedBar(start: t0.adding(minutes: minute), open: Fixed(10), high: Fixed(11), low: Fixed(9), close: Fixed(10), volume: 1_000)
        }
        func order(_ ticker: String, _ side: OrderSide, _ minute: Int64, previous: Bool) -> OrderObservation {
            OrderObservation(ticker: ticker, side: side, quantity: 100, averagePrice: 10, decisionStep: t0.adding(minutes: minute), fillBar: bar(minute),
                             previousBar: previous ? bar(minute - 1) : nil, reference: Fixed(10), shortfallBps: 0, line: 2, fills: 1, orderType: .market)
        }
        let text = ReplayFiles.orderTape([order("BBB", .sell, 5, previous: true), order("AAA", .buy, 0, previous: false), order("C,\"D", .buy, 9, previous: true)])
        #expect(text == """
            time,ticker,side,type,quantity,limit_price,stop_price
            2024-03-11T13:30:00Z,AAA,buy,market,100,,
            2024-03-11T13:34:00Z,BBB,sell,market,100,,
            2024-03-11T13:38:00Z,"C,""D",buy,market,100,,

            """)
    }
}
