/// Why an order was rejected or cancelled: the kind and its numbers, kept as a value on the order and
/// written as text only where it is written (`write(to:)` into a CSV or database row, `text` for a report).
/// Building the text when the order closed cost a malloc per rejected order (27,808 of 203,000 on the
/// 200 × 13 VWAP run). Two reasons are equal when their texts are (`.text` holds any other reason, e.g. one
/// read back or set by hand).
public enum OrderReason: Sendable, WrittenReason {
    /// A risk check refused the fill.
    case risk(RiskRejection)
    /// The agent cancelled it by its client id: `cancelled: by the agent (dip)`.
    case cancelledByAgent(clientID: String)
    /// `end_of_replay: still open when the data ended`.
    case endOfReplay
    /// An agent's order never placed (`UnplacedOrder`), with the agent's words:
    /// `end_of_replay: never submitted: no AAPL bar at or after its time`.
    case neverSubmitted(String)
    /// `session_end: the rest of a partly filled order is cancelled at the close`.
    case sessionEnd
    /// `missing_minutes: no AAPL bar within 2 minute(s) of the order's first minute`.
    case missingMinutes(ticker: String, waitMinutes: Int64)
    /// A leg of a position's stop-loss/take-profit pair cancelled: `cancelled: bracket: the position is closed`.
    case bracket(BracketEnd)
    /// The other leg of a one-cancels-other pair filled: `cancelled: one-cancels-other: order 2 (stop_loss) filled`.
    case otherLegFilled(order: Int64, purpose: String)
    /// A contingent leg whose trade another order closed:
    /// `cancelled: one-cancels-other: the trade of order 3 is closed by order 7`.
    case tradeClosed(entry: Int64, by: Int64)
    /// `cancelled: exclusive_orders: a new order replaces it`.
    case exclusiveOrders
    /// `cancelled: close: its trade was closed before it filled`.
    case closedBeforeFill
    /// A contingent order's stop-loss or take-profit on the wrong side: `invalid_bracket: sl: …`.
    case invalidBracket(field: String, message: String)
    /// Any other reason, as text.
    case text(String)

    /// Why a bracket's legs were cancelled.
    public enum BracketEnd: Sendable, Hashable {
        case signalExit, liquidation, positionClosed, positionChanged

        var words: StaticString {
            switch self {
            case .signalExit: return "the signal's exit replaces it"
            case .liquidation: return "the account is liquidated"
            case .positionClosed: return "the position is closed"
            case .positionChanged: return "the position changed"
            }
        }
    }

    /// The text up to its first `:`, for counting reasons in reports (`cash_reserve`, `cancelled`); made
    /// without building the text, except for `.text`.
    public var code: String {
        switch self {
        case .risk(let rejection): return rejection.code
        case .cancelledByAgent, .bracket, .otherLegFilled, .tradeClosed, .exclusiveOrders, .closedBeforeFill: return "cancelled"
        case .endOfReplay, .neverSubmitted: return "end_of_replay"
        case .sessionEnd: return "session_end"
        case .missingMinutes: return "missing_minutes"
        case .invalidBracket: return "invalid_bracket"
        case .text(let text):
            // By bytes: ':' is ASCII, so the prefix is the same as by characters.
            guard let colon = text.utf8.firstIndex(of: UInt8(ascii: ":")) else { return text }
            return String(text[..<colon])
        }
    }

    public var givenText: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The text written into `out`, with no `String` made on the way (numbers and names go straight in).
    public func write(to out: inout ByteText) {
        switch self {
        case .risk(let rejection):
            rejection.write(to: &out)
        case .cancelledByAgent(let clientID):
            out.append("cancelled: by the agent (")
            out.append(clientID)
            out.append(byte: UInt8(ascii: ")"))
        case .endOfReplay:
            out.append("end_of_replay: still open when the data ended")
        case .neverSubmitted(let why):
            out.append("end_of_replay: never submitted: ")
            out.append(why)
        case .sessionEnd:
            out.append("session_end: the rest of a partly filled order is cancelled at the close")
        case let .missingMinutes(ticker, waitMinutes):
            out.append("missing_minutes: no ")
            out.append(ticker)
            out.append(" bar within ")
            out.append(integer: waitMinutes)
            out.append(" minute(s) of the order's first minute")
        case .bracket(let end):
            out.append("cancelled: bracket: ")
            out.append(end.words)
        case let .otherLegFilled(order, purpose):
            out.append("cancelled: one-cancels-other: order ")
            out.append(integer: order)
            out.append(" (")
            out.append(purpose)
            out.append(") filled")
        case let .tradeClosed(entry, by):
            out.append("cancelled: one-cancels-other: the trade of order ")
            out.append(integer: entry)
            out.append(" is closed by order ")
            out.append(integer: by)
        case .exclusiveOrders:
            out.append("cancelled: exclusive_orders: a new order replaces it")
        case .closedBeforeFill:
            out.append("cancelled: close: its trade was closed before it filled")
        case let .invalidBracket(field, message):
            out.append("invalid_bracket: ")
            out.append(field)
            out.append(": ")
            out.append(message)
        case .text(let text):
            out.append(text)
        }
    }
}
