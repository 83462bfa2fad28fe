import TapebenchCore

/// Streams Polygon flat files one day at a time, in date order, keeping only the selected bars.
public struct FlatFileDayStream: BarStream {
    private var files: [String]
    private var fileIndex = 0
    private var day: [Bar] = []
    private var position = 0
    private let selection: DataSelection
    public private(set) var lastStart: Timestamp?

    /// `files` must be in date order (their names are `YYYY-MM-DD.csv[.gz]`).
    public init(files: [String], selection: DataSelection) {
        self.files = files
        self.selection = selection
    }

    public mutating func next() throws -> Bar? {
        while position >= day.count {
            guard fileIndex < files.count else { return nil }
            let path = files[fileIndex]
            fileIndex += 1
            day = try PolygonFlatFileReader.readDay(path: path, tickers: selection.tickers).filter(selection.contains)
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
