import TapebenchCore

/// One execution from a broker's or a backtester's fill log, normalized: whatever the layout, the same fill
/// reads as the same value.
public struct ObservedFill: Sendable, Hashable {
    /// When it executed (UTC).
    public var time: Timestamp
    /// When the order was decided, when the log says (IB `OrderTime`, a `decision_time` column).
    public var decisionTime: Timestamp?
    public var ticker: String
    public var side: OrderSide
    /// Shares, always positive.
    public var quantity: Int64
    /// The execution price, exact.
    public var price: Price
    /// The order's type, when the log says; nil is read as a market order (the slippage models apply to
    /// market orders).
    public var orderType: OrderType?
    /// The broker's order id, when the log has one (partial fills share it).
    public var orderID: String?
    /// Where it was read: the line of the log (of the object, in a JSON log).
    public var line: Int

    public init(time: Timestamp, decisionTime: Timestamp? = nil, ticker: String, side: OrderSide, quantity: Int64, price: Price,
                orderType: OrderType? = nil, orderID: String? = nil, line: Int) {
        self.time = time
        self.decisionTime = decisionTime
        self.ticker = ticker
        self.side = side
        self.quantity = quantity
        self.price = price
        self.orderType = orderType
        self.orderID = orderID
        self.line = line
    }
}

/// The layouts a fill log is recognised in.
public enum FillLogLayout: String, Sendable, Hashable {
    /// Interactive Brokers Activity Flex Query, Trades section, CSV (`Buy/Sell`, signed `Quantity`, `TradePrice`,
    /// `DateTime` as `yyyyMMdd;HHmmss`, `OrderTime`, `OrderType` MKT/LMT, `LevelOfDetail`).
    case ibFlex = "ib_flex"
    /// thinkorswim Account Statement: the `Account Trade History` section (`Exec Time` `M/D/YY HH:MM:SS`,
    /// `Side`, signed `Qty`, `Symbol`, `Price`, `Order Type`).
    case thinkorswim
    /// backtrader's Transactions analyzer (pyfolio layout): `date, amount, price, sid, symbol, value`, signed amount.
    case backtrader
    /// Alpaca `GET /v2/account/activities/FILL`: a JSON array of fill activities, numbers as strings, UTC times.
    case alpaca
    /// Tapebench's own fills.csv (`order_id,agent,variant,time,…,rule`): `time` is the end of the fill bar, so a
    /// fill is read as made just before it, inside its bar; one variant per file.
    case tapebench
    /// Any CSV whose columns are found by name (or declared): time, ticker, side, quantity, price, and
    /// optionally decision time, order type, order id.
    case columns
}

/// What the user declares about a fill log that detection cannot know.
public struct FillLogHints: Sendable, Hashable {
    /// Column names by role (`time`, `ticker`, `side`, `quantity`, `price`, `decision_time`, `order_type`, `order_id`).
    public var columns: [String: String] = [:]
    /// The zone of times written without an offset (default America/New_York, the exchange's clock).
    public var timezone: TimeZoneRuleName = .exchange
    /// How `03/04/13` is read.
    public var dateOrder: DateOrderName = .mdy

    public init() {}
}

/// Mirrors of TapebenchData's zone and date-order rules, so that a caller need not import Data to fill hints.
public enum TimeZoneRuleName: String, Sendable, Hashable, CaseIterable { case exchange, utc }
public enum DateOrderName: String, Sendable, Hashable, CaseIterable { case mdy, dmy }

/// A fill log as read: the fills in file order, its layout, and rows skipped on purpose (cancellations,
/// summary rows), counted so that nothing is dropped silently.
public struct FillLog: Sendable {
    public var file: String
    public var layout: FillLogLayout
    public var fills: [ObservedFill]
    /// Rows that are not executions (IB cancellations `BUY (Ca.)`, IB `ORDER`/summary rows, Alpaca non-FILL
    /// activities), with why.
    public var skipped: [(line: Int, reason: String)]
    /// Rows that could not be read, one error each (a log with any is not fitted).
    public var problems: [InputError]

    public init(file: String, layout: FillLogLayout, fills: [ObservedFill], skipped: [(line: Int, reason: String)] = [], problems: [InputError] = []) {
        self.file = file
        self.layout = layout
        self.fills = fills
        self.skipped = skipped
        self.problems = problems
    }
}

/// Every problem found in a fill log and in matching it to the data, one line each; a calibration with any
/// problem stops (exit 2) rather than fit around them.
public struct CalibrationProblems: Error, Sendable, CustomStringConvertible {
    public var errors: [InputError]

    public init(_ errors: [InputError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
