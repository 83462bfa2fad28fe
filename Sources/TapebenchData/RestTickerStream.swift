import TapebenchCore

/// Streams one ticker's REST aggregate pages in time order, a page at a time. A bar repeated across
/// pages (same start) is passed on once and counted.
public struct RestTickerStream: BarStream {
    public let ticker: String
    private var pages: [String]
    private var pageIndex = 0
    private var bars: [Bar] = []
    private var position = 0
    private let selection: DataSelection
    private var lastStart: Timestamp?
    public private(set) var duplicatesDropped = 0

    /// `pages` in the order of their first bar.
    public init(ticker: String, pages: [String], selection: DataSelection) {
        self.ticker = ticker
        self.pages = pages
        self.selection = selection
    }

    public mutating func next() throws -> Bar? {
        while true {
            while position >= bars.count {
                guard pageIndex < pages.count else { return nil }
                let path = pages[pageIndex]
                pageIndex += 1
                bars = try PolygonRestReader.readPage(path: path).bars
                position = 0
                for i in bars.indices.dropFirst() where bars[i].start < bars[i - 1].start {
                    throw InputError(file: path, field: "results[\(i)].t", message: "bars out of time order")
                }
            }
            let bar = bars[position]
            position += 1
            if let lastStart, bar.start <= lastStart {
                duplicatesDropped += 1
                continue
            }
            lastStart = bar.start
            if selection.contains(bar) { return bar }
        }
    }
}
