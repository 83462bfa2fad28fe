import Foundation
import TapebenchTestSupport
import TapebenchCalibration
import TapebenchCore
import TapebenchData
import TapebenchExecution

/// Fills with a known answer: orders placed on the bars of Tapebench's own synthetic dataset, each priced by
/// Execution's slippage model (the code a replay runs) from the bar's open, plus seeded noise, rounded to the
/// cent as a broker prints it.
enum SyntheticFills {
    static let tickers = ["AAA", "BBB", "CCC", "DDD"]

    /// The dataset written into a fresh folder, and its bars as calibrate reads them.
    static func dataset() throws -> (folder: String, bars: RecordedBars) {
        let folder = TestScratch.root + "tapebench-calibration-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let synthetic = SyntheticDataset(tickers: tickers, start: CivilDate(year: 2024, month: 3, day: 4), days: 5, seed: 11)
        try synthetic.write(to: folder)
        let days = Set(ExchangeCalendar.nyse.tradingDays(from: synthetic.start, count: synthetic.days))
        return (folder, try RecordedBars.read(try Dataset(paths: [folder]), tickers: Set(tickers), dates: days))
    }

    /// `count` market orders of 0.1 % to 30 % of their bar's volume (log-uniform), filled 20 s into a
    /// regular-hours bar at the model's price plus N(0, `noiseBps`) bp, rounded to the cent.
    static func fills(_ bars: RecordedBars, slippage: SlippageSpec, count: Int, noiseBps: Double, seed: UInt64) -> [ObservedFill] {
        var rng = Xoshiro256(seed: seed, key: "synthetic-fills")
        let regular = tickers.map { ticker in (ticker, bars.bars[ticker]!.filter { ExchangeCalendar.nyse.isRegularHours($0.start) && $0.volume >= 100 }) }
        let model = slippage.model
        return (0..<count).map { n in
            let (ticker, list) = regular[Bootstrap.index(&rng, below: regular.count)]
            let bar = list[Bootstrap.index(&rng, below: list.count)]
            let share = exp(log(0.001) + (log(0.3) - log(0.001)) * rng.nextUnit())
            let quantity = max(1, Int64((share * bar.volume).rounded()))
            let side: OrderSide = rng.nextUnit() < 0.5 ? .buy : .sell
            let modelBar = Bar(ticker: ticker, start: bar.start, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume)
            let modelled = model.price(reference: bar.open, side: side, quantity: quantity, bar: modelBar)!
            let noisy = modelled.doubleValue * (1 + Double(side.sign) * noiseBps / 10_000 * rng.nextGaussian())
            let cents = Fixed(raw: Int64((noisy * 100).rounded(.toNearestOrEven)) * 1_000_000)
            return ObservedFill(time: bar.start.adding(nanoseconds: 20 * Timestamp.nanosecondsPerSecond), ticker: ticker, side: side,
                                quantity: quantity, price: cents, orderType: .market, line: n + 2)
        }
    }
}
