import Foundation
import Testing
import TapebenchCore
@testable import TapebenchData

/// Flat-file days spilled to the temporary file give the bars and findings of the in-memory path, and the
/// file leaves nothing behind: no name in its folder at any time, no descriptor once the stream is gone,
/// whether the reading finished, failed on a bad row, or stopped at a cut file.
@Suite struct FlatFileSpillTests {
    static let tickers = (1...60).map { String(format: "S%03d", $0) }

    static func dataset(_ folder: String) throws -> [String] {
        try SyntheticDataset(tickers: tickers, start: CivilDate(iso: "2024-03-07")!, days: 3, seed: 11).write(to: folder)
    }

    static func read(_ files: [String], _ selection: DataSelection, memoryCapacity: Int, spillFolder: String) throws -> (bars: [Bar], quality: DataQualityReport, spilled: Bool) {
        var stream = FlatFileDayStream(files: files, selection: selection, policy: ValidationPolicy(),
                                       day: DayBuffer(memoryCapacity: memoryCapacity, folder: spillFolder))
        var bars: [Bar] = []
        var spilled = false
        while let bar = try stream.next() {
            bars.append(bar)
            spilled = spilled || stream.daySpilled
        }
        return (bars, stream.quality, spilled)
    }

    /// Open descriptors of this process on a file in `folder` (an unnamed file shows as `folder/#inode (deleted)`).
    static func openFiles(in folder: String) -> [String] {
        #if os(Linux)
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }.filter { $0.hasPrefix(folder + "/") }
        #else
        return []
        #endif
    }

    @Test("spilled days: the same bars, ids and findings as in memory", arguments: [nil, Set(["S002", "S017", "S018", "S059"])])
    func sameAsMemory(tickers: Set<String>?) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spill = folder + "/spill"
        try FileManager.default.createDirectory(atPath: spill, withIntermediateDirectories: true)
        let files = try Self.dataset(folder + "/data")
        let selection = DataSelection(tickers: tickers)
        let memory = try Self.read(files, selection, memoryCapacity: 1 << 22, spillFolder: spill)
        let spilled = try Self.read(files, selection, memoryCapacity: 97, spillFolder: spill)
        #expect(!memory.spilled)
        #expect(spilled.spilled)
        #expect(spilled.bars.count > 1_000)
        #expect(spilled.bars == memory.bars)
        #expect(spilled.bars.map(\.tickerID) == memory.bars.map(\.tickerID))
        #expect(spilled.quality == memory.quality)
        #expect(spilled.quality.barsKept == memory.quality.barsKept)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spill).isEmpty)
        #expect(Self.openFiles(in: spill).isEmpty)
    }

    @Test("nothing is left behind while reading, after a bad row, or after a cut file", arguments: ["row", "cut"])
    func nothingLeftBehind(damage: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let spill = folder + "/spill"
        try FileManager.default.createDirectory(atPath: spill, withIntermediateDirectories: true)
        let files = try Self.dataset(folder + "/data")
        // The last day is damaged; the first two are read (and spilled) before it.
        let last = files[2]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: last))
        if damage == "cut" {
            try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: last))
        } else {
            try Data("ticker,volume,open,close,high,low,window_start,transactions\nS001,100,1.5,1.5,1.5,oops,1709821800000000000,3\n".utf8)
                .write(to: URL(fileURLWithPath: last.replacingOccurrences(of: ".csv.gz", with: ".csv")))
            try FileManager.default.removeItem(atPath: last)
        }
        let paths = damage == "cut" ? files : [files[0], files[1], last.replacingOccurrences(of: ".csv.gz", with: ".csv")]
        var read = 0
        do {
            var stream = FlatFileDayStream(files: paths, selection: DataSelection(), policy: ValidationPolicy(),
                                           day: DayBuffer(memoryCapacity: 50, folder: spill))
            do {
                while try stream.next() != nil {
                    read += 1
                    if read == 2_000 {
                        #expect(stream.daySpilled)
                        #expect(try FileManager.default.contentsOfDirectory(atPath: spill).isEmpty)
                        #if os(Linux)
                        #expect(Self.openFiles(in: spill).count == 1)  // the check below sees such a file
                        #endif
                    }
                }
                Issue.record("expected an error")
            } catch let error as InputError {
                #expect(!error.description.contains("\n"))
                #expect(error.description.hasPrefix(paths[2] + (damage == "row" ? ":2: field 'low':" : ": corrupt or truncated data")), "\(error)")
            }
        }
        #expect(read > 2_000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spill).isEmpty)
        #expect(Self.openFiles(in: spill).isEmpty)
    }
}
