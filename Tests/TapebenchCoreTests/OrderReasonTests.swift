import Testing
import TapebenchCore

/// An order's close reason is a value, written as text only where it is written: each kind's text, hand
/// written here as the lane wrote it when the reason was a string.
@Suite struct OrderReasonTests {
    static let kinds: [(OrderReason, String, String)] = [
        (.risk(.cashReserve(cashAfter: Fixed(parsing: "715.41")!, equity: Fixed(parsing: "99123.45")!, minimumBasisPoints: 500)),
         "cash_reserve: $715.41 cash left would be 0.72% of equity, minimum 5%", "cash_reserve"),
        (.risk(.openPositions(open: 10, limit: 10)), "max_positions: 10 positions open, limit 10", "max_positions"),
        (.cancelledByAgent(clientID: "dip"), "cancelled: by the agent (dip)", "cancelled"),
        (.endOfReplay, "end_of_replay: still open when the data ended", "end_of_replay"),
        (.neverSubmitted("no AAPL bar at or after its time"), "end_of_replay: never submitted: no AAPL bar at or after its time", "end_of_replay"),
        (.sessionEnd, "session_end: the rest of a partly filled order is cancelled at the close", "session_end"),
        (.missingMinutes(ticker: "AAPL", waitMinutes: 2), "missing_minutes: no AAPL bar within 2 minute(s) of the order's first minute",
         "missing_minutes"),
        (.bracket(.signalExit), "cancelled: bracket: the signal's exit replaces it", "cancelled"),
        (.bracket(.liquidation), "cancelled: bracket: the account is liquidated", "cancelled"),
        (.bracket(.positionClosed), "cancelled: bracket: the position is closed", "cancelled"),
        (.bracket(.positionChanged), "cancelled: bracket: the position changed", "cancelled"),
        (.otherLegFilled(order: 2, purpose: "stop_loss"), "cancelled: one-cancels-other: order 2 (stop_loss) filled", "cancelled"),
        (.tradeClosed(entry: 3, by: 17), "cancelled: one-cancels-other: the trade of order 3 is closed by order 17", "cancelled"),
        (.exclusiveOrders, "cancelled: exclusive_orders: a new order replaces it", "cancelled"),
        (.closedBeforeFill, "cancelled: close: its trade was closed before it filled", "cancelled"),
        (.invalidBracket(field: "sl", message: "a buy's stop-loss 30.00 must be below its price 20.00"),
         "invalid_bracket: sl: a buy's stop-loss 30.00 must be below its price 20.00", "invalid_bracket"),
        (.text("größe: zu groß"), "größe: zu groß", "größe"),
        (.text("no colon"), "no colon", "no colon"),
    ]

    @Test("each kind reads as the lane wrote it, and its code is the text up to the first colon")
    func texts() {
        for (reason, text, code) in Self.kinds {
            #expect(reason.text == text)
            #expect(reason.description == text)
            #expect(reason.code == code)
            #expect(reason.code == String(text.prefix { $0 != ":" }))
        }
    }

    @Test("written into a row's buffer: the same bytes, after what the buffer held")
    func writtenInPlace() {
        for (reason, text, _) in Self.kinds {
            var out = ByteText()
            out.append("7,")
            reason.write(to: &out)
            #expect(out.bytes == Array("7,\(text)".utf8))
        }
    }

    @Test("a reason equals the same text given by hand (an order's reason set as a string), and hashes as it")
    func equalByText() {
        let typed = OrderReason.otherLegFilled(order: 2, purpose: "stop_loss")
        let given = OrderReason.text("cancelled: one-cancels-other: order 2 (stop_loss) filled")
        #expect(typed == given)
        #expect(typed.hashValue == given.hashValue)
        #expect(typed != .otherLegFilled(order: 3, purpose: "stop_loss"))
    }

    @Test("an order's rejectReason is the value's text, and a text set keeps its words")
    func orderText() {
        var order = Order(id: 1, agent: "a", ticker: "AAPL", side: .buy, type: .market, quantity: 1, submittedAt: Timestamp(nanoseconds: 0),
                          purpose: "signal_entry")
        #expect(order.rejectReason == nil)
        order.closeReason = .bracket(.positionClosed)
        #expect(order.rejectReason == "cancelled: bracket: the position is closed")
        order.rejectReason = "buying_power: by hand"
        #expect(order.closeReason == .text("buying_power: by hand"))
        #expect(order.closeReason?.code == "buying_power")
    }
}
