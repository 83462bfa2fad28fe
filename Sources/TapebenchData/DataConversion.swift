import TapebenchCore

/// Rewrites any supported input as Polygon flat files (`data convert`), streaming every source.
public enum DataConversion {
    public static func convert(paths: [String], hints: DialectHints, tickers: Set<String>?, to directory: String) throws -> (files: [String], bars: Int) {
        let writer = try FlatFileWriter(directory: directory)
        for path in paths {
            for file in try Dataset.listFiles(path) {
                switch try DataInspector.format(of: file) {
                case .polygonFlatFile:
                    try PolygonFlatFileReader.forEachBar(path: file, tickers: tickers) { bar, _ in try writer.append(bar) }
                case .polygonRest:
                    for bar in try PolygonRestReader.readPage(path: file).bars where tickers?.contains(bar.ticker) ?? true {
                        try writer.append(bar)
                    }
                case .csv:
                    try CSVReader.read(path: file, hints: hints) { bar, _ in
                        if tickers?.contains(bar.ticker) ?? true { try writer.append(bar) }
                    }
                case nil:
                    continue
                }
            }
        }
        let files = try writer.finish()
        return (files, writer.bars)
    }
}
