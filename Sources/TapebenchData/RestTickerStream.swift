import TapebenchCore

/// Streams one ticker's REST aggregate pages in time order, a page at a time, validated. A bar
/// repeated across pages with the same values is passed on once (and counted).
public struct RestTickerStream: BarStream {
    public let ticker: String
    private var pages: [String]
    private var pageIndex = 0
    private var ready: [Bar] = []
    private var position = 0
    private let selection: DataSelection
    private var validator: Validator
    private var flushed = false
    /// The bars of the page before, by start, to recognise a page that overlaps it.
    private var previousPage: [Timestamp: Bar] = [:]
    private var lastStart: Timestamp?
    public private(set) var tickers: TickerTable
    private var id = TickerID.unassigned

    /// `pages` in the order of their first bar.
    public init(ticker: String, pages: [String], selection: DataSelection, policy: ValidationPolicy) {
        self.ticker = ticker
        self.pages = pages
        self.selection = selection
        self.validator = Validator(policy: policy, calendar: selection.calendar)
        tickers = selection.tickerTable
        id = tickers.id(for: ticker) ?? .unassigned
    }

    public var quality: DataQualityReport { validator.report }

    public mutating func next() throws -> Bar? {
        while position >= ready.count {
            ready.removeAll(keepingCapacity: true)
            position = 0
            if pageIndex < pages.count {
                let path = pages[pageIndex]
                pageIndex += 1
                var kept: [Bar] = []
                let bars = try PolygonRestReader.readPage(path: path).bars
                var days = SessionCache(calendar: selection.calendar)
                for (i, read) in bars.enumerated() where selection.contains(read, days: &days) {
                    var bar = read
                    bar.tickerID = id
                    let origin = Origin(file: path, index: i)
                    if let lastStart, bar.start <= lastStart, let earlier = previousPage[bar.start] {
                        try validator.repeated(bar, of: earlier, origin: origin)
                        continue
                    }
                    lastStart = max(lastStart ?? bar.start, bar.start)
                    try validator.observe(bar, origin: origin) { kept.append($0) }
                }
                previousPage = Dictionary(bars.map { ($0.start, $0) }, uniquingKeysWith: { first, _ in first })
                ready = kept
            } else if !flushed {
                flushed = true
                try validator.flush { ready.append($0) }
            } else {
                return nil
            }
        }
        defer { position += 1 }
        return ready[position]
    }
}
