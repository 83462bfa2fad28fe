import Foundation
import TapebenchCalibration
import TapebenchCore
import TapebenchData
import Testing

/// The real-shaped broker fill logs in ../shared/data/fills: every layout reads to the same fills as the key
/// (fills_truth.csv), and the planted faults of bad_fills.csv are each one message.
@Suite(.enabled(if: SharedData.available, SharedData.skipReason)) struct FillLogTests {
    struct Truth: Hashable { var ticker: String; var side: String; var quantity: Int64; var price: String; var second: Int64 }

    /// fills_truth.csv: ticker, side, qty, price and the fill's time (to the second, from the ET time with offset).
    static func truth() throws -> [Truth] {
        let text = try String(contentsOfFile: SharedData.path("fills/fills_truth.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var bytes = Array(f[3].utf8)
            let time = bytes.withUnsafeMutableBufferPointer { DateTimeText.dateTime(UnsafeBufferPointer($0), order: .mdy)! }.instant(in: .utc)
            return Truth(ticker: f[2], side: f[4], quantity: Int64(f[7])!, price: Fixed(parsing: f[8])!.formatted(), second: time.epochSeconds)
        }
    }

    static func normalized(_ log: FillLog, minuteOnly: Bool = false) -> [Truth] {
        log.fills.map { fill in
            Truth(ticker: fill.ticker, side: fill.side.rawValue, quantity: fill.quantity, price: fill.price.formatted(),
                  second: minuteOnly ? fill.time.epochSeconds / 60 * 60 : fill.time.epochSeconds)
        }
    }

    static func sorted(_ list: [Truth]) -> [Truth] {
        list.sorted { ($0.second, $0.ticker, $0.quantity, $0.price) < ($1.second, $1.ticker, $1.quantity, $1.price) }
    }

    @Test("IB Flex, thinkorswim, Alpaca and the generic CSV read to the key's 52 fills, to the second", arguments: [
        ("ib_flex_trades.csv", FillLogLayout.ibFlex), ("tos_account_statement.csv", .thinkorswim),
        ("alpaca_activities_fill.json", .alpaca), ("generic_fills.csv", .columns),
    ])
    func layouts(file: String, layout: FillLogLayout) throws {
        let log = try FillLogReader.read(path: SharedData.path("fills/" + file))
        #expect(log.layout == layout)
        #expect(log.problems.isEmpty, "\(log.problems)")
        #expect(log.fills.count == 52)
        #expect(Self.sorted(Self.normalized(log)) == Self.sorted(try Self.truth()))
    }

    @Test("backtrader's transactions (bar time, signed amount, no side column) read to the key's fills, to the minute")
    func backtrader() throws {
        let log = try FillLogReader.read(path: SharedData.path("fills/backtrader_transactions.csv"))
        #expect(log.layout == .backtrader)
        #expect(log.problems.isEmpty)
        let truth = try Self.truth().map { Truth(ticker: $0.ticker, side: $0.side, quantity: $0.quantity, price: $0.price, second: $0.second / 60 * 60) }
        #expect(Self.sorted(Self.normalized(log, minuteOnly: true)) == Self.sorted(truth))
    }

    @Test("order types, order ids and decision times come through where the layout has them")
    func optionalFields() throws {
        let generic = try FillLogReader.read(path: SharedData.path("fills/generic_fills.csv"))
        #expect(generic.fills.filter { $0.orderType == .market }.count == 23)
        #expect(generic.fills.filter { $0.orderType == .limit }.count == 29)
        #expect(generic.fills.filter { $0.decisionTime == nil }.count == 10)  // empty on every 5th row
        let ib = try FillLogReader.read(path: SharedData.path("fills/ib_flex_trades.csv"))
        #expect(ib.fills.allSatisfy { $0.decisionTime != nil && $0.orderID != nil })
        #expect(ib.fills.filter { $0.orderType == .market }.count == 23)
        let alpaca = try FillLogReader.read(path: SharedData.path("fills/alpaca_activities_fill.json"))
        #expect(alpaca.fills.allSatisfy { $0.orderType == nil && $0.orderID != nil })
        #expect(alpaca.fills.filter { $0.side == .sell }.count == 27)  // sell_short reads as a sell
    }

    @Test("bad_fills.csv: its five planted faults are five messages, one per line, and nothing else")
    func badFills() throws {
        let path = SharedData.path("fills/bad_fills.csv")
        let log = try FillLogReader.read(path: path)
        let bars = try RecordedBars.read(try Dataset(paths: [SharedData.path("real/csv-iso")]), tickers: Set(log.fills.map(\.ticker)),
                                         dates: Set(log.fills.map { EasternTime.local($0.time).date }))
        let matched = OrderMatching.observations(log.fills, bars: bars, reference: .nextOpen, file: path)
        let problems = (log.problems + matched.problems).sorted { $0.line! < $1.line! }
        #expect(problems.map(\.line) == [5, 10, 15, 21, 26])
        #expect(problems.map(\.field) == ["ticker", "time", "quantity", "price", "time"])
        #expect(problems[0].description.contains("'MSFT' has no bars in the data (it holds AAPL, AIG, BAC"))
        #expect(problems[1].description.contains("outside the data's period for AIG (2013-10-04 to 2013-10-11"))
        #expect(problems[2].description.contains("this file writes quantities unsigned (line 3)"))
        #expect(problems[3].description.contains("empty: every fill needs its price"))
        #expect(problems[4].description.contains("outside the regular session"))
        #expect(problems.allSatisfy { !$0.description.contains("\n") && $0.description.hasPrefix(path + ":") })
    }

    @Test("too few orders is an error naming the count, not a fit")
    func tooFew() throws {
        let path = SharedData.path("fills/generic_fills.csv")
        let log = try FillLogReader.read(path: path)
        let bars = try RecordedBars.read(try Dataset(paths: [SharedData.path("real/csv-iso")]), tickers: Set(log.fills.map(\.ticker)),
                                         dates: Set(log.fills.map { EasternTime.local($0.time).date }))
        let matched = OrderMatching.observations(Array(log.fills.prefix(8)), bars: bars, reference: .nextOpen, file: path)
        #expect(matched.problems.isEmpty)
        #expect {
            try Calibration.fit(matched.orders, settings: CalibrationSettings(), file: path)
        } throws: { error in
            "\(error)" == "\(path): 3 market orders match the data (8 orders in all); calibrate needs at least 10 to fit (--min-orders)"
        }
    }

    @Test("the real fills fit: market orders only, joined by order id, every model with an interval")
    func realFills() throws {
        let path = SharedData.path("fills/ib_flex_trades.csv")
        let log = try FillLogReader.read(path: path)
        let bars = try RecordedBars.read(try Dataset(paths: [SharedData.path("real/csv-iso")]), tickers: Set(log.fills.map(\.ticker)),
                                         dates: Set(log.fills.map { EasternTime.local($0.time).date }))
        let matched = OrderMatching.observations(log.fills, bars: bars, reference: .nextOpen, file: path)
        #expect(matched.problems.isEmpty, "\(matched.problems)")
        #expect(matched.orders.count == 44)  // 52 fills of 44 orders
        var settings = CalibrationSettings()
        settings.bootstrapSamples = 200
        let result = try Calibration.fit(matched.orders, settings: settings, file: path)
        #expect(result.orders.count + result.excluded.count == 44)
        #expect(result.orders.allSatisfy { $0.orderType == .market })
        #expect(result.fits.allSatisfy { $0.leastSquares != nil && $0.huber != nil })
    }
}
