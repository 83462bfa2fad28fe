import TapebenchCore
import TapebenchExecution
import TapebenchLedger

/// A lane's state under the `backtesting` preset: backtesting.py's order queue and trades for each ticker, and
/// the bracket of the order being submitted.
struct BacktestingLaneState: Sendable {
    /// backtesting.py's broker settings; nil under any other preset (then nothing here is used).
    let broker: BacktestingBroker?
    let tradeOnClose: Bool
    var books: [String: BacktestingBook] = [:]
    /// The SL and TP of the order `submit` is placing now (set by `place`, taken by `backtestingSubmitted`).
    var pending: BacktestingBracket?
    /// The last stand-alone fill that opened a trade with a bracket: the entry's type and side and the
    /// bracket, for `_process_orders`' decision to run again on the same bar.
    var opened: (type: OrderType, side: OrderSide, bracket: BacktestingBracket)?
}

extension LaneState {
    // MARK: - Placing

    /// Before an agent's own order is submitted under the backtesting preset: its SL and TP checked as
    /// backtesting.py's `new_order` checks them (a market order against the decision bar's close, adjusted by
    /// the spread; a failing order is recorded as rejected), then `exclusive_orders`. Returns whether to submit.
    mutating func prepareBacktestingOrder(_ request: OrderRequest, minute: Minute) -> Bool {
        guard let broker = backtesting.broker else { return true }
        let bracket = BacktestingBracket(stopLoss: request.stopLoss, takeProfit: request.takeProfit)
        if !bracket.isEmpty {
            let lastClose = minute.bars.first { $0.ticker == request.ticker }?.close ?? windows.window(request.ticker)?.last?.close
            let reference: (price: Price, what: String)? = request.limitPrice.map { ($0, "limit") } ?? request.stopPrice.map { ($0, "stop") }
                ?? lastClose.flatMap { broker.price($0, side: request.side, quantity: 1, position: 0) }.map { ($0, "price (the last close with the spread)") }
            if let reference, let problem = bracket.problem(side: request.side, price: reference.price, what: reference.what) {
                var order = Order(id: ids.nextOrder(), agent: config.id, ticker: request.ticker, side: request.side, type: request.type,
                                  quantity: request.quantity, limitPrice: request.limitPrice, stopPrice: request.stopPrice,
                                  submittedAt: now, purpose: request.purpose, signal: nil)
                record(.orderSubmitted(order))
                order.status = .rejected
                order.closeReason = .invalidBracket(field: problem.field, message: problem.message)
                order.closedAt = now
                close(order)
                return false
            }
        }
        if broker.exclusiveOrders { exclusive(request.ticker) }
        backtesting.pending = bracket.isEmpty ? nil : bracket
        return true
    }

    /// `submit` made `order` under the backtesting preset: it joins its ticker's queue, with the bracket
    /// `place` gave it.
    mutating func backtestingSubmitted(_ order: Order) {
        var book = backtesting.books[order.ticker] ?? BacktestingBook()
        book.append(order.id)
        if let bracket = backtesting.pending { book.brackets[order.id] = bracket }
        backtesting.pending = nil
        backtesting.books[order.ticker] = book
    }

    /// `exclusive_orders`: the ticker's pending stand-alone and close orders cancelled (with backtesting.py's
    /// skip of the order after each cancelled one), then each open trade closed by a market order put first in
    /// the queue.
    private mutating func exclusive(_ ticker: String) {
        guard var book = backtesting.books[ticker] else { return }
        let cancelled = book.exclusive()
        let trades = book.trades
        backtesting.books[ticker] = book
        for id in cancelled { cancelOpenOrder(id, reason: .exclusiveOrders) }
        for trade in trades {
            placeLeg(.close(entry: trade.entry), ticker: ticker, side: trade.size > 0 ? .sell : .buy, quantity: abs(trade.size))
        }
    }

    /// Places a trade's SL, TP or close order (named after its entry's purpose: `stop_loss:tape_line_12`).
    private mutating func placeLeg(_ leg: BacktestingBook.Leg, ticker: String, side: OrderSide, quantity: Int64, price: Price? = nil) {
        let (type, name): (OrderType, String) = switch leg {
        case .stopLoss: (.stop, "stop_loss")
        case .takeProfit: (.limit, "take_profit")
        case .close: (.market, "close")
        }
        let entryPurpose = backtesting.books[ticker]?.trade(leg.entry)?.purpose ?? "order_\(leg.entry)"
        let order = Order(id: ids.nextOrder(), agent: config.id, ticker: ticker, side: side, type: type, quantity: quantity,
                          limitPrice: type == .limit ? price : nil, stopPrice: type == .stop ? price : nil,
                          submittedAt: now, purpose: "\(name):\(entryPurpose)", signal: nil)
        backtesting.books[ticker, default: BacktestingBook()].add(order.id, leg: leg)
        record(.orderSubmitted(order))
        openOrders.append(order)
    }

    // MARK: - Filling

    /// A fill under the backtesting preset, booked: the ticker's trades netted, a new trade's SL and TP placed
    /// (the TP last in the queue, then the SL first, as `_open_trade` sets them), a closed trade's other
    /// orders cancelled, a reduced trade's resized.
    mutating func backtestingFilled(_ order: Order, _ fill: Fill) {
        var book = backtesting.books[order.ticker] ?? BacktestingBook()
        let size = fill.side == .buy ? fill.quantity : -fill.quantity
        let effects: BacktestingBook.Effects
        var bracket: BacktestingBracket?
        if book.legs[order.id] != nil {
            effects = book.filled(leg: order.id, size: size)
        } else {
            (effects, bracket) = book.filled(standAlone: order.id, size: size)
        }
        backtesting.books[order.ticker] = book
        for id in effects.cancel { cancelOpenOrder(id, reason: .tradeClosed(entry: book.legs[id]?.entry ?? 0, by: order.id)) }
        for (id, quantity) in effects.resize {
            guard let index = openOrders.firstIndex(where: { $0.id == id }) else { continue }
            openOrders[index].quantity = openOrders[index].filledQuantity + quantity
            record(.orderChanged(openOrders[index]))
        }
        guard let trade = effects.opened else { return }
        backtesting.books[order.ticker]?.name(entry: trade.entry, purpose: order.purpose)
        guard let bracket else { return }
        let exit: OrderSide = trade.size > 0 ? .sell : .buy
        if let tp = bracket.takeProfit { placeLeg(.takeProfit(entry: trade.entry), ticker: order.ticker, side: exit, quantity: abs(trade.size), price: tp) }
        if let sl = bracket.stopLoss { placeLeg(.stopLoss(entry: trade.entry), ticker: order.ticker, side: exit, quantity: abs(trade.size), price: sl) }
        backtesting.opened = (order.type, order.side, bracket)
    }

    /// An order of a backtesting lane reached its final status: it leaves its ticker's queue.
    mutating func backtestingClosed(_ order: Order) {
        backtesting.books[order.ticker]?.remove(order.id)
    }
}

/// An agent's contingent stop-loss and take-profit (an order tape's `sl` and `tp`) are backtesting.py's: only
/// the `backtesting` preset places them. Under another preset they would be silently dropped, or need rules
/// of their own, so a scenario pairing them with another preset is refused, naming the row.
enum ContingentOrderCheck {
    static func check(_ agents: [(config: AgentConfig, agent: PreparedAgent)], fillModels: [FillModelSpec]) throws {
        for (_, agent) in agents {
            guard let row = agent.contingentRow, let other = fillModels.first(where: { $0.backtestingBroker == nil }) else { continue }
            throw InputError(file: row.file, line: row.line, field: row.field,
                             message: "sl and tp are backtesting.py's contingent orders, placed only under preset backtesting; fill model '\(other.name)' is another preset: replay the tape under backtesting variants only, or drop the sl and tp columns")
        }
    }
}
