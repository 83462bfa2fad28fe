import Foundation
import Testing
import TapebenchCore
@testable import TapebenchData

/// A day's bars spilled to the unnamed temporary file in sorted chunks and merged back come out exactly as
/// the in-memory sort puts them: (start, ticker rank), ties in the order taken.
@Suite struct DayBufferTests {
    /// A generated day as a flat file yields it after validation: each ticker's bars in time order, ticker
    /// after ticker, then each ticker's held-back last bar (the validator's flush), with duplicates of a
    /// minute, bars out of order, and ticker ids not in name order (an open table).
    static func day(seed: UInt64, tickers: Int) -> (bars: [DayBar], names: [String]) {
        let (bars, names, _) = dayWithHeldBack(seed: seed, tickers: tickers)
        return (bars, names)
    }

    /// `day(seed:tickers:)`, and where its held-back last bars begin.
    static func dayWithHeldBack(seed: UInt64, tickers: Int) -> (bars: [DayBar], names: [String], heldBack: Int) {
        var rng = SplitMix64(seed: seed)
        // Ids in a shuffled order: id i has name names[i]; the file lists tickers by name.
        var names = (0..<tickers).map { String(format: "T%05d", $0) }
        names.shuffle(using: &rng)
        let byName = names.indices.sorted { names[$0] < names[$1] }
        let open: Int64 = 1_710_163_800_000_000_000
        var bars: [DayBar] = []
        var tails: [DayBar] = []
        for id in byName {
            let minutes = Int(rng.next() % 60)
            var minute = Int64(rng.next() % 20)
            for _ in 0..<minutes {
                bars.append(record(open + minute * 60_000_000_000, ticker: UInt32(id), tag: Int64(bars.count)))
                switch rng.next() % 30 {
                case 0: continue                // the same minute again (a duplicate kept)
                case 1: minute -= 3             // out of order (kept by the policy)
                default: minute += 1 + Int64(rng.next() % 3)
                }
            }
            if rng.next() % 4 != 0 { tails.append(record(open + (80 + Int64(rng.next() % 3)) * 60_000_000_000, ticker: UInt32(id), tag: Int64(-1 - tails.count))) }
        }
        return (bars + tails, names, bars.count)
    }

    static func record(_ start: Int64, ticker: UInt32, tag: Int64) -> DayBar {
        // `open` carries a tag, so that equal keys can be told apart in the result.
        DayBar(Bar(ticker: "", start: Timestamp(nanoseconds: start), open: Fixed(raw: tag), high: Fixed(raw: 2), low: Fixed(raw: 1),
                   close: Fixed(raw: 2), volume: 1, vwap: nil, tradeCount: nil, tickerID: TickerID(raw: ticker)))
    }

    static func ranks(_ names: [String]) -> [UInt32] {
        var ranks = [UInt32](repeating: 0, count: names.count)
        for (rank, id) in names.indices.sorted(by: { names[$0] < names[$1] }).enumerated() { ranks[id] = UInt32(rank) }
        return ranks
    }

    /// The expected order, by a stable sort of (start, rank).
    static func expected(_ bars: [DayBar], _ ranks: [UInt32]) -> [Int64] {
        bars.indices.sorted { a, b in
            let x = (bars[a].start, ranks[Int(bars[a].ticker)], a), y = (bars[b].start, ranks[Int(bars[b].ticker)], b)
            return x < y
        }.map { bars[$0].open }
    }

    /// `heldBack`: where the validator's held-back bars begin (`startHeldBack` is called there), nil: never called.
    static func drain(_ buffer: inout DayBuffer, _ bars: [DayBar], _ names: [String], heldBack: Int? = nil) throws -> [Int64] {
        buffer.reset()
        // Chunks are sorted by the ranks of the tickers seen so far, as a growing open table gives them.
        var seen: [Int] = []
        var isSeen = [Bool](repeating: false, count: names.count)
        func partialRanks() -> [UInt32] {
            var partial = [UInt32](repeating: .max, count: names.count)
            for (rank, id) in seen.sorted(by: { names[$0] < names[$1] }).enumerated() { partial[id] = UInt32(rank) }
            return partial
        }
        for (index, bar) in bars.enumerated() {
            if index == heldBack { try buffer.startHeldBack(ranks: partialRanks) }
            if !isSeen[Int(bar.ticker)] { isSeen[Int(bar.ticker)] = true; seen.append(Int(bar.ticker)) }
            try buffer.append(bar, ranks: partialRanks)
        }
        if heldBack == bars.count { try buffer.startHeldBack(ranks: partialRanks) }
        try buffer.finish(ranks: ranks(names))
        var out: [Int64] = []
        while let bar = try buffer.next() { out.append(bar.open) }
        return out
    }

    @Test("spilled and merged: the same bars in the same order as the in-memory sort", arguments: [1, 7, 100, 1_000, 5_000, 1 << 20])
    func sameOrder(memoryCapacity: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var buffer = DayBuffer(memoryCapacity: memoryCapacity, folder: folder)
        for seed in 1...12 as ClosedRange<UInt64> {
            let (bars, names) = Self.day(seed: seed, tickers: Int(seed) * 40)
            let out = try Self.drain(&buffer, bars, names)
            #expect(out == Self.expected(bars, Self.ranks(names)), "seed \(seed)")
            #expect(buffer.spilled == (bars.count >= memoryCapacity))
            #expect(buffer.firstStart == bars.map(\.start).min())
            #expect(buffer.lastStart == bars.map(\.start).max())
            // The file has no name: nothing shows in the folder while the day is read.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
        }
        // The same days with their held-back bars marked: the runs before them are merged in ticker order
        // (without the heap) whenever the day spilled, to the same order.
        for seed in 1...12 as ClosedRange<UInt64> {
            let (bars, names, heldBack) = Self.dayWithHeldBack(seed: seed, tickers: Int(seed) * 40)
            let out = try Self.drain(&buffer, bars, names, heldBack: heldBack)
            #expect(out == Self.expected(bars, Self.ranks(names)), "seed \(seed), held back")
            // In ticker order when the day had spilled before its held-back bars and those fit one run.
            if heldBack >= memoryCapacity && bars.count - heldBack <= memoryCapacity {
                #expect(buffer.mergesInTickerOrder, "seed \(seed)")
            }
        }
        // A small day after a large one on the same file: nothing of the large one comes back.
        let small = [Self.record(5, ticker: 0, tag: 1), Self.record(4, ticker: 1, tag: 2)]
        #expect(try Self.drain(&buffer, small, ["A", "B"]) == [2, 1])
    }

    @Test("a day not listed by ticker name (runs whose tickers do not rank run after run) is merged by the heap, to the same order",
          arguments: [1, 5, 64])
    func listingNotByName(memoryCapacity: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var buffer = DayBuffer(memoryCapacity: memoryCapacity, folder: folder)
        // By hand: B's day then A's, three minutes each, chunks of one ticker or less: B's run ranks after A's.
        let names = ["B", "A"]
        let byHand = (0..<6).map { Self.record(Int64($0 % 3) * 60_000_000_000, ticker: UInt32($0 / 3), tag: Int64($0)) }
        let out = try Self.drain(&buffer, byHand, names, heldBack: byHand.count)
        #expect(out == [3, 0, 4, 1, 5, 2])
        #expect(out == Self.expected(byHand, Self.ranks(names)))
        #expect(!buffer.mergesInTickerOrder)
        for seed in 1...6 as ClosedRange<UInt64> {
            var (bars, names, heldBack) = Self.dayWithHeldBack(seed: seed, tickers: 30)
            // The same rows listed ticker after ticker in a shuffled order.
            var rng = SplitMix64(seed: seed)
            var order = Array(Set(bars[..<heldBack].map(\.ticker)))
            order.sort()
            order.shuffle(using: &rng)
            let listed = order.flatMap { id in bars[..<heldBack].filter { $0.ticker == id } }
            bars = listed + bars[heldBack...]
            let out = try Self.drain(&buffer, bars, names, heldBack: heldBack)
            #expect(out == Self.expected(bars, Self.ranks(names)), "seed \(seed)")
        }
    }

    @Test("bars taken in batches of any size (in memory or from the merge), mixed with bars one at a time, are the bars `next()` hands out, named by the table",
          arguments: [1, 3, 64, 1_000, 1 << 20])
    func takeInBatches(memoryCapacity: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var buffer = DayBuffer(memoryCapacity: memoryCapacity, folder: folder)
        // Seeds 9…16: the same days with their held-back bars marked (the merge in ticker order, a block of
        // a run's bars at a time, where the day spilled).
        for seed in 1...16 as ClosedRange<UInt64> {
            var (bars, names, heldBack) = Self.dayWithHeldBack(seed: (seed - 1) % 8 + 1, tickers: Int((seed - 1) % 8 + 1) * 15)
            // Seed 1: one ticker in time order (no order made); the others need sorting.
            if seed == 1 { bars = bars.filter { $0.ticker == 0 }.sorted { $0.start < $1.start } }
            let marked: Int? = seed > 8 ? heldBack : nil
            let expected = try Self.drain(&buffer, bars, names, heldBack: marked)
            var table = TickerTable()
            for name in names { _ = table.id(for: name) }
            // Fill the buffer again, then hand it out through `take` in batches of 1…97, one bar by `next()` between.
            buffer.reset()
            for (index, bar) in bars.enumerated() {
                if index == marked { try buffer.startHeldBack { Self.ranks(names) } }
                try buffer.append(bar) { Self.ranks(names) }
            }
            try buffer.finish(ranks: Self.ranks(names))
            if seed > 8 && heldBack >= memoryCapacity && bars.count - heldBack <= memoryCapacity { #expect(buffer.mergesInTickerOrder) }
            var rng = SplitMix64(seed: seed)
            var out: [Bar] = []
            let space = UnsafeMutablePointer<Bar>.allocate(capacity: 97)
            defer { space.deallocate() }
            while true {
                let want = 1 + Int(rng.next() % 97)
                if let taken = buffer.take(into: space, count: want, tickers: table) {
                    #expect(!buffer.spilled && taken <= want)
                    out += UnsafeBufferPointer(start: space, count: taken)
                    space.deinitialize(count: taken)
                    if taken == 0 { break }
                } else {
                    // Spilled: the batch from the merge; fewer than asked only at the end of the day.
                    #expect(buffer.spilled)
                    var taken = 0
                    try buffer.takeMerged(into: space, count: want, tickers: table, taken: &taken)
                    #expect(taken <= want)
                    out += UnsafeBufferPointer(start: space, count: taken)
                    space.deinitialize(count: taken)
                    if taken < want {
                        #expect(try buffer.next() == nil)
                        break
                    }
                }
                guard let one = try buffer.next() else { break }
                out.append(one.bar(table))
            }
            #expect(out.map(\.open.raw) == expected, "seed \(seed)")
            #expect(out.allSatisfy { $0.ticker == names[Int($0.tickerID.raw)] })
        }
    }

    @Test("the merge's run buffers fill the same budget for 2 runs as for 13 (a day of 50 tickers and of 500)", arguments: [2, 13])
    func sameBudget(runs: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = SpillFile(descriptor: try SpillSorter.temporaryFile(in: folder))
        let length = DaySpillMerge.maximumPerRun
        try file.write((0..<runs * length).map { Self.record(Int64($0 % length), ticker: UInt32($0 / length), tag: Int64($0)) }, at: 0)
        let merge = try DaySpillMerge(file: file, runs: (0..<runs).map { $0 * length..<($0 + 1) * length }, ranks: (0..<runs).map(UInt32.init))
        // 512 KiB of 64-byte records is 8,192: 2 × 4,096, or 13 × 630 = 8,190.
        #expect(DaySpillMerge.bufferBudget == 1 << 19 && MemoryLayout<DayBar>.stride == 64)
        #expect(merge.bufferedRecords == (runs == 2 ? 8_192 : 8_190))
    }

    @Test("the merge's run buffers stay within the budget whatever the number of runs", arguments: [50, 500, 2_000])
    func bufferBudget(runs: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // `runs` tickers of 400 bars each, every ticker one run, as a flat file's day comes.
        let file = SpillFile(descriptor: try SpillSorter.temporaryFile(in: folder))
        let bars = (0..<runs * 400).map { Self.record(Int64($0 % 400), ticker: UInt32($0 / 400), tag: Int64($0)) }
        try file.write(bars, at: 0)
        let merge = try DaySpillMerge(file: file, runs: (0..<runs).map { $0 * 400..<($0 + 1) * 400 }, ranks: (0..<runs).map(UInt32.init))
        #expect(merge.bufferedRecords * MemoryLayout<DayBar>.stride <= DaySpillMerge.bufferBudget)
        #expect(merge.bufferedRecords >= runs * DaySpillMerge.minimumPerRun)
        var out: [Int64] = []
        while let bar = try merge.next() { out.append(bar.open) }
        #expect(out == Self.expected(bars, (0..<runs).map(UInt32.init)))
    }

    @Test("a folder where no temporary file can be made is one line naming it")
    func noFolder() throws {
        var buffer = DayBuffer(memoryCapacity: 2, folder: "/nonexistent/tapebench")
        let (bars, names) = Self.day(seed: 3, tickers: 20)
        do {
            _ = try Self.drain(&buffer, bars, names)
            Issue.record("expected an error")
        } catch let error as InputError {
            #expect(error.description.hasPrefix("(temporary file): cannot create a temporary file in /nonexistent/tapebench"))
            #expect(!error.description.contains("\n"))
        }
    }
}
