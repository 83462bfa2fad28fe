import TapebenchCore
import TapebenchData

/// Live bars for paper mode: polls Polygon every `interval` during the regular session of each trading
/// day up to `until` (sleeping between sessions) and hands out each minute once every ticker's bar for it
/// could have been published (the bar's end + `lag`). A bar that arrives after its minute was handed out
/// is counted (`late`), never replayed out of order. Bars starting before `resumeAt` are skipped.
public struct PolygonMinuteSource: MinuteSource {
    let client: PolygonClient
    let tickers: [String]
    let clock: any WallClock
    let calendar: ExchangeCalendar
    let until: CivilDate?
    let interval: Int64
    let lag: Int64
    /// Minutes starting before this are done (handed out, or before the resume point).
    private var handedOut: Timestamp
    private var queue: [[Bar]] = []
    public private(set) var delayed = false
    public private(set) var late = 0
    /// Each ticker's newest bar start received so far (to tell a late bar from one already seen).
    private var seen: [String: Timestamp] = [:]
    /// The day whose last poll (after its close) is done.
    private var finalPoll: CivilDate?
    private var lastPoll: Timestamp?

    public init(client: PolygonClient, tickers: [String], clock: any WallClock, calendar: ExchangeCalendar = .nyse, until: CivilDate?,
                resumeAt: Timestamp?, interval: Int64 = 60 * Timestamp.nanosecondsPerSecond, lag: Int64 = 5 * Timestamp.nanosecondsPerSecond) {
        self.client = client
        self.tickers = tickers.sorted()
        self.clock = clock
        self.calendar = calendar
        self.until = until
        self.interval = interval
        self.lag = lag
        handedOut = resumeAt ?? Timestamp(nanoseconds: .min)
    }

    public mutating func nextMinute() throws -> MinuteSourceAnswer {
        while true {
            if !queue.isEmpty {
                let bars = queue.removeFirst()
                handedOut = bars[0].start.adding(minutes: 1)
                return .minute(bars)
            }
            if StopRequest.isRequested { return .stopped }
            let now = clock.now()
            let today = EasternTime.local(now).date
            if let until, today > until { return .ended }
            // The session's last bar (starting a minute before the close) can be had at the close + lag: one
            // poll at or after that, then the day is done.
            if let session = calendar.regularSession(on: today), finalPoll != today {
                if now < session.open {
                    clock.sleep(until: session.open)
                    continue
                }
                let last = session.close.adding(nanoseconds: lag)
                if let lastPoll, now < last, now < lastPoll.adding(nanoseconds: interval) {
                    clock.sleep(until: min(lastPoll.adding(nanoseconds: interval), last))
                    continue
                }
                try poll(date: today, now: now)
                lastPoll = now
                if now >= last { finalPoll = today }
                continue
            }
            guard let next = nextSession(after: today) else { return .ended }
            if let until, EasternTime.local(next.open).date > until { return .ended }
            clock.sleep(until: next.open)
        }
    }

    private func nextSession(after date: CivilDate) -> (open: Timestamp, close: Timestamp)? {
        for offset in 1...14 { if let session = calendar.regularSession(on: date.adding(days: Int64(offset))) { return session } }
        return nil
    }

    /// Asks for each ticker's bars from the first minute not yet handed out; queues the complete minutes.
    private mutating func poll(date: CivilDate, now: Timestamp) throws {
        let dayStart = EasternTime.local(handedOut).date == date ? handedOut : nil
        var minutes: [Int64: [Bar]] = [:]
        for ticker in tickers {
            let from = dayStart.map { String(max($0.nanoseconds, 0) / 1_000_000) } ?? date.description
            let got = try client.minuteAggregates(ticker: ticker, from: from, to: date.description)
            delayed = delayed || got.delayed
            for bar in got.bars where bar.start.adding(minutes: 1).adding(nanoseconds: lag) <= now && EasternTime.local(bar.start).date == date {
                defer { seen[ticker] = max(seen[ticker] ?? bar.start, bar.start) }
                if bar.start < handedOut {
                    // Its minute was handed out without it: late (unless it was seen, and used, before).
                    if bar.start > seen[ticker] ?? Timestamp(nanoseconds: .min) { late += 1 }
                    continue
                }
                if minutes[bar.start.nanoseconds]?.contains(where: { $0.ticker == bar.ticker }) == true { continue }
                minutes[bar.start.nanoseconds, default: []].append(bar)
            }
        }
        queue = minutes.keys.sorted().map { key in minutes[key]!.sorted { $0.ticker < $1.ticker } }
    }
}
