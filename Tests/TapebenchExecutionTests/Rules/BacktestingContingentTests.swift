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

    @Test("netting FIFO: a partial close resizes the trade (its SL and TP follow), a full one removes them; the rest opens a trade")
    func netting() {
        var trades = [long]
        var queue: [BacktestingQueued] = [.stopLoss(entry: 1), .takeProfit(entry: 1)]
        let first = BacktestingContingent.fill(&trades, queue: &queue, entry: 3, size: -40, stopLoss: nil, takeProfit: nil)
        #expect(first.map(\.size) == [-40] && trades == [BacktestingTrade(entry: 1, size: 60, stopLoss: p("9.50"), takeProfit: p("10.50"))])
        #expect(queue == [.stopLoss(entry: 1), .takeProfit(entry: 1)])
        let second = BacktestingContingent.fill(&trades, queue: &queue, entry: 4, size: -100, stopLoss: p("11.00"), takeProfit: p("8.00"))
        #expect(second.map(\.entry) == [1] && second.map(\.size) == [-60])
        #expect(trades == [BacktestingTrade(entry: 4, size: -40, stopLoss: p("11.00"), takeProfit: p("8.00"))])
        #expect(queue == [.stopLoss(entry: 4), .takeProfit(entry: 4)])
    }

    @Test("queue order: each new SL goes first, each new TP last")
    func queueOrder() {
        var trades: [BacktestingTrade] = []
        var queue: [BacktestingQueued] = []
        BacktestingContingent.fill(&trades, queue: &queue, entry: 1, size: 10, stopLoss: p("9"), takeProfit: p("11"))
        BacktestingContingent.fill(&trades, queue: &queue, entry: 2, size: 5, stopLoss: p("9.5"), takeProfit: p("10.5"))
        #expect(queue == [.stopLoss(entry: 2), .stopLoss(entry: 1), .takeProfit(entry: 1), .takeProfit(entry: 2)])
        #expect(trades.map(\.size) == [10, 5])
    }

    @Test("a close order sized for the whole trade closes only what is left of it")
    func closeOrder() {
        var trades = [BacktestingTrade(entry: 1, size: 60, stopLoss: p("9.50"))]
        var queue: [BacktestingQueued] = [.stopLoss(entry: 1), .close(entry: 1, size: -100)]
        BacktestingContingent.closeFilled(&trades, queue: &queue, entry: 1, size: -100)
        #expect(trades.isEmpty && queue == [.close(entry: 1, size: -100)])  // the caller drops the close order itself
    }

    @Test("exclusive orders: stand-alone and close orders cancelled, SL and TP kept, every trade closed first; the order after each cancelled one is skipped, as in Python")
    func exclusive() {
        let trades = [BacktestingTrade(entry: 1, size: 3)]
        // Checked against backtesting.py 0.6.6: buy 3 (a) filled, then in one next() buy 1 (b) and sell 2 (c):
        // c's exclusive pass removes a's close order and skips b, which stays and fills.
        var queue: [BacktestingQueued] = [.close(entry: 1, size: -3), .order(2)]
        #expect(BacktestingContingent.exclusive(trades, queue: &queue) == [])
        #expect(queue == [.close(entry: 1, size: -3), .order(2)])
        var three: [BacktestingQueued] = [.order(5), .stopLoss(entry: 1), .order(6)]
        #expect(BacktestingContingent.exclusive(trades, queue: &three) == [5, 6])
        #expect(three == [.close(entry: 1, size: -3), .stopLoss(entry: 1)])
        var adjacent: [BacktestingQueued] = [.order(5), .order(6), .takeProfit(entry: 1)]
        #expect(BacktestingContingent.exclusive([BacktestingTrade(entry: 1, size: 3), BacktestingTrade(entry: 7, size: 2)], queue: &adjacent) == [5])
        #expect(adjacent == [.close(entry: 7, size: -2), .close(entry: 1, size: -3), .order(6), .takeProfit(entry: 1)])
    }
}
