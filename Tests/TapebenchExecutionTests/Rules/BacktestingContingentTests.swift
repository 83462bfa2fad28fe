import Testing
import TapebenchCore
@testable import TapebenchExecution

/// backtesting.py 0.6.6's contingent orders, each expectation worked out by hand from `_Broker` (and the
/// exclusive-orders cases checked against the pinned package by hand).
@Suite struct BacktestingContingentTests {
    let long = BacktestingTrade(entry: 1, size: 100, stopLoss: p("9.50"), takeProfit: p("10.50"))
    let short = BacktestingTrade(entry: 2, size: -100, stopLoss: p("10.50"), takeProfit: p("9.50"))

    func exits(_ trade: BacktestingTrade, _ on: Bar, _ leg: BacktestingContingent.Leg, _ price: Price) -> Bool {
        guard let exit = BacktestingContingent.exit(of: trade, on: on) else { return false }
        return exit.leg == leg && exit.price == price
    }

    @Test("the SL fills at the worse of open and stop, the TP at the better of open and limit")
    func exitPrices() {
        #expect(exits(long, bar("9.30", "9.60", "9.20", "9.50"), .stopLoss, p("9.30")))
        #expect(exits(long, bar("10.00", "10.60", "9.80", "10.50"), .takeProfit, p("10.50")))
        #expect(exits(long, bar("10.70", "10.80", "10.60", "10.70"), .takeProfit, p("10.70")))
        #expect(exits(short, bar("9.30", "9.60", "9.20", "9.50"), .takeProfit, p("9.30")))
        #expect(exits(short, bar("10.60", "10.70", "10.40", "10.60"), .stopLoss, p("10.60")))
        #expect(BacktestingContingent.exit(of: long, on: bar("10.00", "10.40", "9.60", "10.10")) == nil)
    }

    @Test("a bar reaching both legs fills the SL, even when it opened beyond the TP")
    func stopLossWins() {
        #expect(exits(long, bar("10.00", "10.60", "9.40", "10.00"), .stopLoss, p("9.50")))
        #expect(exits(long, bar("10.70", "10.80", "9.40", "10.00"), .stopLoss, p("9.50")))
        #expect(exits(short, bar("9.30", "10.60", "9.20", "10.00"), .stopLoss, p("10.50")))
    }

    @Test("on the entry bar: after a market entry always, after a stop entry only when the TP is reached and the SL not, after a limit never")
    func entryBar() {
        let b = bar("10.00", "10.60", "9.80", "10.20")
        func tried(_ type: OrderType, _ side: OrderSide, sl: String?, tp: String?, _ on: Bar) -> Bool {
            BacktestingContingent.triedOnEntryBar(entry: type, side: side, stopLoss: sl.map(p), takeProfit: tp.map(p), bar: on)
        }
        #expect(tried(.market, .buy, sl: "9.50", tp: nil, b))
        #expect(!tried(.market, .buy, sl: nil, tp: nil, b))
        #expect(tried(.stop, .buy, sl: "9.50", tp: "10.50", b))
        #expect(tried(.stop, .buy, sl: nil, tp: "10.50", b))
        #expect(!tried(.stop, .buy, sl: "9.50", tp: "10.50", bar("10.00", "10.60", "9.40", "10.20")))  // the SL reached too
        #expect(!tried(.stop, .buy, sl: "9.50", tp: "10.70", b))                                      // the TP not reached
        #expect(!tried(.stop, .buy, sl: "9.50", tp: nil, b))
        #expect(tried(.stop, .sell, sl: "10.70", tp: "9.90", b))
        #expect(!tried(.limit, .buy, sl: "9.50", tp: "10.50", b))
        #expect(!tried(.stopLimit, .buy, sl: "9.50", tp: "10.50", b))
    }
}
