import Foundation
import Testing
import TapebenchCore
import TapebenchData

/// A bundle read in runs spilled to disk gives exactly the bars (values, ids, order) and findings of the
/// same bundle sorted in memory.
@Suite struct SpillSorterTests {
    func drain(_ stream: inout CSVBarStream) throws -> [Bar] {
        var bars: [Bar] = []
        while let bar = try stream.next() { bars.append(bar) }
        return bars
    }

    @Test("spilled runs merge to the in-memory order, ties between files included", arguments: [nil, Set(["T00002", "T00005", "T00006"])])
    func sameAsMemory(tickers: Set<String>?) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bundle = folder + "/bundle.tar.gz"
        try SyntheticDataset(tickers: (1...6).map { "T0000\($0)" }.reversed(), start: CivilDate(iso: "2024-03-08")!, days: 2, seed: 3)
            .writeCSVBundle(to: bundle)
        // A second file repeats two bars of T00002 with other prices, and adds a ticker: the same (start,
        // ticker) in two runs, kept under this policy, must come out in reading order.
        let extra = folder + "/T00002.csv"
        try """
        timestamp,open,high,low,close,volume
        2024-03-08T09:30:00-05:00,50,51,49,50.5,100
        2024-03-08T09:31:00-05:00,50,51,49,50.5,100
        """.write(toFile: extra, atomically: true, encoding: .utf8)
        var policy = ValidationPolicy()
        policy.actions[.outOfOrder] = .keep
        policy.actions[.duplicateConflict] = .keep
        let selection = DataSelection(tickers: tickers)
        var memory = try CSVBarStream(files: [bundle, extra], hints: DialectHints(), selection: selection, policy: policy)
        var spilled = try CSVBarStream(files: [bundle, extra], hints: DialectHints(), selection: selection, policy: policy, runCapacity: 97)
        #expect(memory.spilledRuns == 0)
        #expect(spilled.spilledRuns > 10)
        let a = try drain(&memory), b = try drain(&spilled)
        #expect(a.count > 2000 && a.count == b.count)
        #expect(zip(a, b).filter { $0 != $1 || $0.tickerID != $1.tickerID }.count == 0)
        #expect(memory.tickers.names == spilled.tickers.names)
        #expect(memory.quality == spilled.quality)
        #expect(memory.quality.count(.outOfOrder) > 0)
        // Replay order: time, then ticker; the two T00002 bars at 09:30 in reading order (bundle first).
        #expect(zip(a, a.dropFirst()).allSatisfy { !Bar.replayOrder($1, $0) })
        let open = a.filter { $0.ticker == "T00002" && $0.start == Timestamp(seconds: 1_709_908_200) }
        #expect(open.count == 2 && open.last?.close == Fixed(raw: 5_050_000_000))
        #expect(a.allSatisfy { memory.tickers.name($0.tickerID) == $0.ticker })
    }
}
