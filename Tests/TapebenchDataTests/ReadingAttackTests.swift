import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// The InputError a body throws (nil when it throws nothing or something else).
func inputError(_ body: () throws -> Void) -> InputError? {
    do { try body(); return nil } catch let error as InputError { return error } catch { return nil }
}

func fileSize(_ path: String) throws -> Int {
    try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
}

/// Every bar of a CSV file or bundle.
func readCSV(_ path: String, hints: DialectHints = DialectHints()) throws -> [Bar] {
    var bars: [Bar] = []
    try CSVReader.read(path: path, hints: hints) { bar, _ in bars.append(bar) }
    return bars
}

/// Issue 10, "Bounded resources": input that once grew memory without bound or blocked forever is
/// refused at once, with the file and the line.
@Suite("attack: bounded resources")
struct BoundedResourceAttackTests {
    static let lineLimitText = "line longer than 1048576 bytes"

    @Test("3 MiB without a line break behind a .csv name is refused at line 1")
    func noLineBreaks() throws {
        let path = try temporaryFolder() + "/x.csv"
        try Data(repeating: UInt8(ascii: "a"), count: 3 << 20).write(to: URL(fileURLWithPath: path))
        let error = try #require(inputError { _ = try readCSV(path) })
        #expect(error.file == path && error.line == 1 && error.message.contains(Self.lineLimitText), "\(error)")
    }

    @Test("a 10 MB header is refused at line 1, in a CSV file and in a flat file")
    func hugeHeader() throws {
        let folder = try temporaryFolder()
        let header = String(repeating: "a,", count: 5_000_000) + "\n2024-03-05 09:30:00,1,1,1,1\n"
        for name in ["big.csv", "2024-03-05.csv"] {
            try header.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        let csv = try #require(inputError { _ = try readCSV(folder + "/big.csv") })
        #expect(csv.line == 1 && csv.message.contains(Self.lineLimitText), "\(csv)")
        let flat = try #require(inputError { try PolygonFlatFileReader.forEachBar(path: folder + "/2024-03-05.csv", tickers: nil) { _, _ in } })
        #expect(flat.line == 1 && flat.message.contains(Self.lineLimitText), "\(flat)")
    }

    @Test("a small .gz that expands to 3 MiB without a line break is refused through libarchive")
    func gzipWithoutLineBreaks() throws {
        let path = try temporaryFolder() + "/x.csv.gz"
        try ArchiveFixture.write(path, .gzip, [.repeated("x.csv", byte: UInt8(ascii: "7"), count: 3 << 20)])
        #expect(try fileSize(path) < 64 << 10)
        let error = try #require(inputError { _ = try readCSV(path) })
        #expect(error.file == path && error.line == 1 && error.message.contains(Self.lineLimitText), "\(error)")
    }

    @Test("a zip of 256 MiB of NUL bytes is refused as binary at its first block")
    func zipOfNULs() throws {
        let path = try temporaryFolder() + "/bundle.zip"
        try ArchiveFixture.write(path, .zip, [.repeated("data.csv", byte: 0, count: 256 << 20)])
        #expect(try fileSize(path) < 1 << 20)
        let error = try #require(inputError { _ = try readCSV(path) })
        #expect(error.file == path + "[data.csv]" && error.line == 1 && error.message.contains("binary data, not text"), "\(error)")
    }

    @Test("a FIFO named x.csv (or x.json, or an order of days) is refused with one line, never waited on")
    func fifo() throws {
        let folder = try temporaryFolder()
        for name in ["x.csv", "x.json", "2024-03-11.csv"] {
            let path = folder + "/" + name
            #expect(mkfifo(path, 0o600) == 0)
            let error = try withDeadline(unblocking: path) { inputError { _ = try Dataset(paths: [path]) } }
            #expect(error?.file == path && error?.message.hasPrefix("not a regular file (a FIFO)") == true, "\(String(describing: error))")
            #expect(error.map { !"\($0)".contains("\n") } == true)
        }
        // A FIFO among ordinary files of a folder is refused too, not skipped in silence.
        let error = try withDeadline(unblocking: folder + "/x.csv") { inputError { _ = try Dataset(paths: [folder]) } }
        #expect(error?.message.hasPrefix("not a regular file") == true)
    }

    @Test("a device behind a .csv name is refused", arguments: ["/dev/zero", "link"])
    func device(name: String) throws {
        var path = name
        if name == "link" {
            path = try temporaryFolder() + "/zero.csv"
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
        }
        let error = try #require(inputError { _ = try readCSV(path) })
        #expect(error.message.hasPrefix("not a regular file (a character device)"), "\(error)")
    }

    @Test("an error quotes at most 40 characters of a 900 kB field, escapes included")
    func longFieldQuoted() throws {
        let folder = try temporaryFolder()
        let field = String(repeating: "9", count: 900_000) + "x"
        try "timestamp,open,high,low,close\n2024-03-05 09:30:00,1,1,1,\(field)\n".write(toFile: folder + "/a.csv", atomically: true, encoding: .utf8)
        let error = try #require(inputError { _ = try readCSV(folder + "/a.csv") })
        #expect("\(error)" == "\(folder)/a.csv:2: field 'close': expected a decimal price, got '\(String(repeating: "9", count: 40))…'")
        // A terminal escape and a line break inside a quoted field stay escaped on one line.
        try "timestamp,open,high,low,close\n2024-03-05 09:30:00,1,1,1,\"\u{1B}[31m\n1\"\n".write(toFile: folder + "/b.csv", atomically: true, encoding: .utf8)
        let escaped = try #require(inputError { _ = try readCSV(folder + "/b.csv") })
        #expect(escaped.message.hasSuffix("got '\\u{1B}[31m\\n1'"), "\(escaped)")
        // A flat file's header is quoted the same way.
        try (String(repeating: "h", count: 500_000) + "\n").write(toFile: folder + "/2024-03-05.csv", atomically: true, encoding: .utf8)
        let header = try #require(inputError { try PolygonFlatFileReader.forEachBar(path: folder + "/2024-03-05.csv", tickers: nil) { _, _ in } })
        #expect(header.message.count < 200, "\(header)")
    }

    @Test("quoting cuts at 40 characters, on character boundaries, and escapes control characters")
    func quote() {
        #expect(InputError.quote("abc") == "'abc'")
        #expect(InputError.quote(String(repeating: "é", count: 41)) == "'" + String(repeating: "é", count: 40) + "…'")
        #expect(InputError.quote("a\tb\r\nc\0") == "'a\\tb\\r\\nc\\0'")
        let bytes = Array(String(repeating: "€", count: 100).utf8)
        #expect(InputError.quote(bytes) == "'" + String(repeating: "€", count: 40) + "…'")
    }

    /// Runs `body`, failing the test when it has not returned within 10 s; a FIFO the body blocks on is
    /// then opened for writing and closed, so that the blocked reader sees its end and the test ends.
    func withDeadline<T: Sendable>(unblocking fifo: String, _ body: @escaping @Sendable () -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: T?
        Thread { result = body(); done.signal() }.start()
        if done.wait(timeout: .now() + 10) == .timedOut {
            Issue.record("blocked on the FIFO \(fifo)")
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
            done.wait()
        }
        return result!
    }
}
