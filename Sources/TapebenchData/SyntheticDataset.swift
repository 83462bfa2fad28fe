import Foundation
import TapebenchCore

/// A deterministic synthetic dataset in the Polygon flat-file layout
/// (`us_stocks_sip/minute_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz`).
///
/// Per ticker (own generator, seeded from the run seed and the ticker): log price = a random-walk
/// anchor plus a mean-reverting deviation (half-life ~30 minutes), overnight gaps, prices in cents;
/// U-shaped intraday volume (heavier at the open and the close) with log-normal noise; about 0.3 % of
/// regular-hours minutes missing; sparse pre-market (04:00–09:30) and after-hours (16:00–20:00) bars.
/// Regular hours follow the NYSE calendar (holidays, 13:00 early closes, DST).
public struct SyntheticDataset: Sendable {
    public var tickers: [String]
    public var start: CivilDate
    public var days: Int
    public var seed: UInt64

    public init(tickers: [String], start: CivilDate, days: Int, seed: UInt64) {
        self.tickers = tickers
        self.start = start
        self.days = days
        self.seed = seed
    }

    struct TickerState {
        var rng: Xoshiro256
        var anchor: Double  // log price the deviation reverts to
        var deviation: Double
        var minuteVolatility: Double
        var baseVolume: Double

        var price: Double { exp(anchor + deviation) }
    }

    func initialState(_ ticker: String) -> TickerState {
        var rng = Xoshiro256(seed: seed, key: ticker)
        let startPrice = 20 + 380 * rng.nextUnit()
        let dailyVolatility = 0.012 + 0.018 * rng.nextUnit()
        return TickerState(rng: rng, anchor: log(startPrice), deviation: 0,
                           minuteVolatility: dailyVolatility / sqrt(390), baseVolume: 2_000 + 20_000 * rng.nextUnit())
    }

    /// One ticker's next day: an overnight gap (a move of the anchor, the intraday deviation half
    /// forgotten), then the day's bars. Each ticker has its own generator, so the order in which tickers
    /// and days are generated does not change any bar.
    func nextDay(_ ticker: String, _ date: CivilDate, _ state: inout TickerState, _ calendar: ExchangeCalendar) -> [Bar] {
        state.anchor += 0.01 * state.rng.nextGaussian()
        state.deviation *= 0.5
        return day(for: ticker, on: date, state: &state, calendar: calendar)
    }

    /// Writes the day files under `directory` (`us_stocks_sip/minute_aggs_v1/YYYY/MM/YYYY-MM-DD.csv.gz`),
    /// streaming each through the compressor; returns their paths.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        let calendar = ExchangeCalendar.nyse
        let sorted = tickers.sorted()
        var states = sorted.map(initialState)
        var written: [String] = []
        for date in calendar.tradingDays(from: start, count: days) {
            let folder = "\(directory)/us_stocks_sip/minute_aggs_v1/\(String(date.year))/\(date.description.dropFirst(5).prefix(2))"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let path = "\(folder)/\(date).csv.gz"
            let writer = try ArchiveFileWriter(path: path)
            try writer.beginMember(name: "\(date).csv", size: nil)
            try writer.write(Array("ticker,volume,open,close,high,low,window_start,transactions\n".utf8))
            for index in states.indices {
                var text = ""
                for bar in nextDay(sorted[index], date, &states[index], calendar) {
                    text += "\(bar.ticker),\(Int64(bar.volume)),\(bar.open),\(bar.close),\(bar.high),\(bar.low),\(bar.start.nanoseconds),\(bar.tradeCount ?? 0)\n"
                }
                try writer.write(Array(text.utf8))
            }
            try writer.finish()
            written.append(path)
        }
        return written
    }

    /// Writes the same bars as a CSV bundle: a `.tar.gz` with one `TICKER.csv` per ticker, header
    /// `timestamp,open,high,low,close,volume`, times in ISO 8601 exchange time with their offset.
    public func writeCSVBundle(to path: String) throws {
        let calendar = ExchangeCalendar.nyse
        let dates = calendar.tradingDays(from: start, count: days)
        let writer = try ArchiveFileWriter(path: path, tar: true)
        for ticker in tickers.sorted() {
            var state = initialState(ticker)
            var text = "timestamp,open,high,low,close,volume\n"
            for date in dates {
                for bar in nextDay(ticker, date, &state, calendar) {
                    text += "\(SyntheticDataset.exchangeTime(bar.start)),\(bar.open),\(bar.high),\(bar.low),\(bar.close),\(Int64(bar.volume))\n"
                }
            }
            let bytes = Array(text.utf8)
            try writer.beginMember(name: "\(ticker).csv", size: Int64(bytes.count))
            try writer.write(bytes)
        }
        try writer.finish()
    }

    /// `2024-03-11T09:30:00-04:00`.
    static func exchangeTime(_ time: Timestamp) -> String {
        let offset = EasternTime.utcOffsetSeconds(at: time)
        let (date, second) = EasternTime.local(time)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(date)T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60))-0\(-offset / 3600):00"
    }

    /// One ticker's bars of one day, extended hours included, in time order.
    func day(for ticker: String, on date: CivilDate, state: inout TickerState, calendar: ExchangeCalendar) -> [Bar] {
        let (open, close) = calendar.regularSession(on: date)!
        let sessionMinutes = (close.nanoseconds - open.nanoseconds) / Timestamp.nanosecondsPerMinute
        let preStart = EasternTime.instant(date, hour: 4, minute: 0)
        let postEnd = EasternTime.instant(date, hour: 20, minute: 0)
        var bars: [Bar] = []
        var minute = preStart
        var last = state.price
        while minute < postEnd {
            let regular = minute >= open && minute < close
            let index = (minute.nanoseconds - open.nanoseconds) / Timestamp.nanosecondsPerMinute
            // Extended hours are thin: most minutes have no trade. Regular hours miss a few minutes.
            let present = regular ? state.rng.nextUnit() >= 0.003 : state.rng.nextUnit() < 0.02
            let move = state.minuteVolatility * state.rng.nextGaussian() * (regular ? 1 : 0.3)
            state.anchor += 0.8 * move
            state.deviation = state.deviation * 0.977 + 0.2 * move  // half-life ≈ 30 minutes
            let next = state.price
            if present {
                let wick = state.minuteVolatility * next
                let high = max(last, next) + abs(state.rng.nextGaussian()) * 0.4 * wick
                let low = max(0.01, min(last, next) - abs(state.rng.nextGaussian()) * 0.4 * wick)
                let shape: Double
                if regular {
                    let x = (Double(index) + 0.5) / Double(sessionMinutes) * 2 - 1  // −1 at the open, +1 at the close
                    shape = 0.5 + 2.0 * x * x
                } else {
                    shape = 0.02
                }
                let volume = max(1, (state.baseVolume * shape * exp(0.5 * state.rng.nextGaussian())).rounded())
                let open = cents(last), closePrice = cents(next)
                bars.append(Bar(
                    ticker: ticker, start: minute, open: open,
                    high: max(cents(high), max(open, closePrice)), low: min(cents(low), min(open, closePrice)),
                    close: closePrice, volume: volume,
                    tradeCount: max(1, Int64(volume / (60 + 90 * state.rng.nextUnit())))))
                last = next
            }
            minute = minute.adding(minutes: 1)
        }
        return bars
    }

    func cents(_ value: Double) -> Price { Fixed(raw: Int64((value * 100).rounded(.toNearestOrEven)) * 1_000_000) }
}
