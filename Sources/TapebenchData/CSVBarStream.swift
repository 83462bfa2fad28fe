import TapebenchCore

/// The selected bars of CSV files and bundles, validated in file order, then sorted for replay.
///
/// CSV bundles hold one file per ticker (or one for all), each in its own time order, and an archive
/// can only be read front to back; so the selected bars are gathered first. Memory grows with the
/// selection (tickers × period), not with the size of the files: bars outside it are never kept.
public struct CSVBarStream: BarStream {
    private var bars: [Bar] = []
    private var position = 0
    public let quality: DataQualityReport
    public private(set) var tickers: TickerTable

    public init(files: [String], hints: DialectHints, selection: DataSelection, policy: ValidationPolicy) throws {
        var validator = Validator(policy: policy)
        var kept: [Bar] = []
        var days = SessionCache()
        var table = selection.tickerTable
        for file in files {
            try CSVReader.read(path: file, hints: hints, onMember: { _ in
                try validator.flush { kept.append($0) }
            }, onNoBars: { source, line in
                let date = FileNameDate.find(source).map { LocalDateTime(date: $0, nanosecondOfDay: 0, utcOffsetSeconds: nil, hasTime: false).instant(in: .exchange) }
                try validator.noBars(origin: Origin(file: source, line: line), time: date ?? Timestamp(nanoseconds: 0), detail: "the CSV file has a header and no rows")
            }, onBar: { read, origin in
                guard selection.contains(read, days: &days) else { return }
                var bar = read
                bar.tickerID = table.id(for: bar.ticker) ?? .unassigned
                try validator.observe(bar, origin: origin) { kept.append($0) }
            })
            try validator.flush { kept.append($0) }
        }
        bars = ReplaySort.sorted(kept, ranks: table.sortedOrder())
        tickers = table
        quality = validator.report
    }

    public mutating func next() throws -> Bar? {
        guard position < bars.count else { return nil }
        defer { position += 1 }
        return bars[position]
    }
}
