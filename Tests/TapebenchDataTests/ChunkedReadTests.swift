import Foundation
import Testing
import TapebenchCore
@testable import TapebenchData

/// `BarStream.read(into:)`, the replay's way of taking bars a chunk at a time, hands out exactly what
/// `next()` does: the same bars, ids, findings and tables, and an error only after every bar read before it.
@Suite struct ChunkedReadTests {
    /// Every bar of `stream` through `read(into:)` with room for `size` bars a call; the error's text, if any.
    static func readChunks(_ stream: inout some BarStream, size: Int) -> (bars: [Bar], error: String?) {
        let buffer = UnsafeMutableBufferPointer<Bar>.allocate(capacity: size)
        defer { buffer.deallocate() }
        var bars: [Bar] = []
        do {
            while true {
                let count = try stream.read(into: buffer)
                #expect(count <= size)
                if count == 0 { break }
                for index in 0..<count { bars.append((buffer.baseAddress! + index).move()) }
            }
        } catch {
            return (bars, "\(error)")
        }
        return (bars, nil)
    }

    static func readOneByOne(_ stream: inout some BarStream) -> (bars: [Bar], error: String?) {
        var bars: [Bar] = []
        do {
            while let bar = try stream.next() { bars.append(bar) }
        } catch {
            return (bars, "\(error)")
        }
        return (bars, nil)
    }

    static func sameBars(_ a: [Bar], _ b: [Bar]) -> Bool {
        a == b && a.map(\.tickerID) == b.map(\.tickerID)
    }

    @Test("flat files: next()'s bars, ids, findings and table, in chunks of 1, 3 and 256, in memory and spilled",
          arguments: [1, 3, 256], [97, 1 << 22])
    func flatFiles(size: Int, memoryCapacity: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try FlatFileSpillTests.dataset(folder + "/data")
        func stream() -> FlatFileDayStream {
            FlatFileDayStream(files: files, selection: DataSelection(), policy: ValidationPolicy(),
                              day: DayBuffer(memoryCapacity: memoryCapacity, folder: folder))
        }
        var single = stream(), chunked = stream()
        let a = Self.readOneByOne(&single), b = Self.readChunks(&chunked, size: size)
        #expect(a.error == nil && b.error == nil)
        #expect(a.bars.count > 1_000)
        #expect(Self.sameBars(a.bars, b.bars))
        #expect(chunked.quality == single.quality)
        #expect(chunked.tickers.names == single.tickers.names)
        #expect(try chunked.read(into: UnsafeMutableBufferPointer(start: nil, count: 0)) == 0)
    }

    /// A dataset of three days whose last file has a row that cannot be read (an error under any policy).
    static func damagedDataset(_ folder: String) throws -> Dataset {
        let files = try FlatFileSpillTests.dataset(folder)
        let writer = try ArchiveFileWriter(path: files[2])
        try writer.beginMember(name: "day.csv", size: nil)
        try writer.write(Array("ticker,volume,open,close,high,low,window_start,transactions\nS001,1,1,1,1,1,1710250200000000000,1\nS001,1,x,1,1,1,1710250260000000000,1\n".utf8))
        try writer.finish()
        return try Dataset(paths: [folder])
    }

    @Test("an error in a later day comes after every bar before it, with next()'s message", arguments: [1, 5, 256])
    func errorAfterBars(size: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dataset = try Self.damagedDataset(folder)
        var single = try dataset.bars(DataSelection()), chunked = try dataset.bars(DataSelection())
        let a = Self.readOneByOne(&single), b = Self.readChunks(&chunked, size: size)
        #expect(a.error != nil)
        #expect(a.error?.contains("field 'open'") == true)
        #expect(b.error == a.error)
        #expect(a.bars.count > 1_000)
        #expect(Self.sameBars(a.bars, b.bars))
    }

    @Test("merged streams: one stream in chunks, several a bar a call, next()'s bars either way")
    func merged() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try FlatFileSpillTests.dataset(folder)
        func flat(_ tickers: Set<String>) -> any BarStream {
            FlatFileDayStream(files: files, selection: DataSelection(tickers: tickers), policy: ValidationPolicy())
        }
        // One stream: chunks as the stream reads them.
        var single = MergedBarStream([flat(["S001", "S002"])]), chunked = MergedBarStream([flat(["S001", "S002"])])
        let a = Self.readOneByOne(&single), b = Self.readChunks(&chunked, size: 64)
        #expect(a.error == nil && b.error == nil && a.bars.count > 500)
        #expect(Self.sameBars(a.bars, b.bars))
        // Two streams merged (tickers of both, renumbered): a bar a call, in merged order.
        let table = TickerTable()
        var both = MergedBarStream([flat(["S001"]), flat(["S002"])], tickers: table)
        var bothChunked = MergedBarStream([flat(["S001"]), flat(["S002"])], tickers: table)
        let c = Self.readOneByOne(&both)
        let buffer = UnsafeMutableBufferPointer<Bar>.allocate(capacity: 8)
        defer { buffer.deallocate() }
        var d: [Bar] = []
        while true {
            let count = try bothChunked.read(into: buffer)
            #expect(count <= 1)
            if count == 0 { break }
            d.append(buffer.baseAddress!.move())
        }
        #expect(c.error == nil && c.bars.count == a.bars.count)
        #expect(Self.sameBars(c.bars, d))
    }

    @Test("the pipelined stream: next()'s bars in chunks, and the error after the bars before it", arguments: [1, 7, 300])
    func pipelined(size: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dataset = try Self.damagedDataset(folder)
        var direct = try dataset.bars(DataSelection())
        let piped = PipelinedBarStream(try dataset.bars(DataSelection()), batchSize: 100, depth: 2)
        var stream: any BarStream = piped
        let a = Self.readOneByOne(&direct), b = Self.readChunks(&stream, size: size)
        #expect(a.error != nil && b.error == a.error)
        #expect(Self.sameBars(a.bars, b.bars))
    }
}
