import Testing
import TapebenchCore
@testable import TapebenchExecution

/// backtesting.py 0.6.6's order queue and trades (`_Broker.orders`, `_Broker.trades`), each expectation worked
/// out by hand from `_Broker` (the exclusive-orders cases checked against the pinned package by hand).
@Suite struct BacktestingBookTests {
    /// A book with one trade opened by order `entry` of `size`, its SL (`sl`) and TP (`tp`) placed as
    /// backtesting.py's `_open_trade` does: the TP first (last in the queue), then the SL (first).
    func opened(_ book: inout BacktestingBook, entry: Int64, size: Int64, sl: Int64?, tp: Int64?) {
        book.append(entry)
        if sl != nil || tp != nil { book.brackets[entry] = BacktestingBracket(stopLoss: p("1"), takeProfit: p("2")) }
        let (effects, bracket) = book.filled(standAlone: entry, size: size)
        book.remove(entry)
        #expect(effects.opened?.entry == entry && (bracket != nil) == (sl != nil || tp != nil))
        if let tp { book.add(tp, leg: .takeProfit(entry: entry)) }
        if let sl { book.add(sl, leg: .stopLoss(entry: entry)) }
    }

    @Test("queue order: each new SL goes first, each new TP last, stand-alone orders after the TPs queued before them")
    func queueOrder() {
        var book = BacktestingBook()
        opened(&book, entry: 1, size: 10, sl: 2, tp: 3)
        book.append(4)
        opened(&book, entry: 5, size: 5, sl: 6, tp: 7)
        #expect(book.queue == [6, 2, 3, 4, 7])
        #expect(book.trades.map(\.size) == [10, 5])
    }

    @Test("netting FIFO: a partial close resizes the trade's SL and TP, a full one cancels them; the rest opens a trade")
    func netting() {
        var book = BacktestingBook()
        opened(&book, entry: 1, size: 100, sl: 2, tp: 3)
        book.append(4)
        let partial = book.filled(standAlone: 4, size: -40).effects
        #expect(partial.cancel.isEmpty && partial.resize.map(\.id) == [2, 3] && partial.resize.map(\.quantity) == [60, 60] && partial.opened == nil)
        book.remove(4)
        book.append(5)
        book.brackets[5] = BacktestingBracket(stopLoss: p("11"), takeProfit: p("8"))
        let (full, bracket) = book.filled(standAlone: 5, size: -100)
        #expect(full.cancel == [2, 3] && full.opened?.size == -40 && bracket?.stopLoss == p("11"))
        #expect(book.trades.map(\.entry) == [5])
    }

    @Test("an SL fill closes its trade and cancels the TP (one cancels the other); a cancelled leg leaves its trade")
    func stopLossCancelsTarget() {
        var book = BacktestingBook()
        opened(&book, entry: 1, size: 100, sl: 2, tp: 3)
        #expect(book.quantity(ofLeg: 2) == 100)
        #expect(book.filled(leg: 2, size: -100).cancel == [3])
        #expect(book.trades.isEmpty)
        var other = BacktestingBook()
        opened(&other, entry: 1, size: 100, sl: 2, tp: 3)
        other.remove(3)
        #expect(other.trades[0].takeProfitOrder == nil && other.queue == [2])
    }

    @Test("a close order fills at most what is left of its trade; none once the trade is closed")
    func closeOrder() {
        var book = BacktestingBook()
        opened(&book, entry: 1, size: 100, sl: 2, tp: nil)
        book.add(9, leg: .close(entry: 1))
        _ = book.filled(standAlone: 10, size: -40)
        #expect(book.quantity(ofLeg: 9) == 60)
        #expect(book.filled(leg: 9, size: -60).cancel == [2])
        #expect(book.quantity(ofLeg: 9) == nil)
    }

    @Test("exclusive orders: stand-alone and close orders cancelled, SL and TP kept; the order after each cancelled one is skipped, as in Python")
    func exclusive() {
        // Checked against backtesting.py 0.6.6: buy 3 (a) filled, then in one next() buy 1 (b) and sell 2 (c):
        // c's exclusive pass removes a's close order and skips b, which stays and fills.
        var book = BacktestingBook()
        opened(&book, entry: 1, size: 3, sl: nil, tp: nil)
        book.add(8, leg: .close(entry: 1))
        book.append(2)
        #expect(book.exclusive() == [8])
        #expect(book.queue == [2])
        var three = BacktestingBook()
        opened(&three, entry: 1, size: 3, sl: 20, tp: 21)
        three.append(5)
        three.append(6)
        three.append(7)
        // Queue [20, 21, 5, 6, 7]: the SL and TP kept, 5 removed, 6 skipped, 7 removed.
        #expect(three.exclusive() == [5, 7])
        #expect(three.queue == [20, 21, 6])
    }
}
