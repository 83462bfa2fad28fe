import TapebenchCore

/// What the reader learnt about one CSV file or archive member.
public struct CSVMember: Sendable {
    /// `file` or `bundle.zip[member]`: where messages point.
    public var source: String
    public var name: String
    public var dialect: CSVDialect
    /// The ticker from the file name, for files without a ticker column.
    public var fileTicker: String?
}

/// Reads bars from CSV files and bundles of them, in any supported dialect, streaming.
public enum CSVReader {
    /// Rows read before the dialect is decided (they are then parsed like the rest).
    static let sampleLines = 50

    /// Members whose name ends in one of these are read; the rest of a bundle (READMEs) is skipped.
    public static func isCSVName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".csv") || lower.hasSuffix(".txt") && !lower.hasSuffix("readme.txt")
    }

    /// Streams every bar of `path`. `onMember` hears of each member once its dialect is known, `onSkipped`
    /// of members that are not CSV, `onNoBars` of a member that is a header and nothing else (with the
    /// member and the line after the header; by default an error); `onBar` gets the bars in file order.
    public static func read(
        path: String, hints: DialectHints,
        onMember: (CSVMember) throws -> Void = { _ in },
        onSkipped: (String) -> Void = { _ in },
        onNoBars: (String, Int) throws -> Void = { throw InputError(file: $0, line: $1, message: "no rows after the header") },
        onBar: (Bar, Origin) throws -> Void
    ) throws {
        // The callbacks are only used during this call; the member reader's nesting needs them escapable.
        try withoutActuallyEscaping(onMember) { onMember in
            try withoutActuallyEscaping(onBar) { onBar in
                try readMembers(path: path, hints: hints, onMember: onMember, onSkipped: onSkipped, onNoBars: onNoBars, onBar: onBar)
            }
        }
    }

    private static func readMembers(
        path: String, hints: DialectHints, onMember: @escaping (CSVMember) throws -> Void,
        onSkipped: (String) -> Void, onNoBars: (String, Int) throws -> Void, onBar: @escaping (Bar, Origin) throws -> Void
    ) throws {
        let members = try ArchiveMembers(path: path)
        var read = 0
        var notCSV: [String] = []
        try members.forEachMember { name, readBytes in
            guard !members.isBundle || isCSVName(name) else {
                onSkipped(name)
                notCSV.append(name)
                return
            }
            read += 1
            let source = members.isBundle ? "\(path)[\(name)]" : path
            var state = MemberState(source: source, name: name, hints: hints)
            var splitter = LineSplitter(source: source, quoted: true)
            splitter.separator = hints.separator
            try readBytes { block in
                try splitter.feedRecords(block) { line, number, quote in try state.line(line, number, quote, onMember: onMember, onBar: onBar) }
                // Once the dialect is known, quotes open fields only after its own separator.
                if splitter.separator == nil, let separator = state.separator { splitter.separator = separator }
            }
            try splitter.finishRecords { line, number, quote in try state.line(line, number, quote, onMember: onMember, onBar: onBar) }
            if let header = state.headerOnly { return try onNoBars(source, header + 1) }
            try state.finish(onMember: onMember, onBar: onBar)
        }
        if members.isBundle, read == 0 {
            throw InputError(file: path, message: "no CSV file to read: \(emptyBundleDetail(members.skippedEntries, notCSV))")
        }
    }

    /// Why a bundle gave nothing: its links and other entries (never followed), or its files not named `.csv`/`.txt`.
    static func emptyBundleDetail(_ entries: [(name: String, kind: String)], _ notCSV: [String]) -> String {
        var parts: [String] = []
        if !entries.isEmpty {
            let kinds = Dictionary(grouping: entries, by: \.kind).keys.sorted()
            let counts = kinds.map { kind in
                let n = entries.filter { $0.kind == kind }.count
                return "\(n) \(kind)\(n == 1 ? "" : "s")"
            }
            parts.append("\(counts.joined(separator: ", ")) (first \(InputError.quote(entries[0].name))), not regular files: links are not followed")
        }
        if !notCSV.isEmpty {
            parts.append("\(notCSV.count) files not named .csv or .txt (first \(InputError.quote(notCSV[0])))")
        }
        return parts.isEmpty ? "the archive is empty" : "it holds " + parts.joined(separator: "; ")
    }

    /// The ticker a file name gives: the hint, the pattern's first capture, LEAN's name, or the stem.
    static func ticker(forMember name: String, hints: DialectHints) throws -> String? {
        if let ticker = hints.ticker { return ticker }
        let base = name.split(separator: "/").last.map(String.init) ?? name
        if let pattern = hints.tickerPattern {
            guard let regex = try? Regex(pattern) else {
                throw InputError(file: name, field: "ticker_pattern", message: "\(InputError.quote(pattern)) is not a regular expression")
            }
            guard let match = try? regex.firstMatch(in: base), match.count > 1, let capture = match[1].substring else { return nil }
            return String(capture)
        }
        if let lean = LeanNames.parse(base) { return lean.ticker }
        var stem = base
        for suffix in [".gz", ".csv", ".txt"] where stem.lowercased().hasSuffix(suffix) { stem = String(stem.dropLast(suffix.count)) }
        return stem
    }

    /// One member's progress: lines are held until the dialect is known, then parsed as they come.
    struct MemberState {
        let source: String
        let name: String
        let hints: DialectHints
        var sample: [(text: String, number: Int)] = []
        var parser: CSVRowParser?
        /// Whether `parser` is set, tested per line as a flag: comparing the optional parser with nil would
        /// copy it (a large struct) on every line.
        var decided = false
        /// The dialect's separator, once decided.
        var separator: UInt8?
        var headerLine: Int?

        init(source: String, name: String, hints: DialectHints) {
            self.source = source
            self.name = name
            self.hints = hints
        }

        mutating func line(_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ mayHoldQuote: Bool, onMember: (CSVMember) throws -> Void, onBar: (Bar, Origin) throws -> Void) throws {
            if decided {
                if let bar = try parser!.bar(line, number: number, mayHoldQuote: mayHoldQuote) { try onBar(bar, Origin(file: source, line: number)) }
                return
            }
            let text = String(decoding: line, as: UTF8.self)
            if sample.isEmpty && text.trimmingWhitespace().isEmpty { return }  // leading blank lines
            sample.append((text, number))
            if sample.count > CSVReader.sampleLines { try decide(onMember: onMember, onBar: onBar) }
        }

        /// The line of the header, when the member is a header and nothing else: a file with no bars.
        var headerOnly: Int? {
            guard !decided, sample.count == 1, let line = sample.first else { return nil }
            let fields = CSVFields.split(line.text, separator: hints.separator ?? DialectDetection.guessSeparator(line.text))
            return hints.hasHeader == false || DialectDetection.looksLikeData(fields.map { $0.trimmingWhitespace() }, hints: hints) ? nil : line.number
        }

        mutating func finish(onMember: (CSVMember) throws -> Void, onBar: (Bar, Origin) throws -> Void) throws {
            if !decided { try decide(onMember: onMember, onBar: onBar) }
        }

        mutating func decide(onMember: (CSVMember) throws -> Void, onBar: (Bar, Origin) throws -> Void) throws {
            var dialect = try DialectDetection.detect(source: source, memberName: name, lines: sample.map(\.text), hints: hints)
            let ticker = dialect.ticker == nil ? try CSVReader.ticker(forMember: name, hints: hints) : nil
            let date = FileNameDate.find(name)
            let rows = dialect.hasHeader ? Array(sample.dropFirst()) : sample
            // Parse the sample once to learn the bar interval (the most common step between rows; the
            // smallest of those tied), then for real.
            if hints.intervalSeconds == nil, dialect.interval == Timestamp.nanosecondsPerMinute {
                var probe = CSVRowParser(dialect: dialect, source: source, fileTicker: ticker, fileDate: date)
                var starts: [Timestamp] = []
                for row in rows {
                    var bytes = Array(row.text.utf8)
                    if let bar = try bytes.withUnsafeMutableBufferPointer({ try probe.bar(UnsafeBufferPointer($0), number: row.number) }) {
                        starts.append(bar.start)
                    }
                }
                let steps = zip(starts, starts.dropFirst()).map { $1.nanoseconds - $0.nanoseconds }.filter { $0 > 0 }
                let counts = Dictionary(steps.map { ($0, 1) }, uniquingKeysWith: +)
                if let step = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key, step >= Timestamp.nanosecondsPerMinute {
                    dialect.interval = min(step / Timestamp.nanosecondsPerMinute * Timestamp.nanosecondsPerMinute, Timestamp.nanosecondsPerDay)
                }
            }
            try onMember(CSVMember(source: source, name: name, dialect: dialect, fileTicker: ticker))
            var parser = CSVRowParser(dialect: dialect, source: source, fileTicker: ticker, fileDate: date)
            for row in rows {
                var bytes = Array(row.text.utf8)
                if let bar = try bytes.withUnsafeMutableBufferPointer({ try parser.bar(UnsafeBufferPointer($0), number: row.number) }) {
                    try onBar(bar, Origin(file: source, line: row.number))
                }
            }
            self.parser = parser
            decided = true
            separator = dialect.separator
            sample.removeAll()
        }
    }
}
