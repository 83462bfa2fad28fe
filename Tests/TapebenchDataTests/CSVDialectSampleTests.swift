import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// Every real CSV sample in ../shared/data/csv-dialects loads, with the dialect detected from its header.
@Suite(.enabled(if: SharedData.available, SharedData.skipReason))
struct CSVDialectSampleTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var bars: Int
        var firstStart: String
        /// open, high, low, close, volume of the first bar, as written in the file.
        var first: (String, String, String, String, Double)
        var interval: Int64 = 60
        var description: String { file }
    }

    static let samples: [Expectation] = [
        // 2017-04-19 09:00 naive → exchange time (EDT): 13:00Z.
        Expectation(file: "backtestingpy_EURUSD_h1_unnamed-index_sample.csv", bars: 500, firstStart: "2017-04-19T13:00:00Z",
                    first: ("1.0716", "1.0722", "1.07083", "1.07219", 1413), interval: 3600),
        // Header of 7 names over 8 fields: Date, (Time), Open…; 09:01 EST → 14:01Z.
        Expectation(file: "backtrader_2006-min-001_header-7-fields-8_sample.csv", bars: 1354, firstStart: "2006-01-02T14:01:00Z",
                    first: ("3602.00", "3603.00", "3597.00", "3599.00", 5699)),
        Expectation(file: "backtrader_2006-min-005_date-time-split_sample.csv", bars: 306, firstStart: "2006-01-02T14:05:00Z",
                    first: ("3578.73", "3587.88", "3578.73", "3582.99", 0), interval: 300),
        // Milliseconds kept: 20:57:42.146 EDT.
        Expectation(file: "backtrader_ticksample_iso-T-millis.csv", bars: 135, firstStart: "2015-09-24T00:57:42.146Z",
                    first: ("3067.00", "3067.00", "3067.00", "3067.00", 180)),
        // Daily: the date at midnight exchange time; raw Close, not Adj Close.
        Expectation(file: "backtrader_yhoo-2014_yahoo-adjclose.csv", bars: 252, firstStart: "2014-01-02T05:00:00Z",
                    first: ("40.369999", "40.490002", "39.310001", "39.590000", 21_504_200), interval: 86_400),
        // A pandas index column before Date; a float artefact rounded once; an empty last column.
        Expectation(file: "lean_eurusd60_pandas-index_slash-date_sample.csv", bars: 300, firstStart: "2019-02-15T19:00:00Z",
                    first: ("1.12525", "1.12851", "1.12514", "1.12686", 9915), interval: 3600),
        // M/D/YYYY with AM/PM; 10:50 EST (before the 2015-03-08 change) → 15:50Z.
        Expectation(file: "lean_spy_10min_mdy-ampm.csv", bars: 500, firstStart: "2015-03-03T15:50:00Z",
                    first: ("211.03", "211.16", "211.01", "211.105", 2_104_200), interval: 600),
        // Daily at 12:00:00 AM, volume in exponent form.
        Expectation(file: "lean_spy_daily_mdy-midnight_exp-volume.csv", bars: 500, firstStart: "2013-02-22T05:00:00Z",
                    first: ("151.16", "151.89", "150.49", "151.89", 106_292_600), interval: 86_400),
        // Column timestamp_utc: UTC.
        Expectation(file: "nautilus_6EH4-XCME_1min_2024-01.csv.gz", bars: 29_996, firstStart: "2024-01-01T23:01:00Z",
                    first: ("1.1076", "1.10785", "1.1076", "1.1078", 205)),
        Expectation(file: "nautilus_6EH4-XCME_1min_semicolon.csv", bars: 9, firstStart: "2024-01-01T23:01:00Z",
                    first: ("1.1076", "1.10785", "1.1076", "1.1078", 205)),
        // No header; open time in epoch milliseconds.
        Expectation(file: "nautilus_ADABTC-1m_binance-kline_noheader-epoch-ms.csv", bars: 10, firstStart: "2021-11-27T00:00:00Z",
                    first: ("0.00002853", "0.00002854", "0.00002851", "0.00002854", 36_304.2)),
        // Microsecond fractions, naive → exchange time (a crypto file would state timezone: utc).
        Expectation(file: "nautilus_btc-perp_1m_micros_sample.csv", bars: 1499, firstStart: "2022-01-01T04:01:00Z",
                    first: ("46319.0", "46385.0", "46319.0", "46377.0", 2_300_413.7295)),
        // +00:00 written: the offset wins; no volume column.
        Expectation(file: "nautilus_fxcm_gbpusd-m1-bid_utc-offset_sample.csv", bars: 2868, firstStart: "2012-02-01T00:00:00Z",
                    first: ("1.57597", "1.57606", "1.57576", "1.57576", 0)),
        Expectation(file: "zipline_csvdir_AAPL_daily_div-split.csv.gz", bars: 754, firstStart: "2012-01-03T05:00:00Z",
                    first: ("58.485714", "58.92857", "58.42857", "58.747143", 75_555_200), interval: 86_400),
    ]

    @Test("each sample loads with the expected bars", arguments: samples)
    func sample(_ expected: Expectation) throws {
        var bars: [Bar] = []
        var dialects: [CSVDialect] = []
        try CSVReader.read(path: SharedData.path("csv-dialects/" + expected.file), hints: DialectHints(),
                           onMember: { dialects.append($0.dialect) }, onBar: { bar, _ in bars.append(bar) })
        #expect(bars.count == expected.bars)
        let first = try #require(bars.first)
        #expect(first.start.iso8601 == expected.firstStart)
        #expect(first.open == Fixed(parsing: expected.first.0))
        #expect(first.high == Fixed(parsing: expected.first.1))
        #expect(first.low == Fixed(parsing: expected.first.2))
        #expect(first.close == Fixed(parsing: expected.first.3))
        #expect(first.volume == expected.first.4)
        #expect(first.duration == expected.interval * Timestamp.nanosecondsPerSecond)
        #expect(dialects.count == 1)
    }

    @Test("an ambiguous D/M date and a file without a close column say what would make them loadable")
    func bidAsk() throws {
        let path = SharedData.path("csv-dialects/backtrader_bidask_ambiguous-slash-date.csv")
        #expect { try CSVReader.read(path: path, hints: DialectHints()) { _, _ in } } throws: { error in
            "\(error)" == "\(path):1: cannot tell the dialect: no close or price column in 'TIMESTAMP,BID,ASK'; name it: columns: {close: Last} in the dialect"
        }
        var hints = DialectHints()
        hints.columns["close"] = "BID"
        #expect { try CSVReader.read(path: path, hints: hints) { _, _ in } } throws: { error in
            "\(error)".contains("could be month/day or day/month; state date_order: mdy in the dialect (or dmy)")
        }
        hints.dateOrder = .dmy
        var bars: [Bar] = []
        try CSVReader.read(path: path, hints: hints) { bar, _ in bars.append(bar) }
        #expect(bars.count == 10)
        #expect(bars[0].start.iso8601 == "2010-03-02T21:53:50Z")  // 2 March, 16:53:50 EST
        #expect(bars[0].close == Fixed(parsing: "0.5346"))
        #expect(bars[0].open == bars[0].close && bars[0].high == bars[0].close)
    }

    @Test("on the command line, the same errors suggest flags, not YAML")
    func commandLineWording() throws {
        let path = SharedData.path("csv-dialects/backtrader_bidask_ambiguous-slash-date.csv")
        var hints = DialectHints()
        hints.wording = .commandLine
        #expect { try CSVReader.read(path: path, hints: hints) { _, _ in } } throws: { error in
            "\(error)".hasSuffix("no close or price column in 'TIMESTAMP,BID,ASK'; name it: --column close=Last")
        }
        hints.columns["close"] = "BID"
        #expect { try CSVReader.read(path: path, hints: hints) { _, _ in } } throws: { error in
            "\(error)".hasSuffix("could be month/day or day/month; state --date-order mdy (or dmy)")
        }
    }

    @Test("times written with their own offset are described so, not as exchange time")
    func ownOffsets() throws {
        let path = SharedData.path("csv-dialects/nautilus_fxcm_gbpusd-m1-bid_utc-offset_sample.csv")
        var summaries: [String] = []
        try CSVReader.read(path: path, hints: DialectHints(), onMember: { summaries.append($0.dialect.summary) }) { _, _ in }
        #expect(summaries == ["separator ',', header, date-time text in column 1, times with their own UTC offset"])
    }

    @Test("a declared time zone overrides the exchange-time default")
    func declaredZone() throws {
        var hints = DialectHints()
        hints.zone = .utc
        var first: Bar?
        try CSVReader.read(path: SharedData.path("csv-dialects/nautilus_btc-perp_1m_micros_sample.csv"), hints: hints) { bar, _ in
            if first == nil { first = bar }
        }
        #expect(first?.start.iso8601 == "2021-12-31T23:01:00Z")
    }

    @Test("QuantConnect LEAN minute zips: ms since midnight of the file's date, prices ×10 000, ticker from the name")
    func lean() throws {
        var bars: [Bar] = []
        try CSVReader.read(path: SharedData.path("lean-raw/equity/usa/minute/aapl/20140605_trade.zip"), hints: DialectHints()) { bar, _ in bars.append(bar) }
        #expect(bars.count == 686)
        #expect(bars[0].ticker == "AAPL")
        #expect(bars[0].start.iso8601 == "2014-06-05T08:15:00Z")  // 15 300 000 ms = 04:15 EDT
        #expect(bars[0].open == Fixed(parsing: "644.80"))
        #expect(bars[0].volume == 90)
    }
}
