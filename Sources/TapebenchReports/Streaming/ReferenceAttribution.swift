import TapebenchCore
import TapebenchEngine
import TapebenchLedger

/// The lane's side of the variant comparison's attribution, as running totals: each position's P&L at
/// reference prices, owed to the order that opened it. Closes book (sell reference − entry reference) ×
/// quantity as they happen; what is still open at the end, its unrealized P&L plus the entry's slippage.
/// Only the open positions are held; each amount owed goes out as a row (`LaneStore.referencePnL`), and
/// the comparison joins the rows of two lanes by the opening order's ticker, side and decision time
/// (`RunDatabase.unmatched`), on disk.
struct ReferenceAttribution: Sendable {
    /// An amount owed to the order that opened a position, in units of 1e-8.
    struct Owed: Sendable, Hashable {
        var ticker: String
        var side: OrderSide
        var submittedAt: Timestamp
        var pnl: Int128
    }

    private struct Open: Sendable {
        var opener: Order
        var quantity: Int64
        var entrySlippage: Int128
    }

    private var open: [String: Open] = [:]

    /// A booked trade with its order; returns what a closing sell owes its position's opener.
    mutating func trade(_ trade: Trade, order: Order) -> Owed? {
        let fill = trade.fill
        if fill.side == .buy {
            if var position = open[fill.ticker] {
                position.quantity += fill.quantity
                position.entrySlippage += fill.wideSlippageCost
                open[fill.ticker] = position
            } else {
                open[fill.ticker] = Open(opener: order, quantity: fill.quantity, entrySlippage: fill.wideSlippageCost)
            }
            return nil
        }
        guard var position = open[fill.ticker], let realized = trade.realizedPnL else { return nil }
        // A sell past the position (into a short) releases all of the entry's slippage, not more.
        let released = Fixed.divideRoundingHalfEvenWide(position.entrySlippage * Int128(min(fill.quantity, position.quantity)),
                                                        Int128(position.quantity))
        position.quantity -= fill.quantity
        position.entrySlippage -= released
        let opener = position.opener
        open[fill.ticker] = position.quantity > 0 ? position : nil
        return Owed(ticker: opener.ticker, side: opener.side, submittedAt: opener.submittedAt,
                    pnl: realized.wide + fill.wideSlippageCost + released)
    }

    /// The replay has ended: what each position still open owes its opener, tickers in order.
    func finish(account: Account) -> [Owed] {
        open.keys.sorted().compactMap { ticker in
            guard let position = open[ticker], let held = account.position(ticker) else { return nil }
            return Owed(ticker: position.opener.ticker, side: position.opener.side, submittedAt: position.opener.submittedAt,
                        pnl: held.unrealizedPnL.wide + position.entrySlippage)
        }
    }
}
