import TapebenchCore

/// The selected bars of CSV files and bundles, validated in file order, then sorted for replay.
///
/// CSV bundles hold one file per ticker (or one for all), each in its own time order, and an archive
/// can only be read front to back; so the selected bars are read through first, then merged in time
/// order. Memory is bounded: beyond `SpillSorter.defaultRunCapacity` bars, sorted runs go to an unnamed
/// temporary file and are merged from there (`SpillSorter`).
public struct CSVBarStream: BarStream {
    private var sequence: BarSequence
    private var position = 0
    /// Runs of bars that went to the temporary file (0 when the selection fits in memory).
    public let spilledRuns: Int
    public let quality: DataQualityReport
    public private(set) var tickers: TickerTable

    public init(files: [String], hints: DialectHints, selection: DataSelection, policy: ValidationPolicy,
                runCapacity: Int = SpillSorter.defaultRunCapacity) throws {
        var validator = Validator(policy: policy, calendar: selection.calendar)
        var sorter = SpillSorter(runCapacity: runCapacity)
        var days = SessionCache(calendar: selection.calendar)
        var table = selection.tickerTable
        for file in files {
            try CSVReader.read(path: file, hints: hints, onMember: { _ in
                try validator.flush { try sorter.append($0, table: table) }
            }, onNoBars: { source, line in
                let date = FileNameDate.find(source).map { LocalDateTime(date: $0, nanosecondOfDay: 0, utcOffsetSeconds: nil, hasTime: false).instant(in: .exchange) }
                try validator.noBars(origin: Origin(file: source, line: line), time: date ?? Timestamp(nanoseconds: 0), detail: "the CSV file has a header and no rows")
            }, onBar: { read, origin in
                guard selection.contains(read, days: &days) else { return }
                var bar = read
                bar.tickerID = table.id(for: bar.ticker) ?? .unassigned
                try validator.observe(bar, origin: origin) { try sorter.append($0, table: table) }
            })
            try validator.flush { try sorter.append($0, table: table) }
        }
        sequence = try sorter.finish(table: table)
        spilledRuns = sorter.spilledRuns
        tickers = table
        quality = validator.report
    }

    public mutating func next() throws -> Bar? {
        switch sequence {
        case .memory(let bars):
            guard position < bars.count else { return nil }
            defer { position += 1 }
            return bars[position]
        case .merge(let merger):
            return try merger.next()
        }
    }
}
