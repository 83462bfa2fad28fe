import Foundation
import Testing
import TapebenchCore
@testable import TapebenchData

/// The pipelined stream hands out exactly what the stream it wraps does, in the same order, with the same
/// findings and the same error at the same place.
@Suite struct PipelinedBarStreamTests {
    func dataset() throws -> (folder: String, dataset: Dataset) {
        let folder = try temporaryFolder()
        try SyntheticDataset(tickers: ["B", "A", "C"], start: CivilDate(iso: "2024-03-08")!, days: 3, seed: 5).write(to: folder)
        return (folder, try Dataset(paths: [folder]))
    }

    func drain(_ stream: inout some BarStream) throws -> [Bar] {
        var bars: [Bar] = []
        while let bar = try stream.next() { bars.append(bar) }
        return bars
    }

    @Test("same bars, ids, findings and tables as the stream it wraps, whatever the batch size", arguments: [1, 7, 4096])
    func same(batchSize: Int) throws {
        let (folder, dataset) = try dataset()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var direct = try dataset.bars(DataSelection())
        var piped = PipelinedBarStream(try dataset.bars(DataSelection()), batchSize: batchSize, depth: 2)
        let a = try drain(&direct), b = try drain(&piped)
        #expect(a.count > 3000 && a.count == b.count)
        #expect(zip(a, b).filter { $0 != $1 || $0.tickerID != $1.tickerID }.count == 0)
        #expect(piped.quality == direct.quality)
        #expect(piped.tickers.names == ["A", "B", "C"] && direct.tickers.names == piped.tickers.names)
        #expect(try piped.next() == nil)
    }

    @Test("an error in the data arrives after the bars read before it, with the same message")
    func error() throws {
        let (folder, _) = try dataset()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Break the last day's file: a row with a price that is not a number.
        let files = try Dataset(paths: [folder]).flatFiles
        let writer = try ArchiveFileWriter(path: files[2])
        try writer.beginMember(name: "day.csv", size: nil)
        try writer.write(Array("ticker,volume,open,close,high,low,window_start,transactions\nA,1,1,1,1,1,1710250200000000000,1\nA,1,x,1,1,1,1710250260000000000,1\n".utf8))
        try writer.finish()
        let dataset = try Dataset(paths: [folder])
        func run(_ stream: inout some BarStream) -> (count: Int, message: String) {
            var count = 0
            do { while try stream.next() != nil { count += 1 } } catch { return (count, "\(error)") }
            return (count, "")
        }
        var direct = try dataset.bars(DataSelection())
        var piped = PipelinedBarStream(try dataset.bars(DataSelection()), batchSize: 5, depth: 1)
        let a = run(&direct), b = run(&piped)
        #expect(a.count > 1000 && a.count == b.count)
        #expect(a.message.contains("field 'open'") && a.message == b.message)
    }

    @Test("dropped before the end, the reading thread stops (no hang, no leak of the thread)")
    func dropped() throws {
        let (folder, dataset) = try dataset()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for _ in 0..<20 {
            let piped = PipelinedBarStream(try dataset.bars(DataSelection()), batchSize: 3, depth: 1)
            #expect(try piped.next() != nil)
        }
    }

    @Test("the queue lets go of each batch once taken, even when it never runs empty (memory stays at depth batches)")
    func takenBatchesReleased() {
        let channel = PipelinedBarStream.Channel(depth: 3)
        #expect(channel.put(.bars([], TickerTable())))
        for _ in 0..<100 {
            // One in, one out, one always waiting: the queue never drains.
            #expect(channel.put(.bars([], TickerTable())))
            _ = channel.take()
            #expect(channel.held == 1)
        }
        _ = channel.take()
        #expect(channel.held == 0)
        channel.producerExited()
    }

    @Test("the batches in flight at the runner's depth (8) take under 2 MiB")
    func batchMemory() {
        let alive = (8 + 2) * PipelinedBarStream.defaultBatchSize * MemoryLayout<Bar>.stride
        #expect(alive < 2 << 20)
    }
}
