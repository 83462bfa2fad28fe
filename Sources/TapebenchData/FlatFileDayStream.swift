import TapebenchCore

/// Streams Polygon flat files one day at a time, in date order, keeping only the selected bars,
/// validated in file order and then sorted for replay.
public struct FlatFileDayStream: BarStream {
    private var files: [String]
    private var fileIndex = 0
    private var day: [Bar] = []
    private var position = 0
    private let selection: DataSelection
    private var validator: Validator
    public private(set) var lastStart: Timestamp?

    /// `files` must be in date order (their names are `YYYY-MM-DD.csv[.gz]`).
    public init(files: [String], selection: DataSelection, policy: ValidationPolicy) {
        self.files = files
        self.selection = selection
        self.validator = Validator(policy: policy)
    }

    public var quality: DataQualityReport { validator.report }

    public mutating func next() throws -> Bar? {
        while position >= day.count {
            guard fileIndex < files.count else { return nil }
            let path = files[fileIndex]
            fileIndex += 1
            var kept: [Bar] = []
            let selection = self.selection
            let datesLimited = selection.from != nil || selection.to != nil
            var days = SessionCache()
            // The reader keeps only the selected tickers; the dates are checked here, once per day of bars.
            let rows = try PolygonFlatFileReader.forEachBar(path: path, tickers: selection.tickers) { bar, line in
                guard !datesLimited || selection.contains(date: days.local(bar.start).date) else { return }
                try validator.observe(bar, origin: Origin(file: path, line: line)) { kept.append($0) }
            }
            if rows == 0 {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                let date = Dataset.flatFileDate(name).flatMap(CivilDate.init(iso:))
                let midnight = date.map { LocalDateTime(date: $0, nanosecondOfDay: 0, utcOffsetSeconds: nil, hasTime: false).instant(in: .exchange) }
                try validator.noBars(origin: Origin(file: path, line: 2), time: midnight ?? Timestamp(nanoseconds: 0),
                                     detail: "the flat file has a header and no bar rows")
            }
            try validator.flush { kept.append($0) }
            kept.sort(by: Bar.replayOrder)
            day = kept
            position = 0
            if let first = day.first, let lastStart, first.start < lastStart {
                throw InputError(file: path, message: "bars start at \(first.start), before the previous file ends (\(lastStart)); day files overlap")
            }
            if let last = day.last { lastStart = last.start }
        }
        defer { position += 1 }
        return day[position]
    }
}
