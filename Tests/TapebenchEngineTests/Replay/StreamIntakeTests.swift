import Testing
import TapebenchCore
import TapebenchData
import TapebenchExecution
@testable import TapebenchEngine

/// `Orchestrator.process(from:limit:)`, the runner's per-bar loop in non-generic code, replays a stream as
/// `process(_:)` bar by bar does: same orders, trades, snapshots and statistics, whatever the limit.
@Suite struct StreamIntakeTests {
    /// Bars in replay order, counting the calls to `next()` after it first returned nil.
    struct CountingStream: BarStream {
        var bars: [Bar]
        var position = 0
        var callsAfterEnd = 0
        var quality: DataQualityReport { DataQualityReport() }
        var tickers: TickerTable { TickerTable() }

        mutating func next() throws -> Bar? {
            guard position < bars.count else { callsAfterEnd += 1; return nil }
            defer { position += 1 }
            return bars[position]
        }
    }

    /// `CountingStream` handing out its bars in chunks of `sizes` (in turn) through `read(into:)`, as a flat-file
    /// stream does: the intake keeps what it has not taken for its next call.
    struct ChunkStream: BarStream {
        var bars: [Bar]
        var sizes: [Int]
        var position = 0
        var reads = 0
        var callsAfterEnd = 0
        var quality: DataQualityReport { DataQualityReport() }
        var tickers: TickerTable { TickerTable() }

        mutating func next() throws -> Bar? {
            Issue.record("the intake reads through read(into:)")
            return nil
        }

        mutating func read(into buffer: UnsafeMutableBufferPointer<Bar>) throws -> Int {
            guard position < bars.count else { callsAfterEnd += 1; return 0 }
            let count = min(sizes[reads % sizes.count], buffer.count, bars.count - position)
            reads += 1
            for index in 0..<count { (buffer.baseAddress! + index).initialize(to: bars[position + index]) }
            position += count
            return count
        }
    }

    /// Three tickers over two days (2024-03-08 and the Monday after the change to daylight time), a random
    /// walk from `seed`, with bars before the open and a few minutes missing.
    static func bars(seed: UInt64) -> [Bar] {
        var random = SplitMix64(seed: seed)
        var bars: [Bar] = []
        let opens = [Timestamp(seconds: 1_709_908_200), sessionOpen]  // 09:30 EST, 09:30 EDT
        var prices: [Int64] = [100_000_000_000, 50_000_000_000, 20_000_000_000]
        for open in opens {
            for minute in -10..<400 {
                for (index, ticker) in ["AAA", "BBB", "CCC"].enumerated() where random.next() % 17 != 0 {
                    let step = Int64(random.next() % 2_000_001) - 1_000_000
                    let o = prices[index], c = max(1_000_000_000, o + step * 40)
                    prices[index] = c
                    bars.append(Bar(ticker: ticker, start: open.adding(minutes: Int64(minute)), open: Fixed(raw: o), high: Fixed(raw: max(o, c) + 10_000_000),
                                    low: Fixed(raw: min(o, c) - 10_000_000), close: Fixed(raw: c), volume: Double(100 + random.next() % 5_000)))
                }
            }
        }
        return bars
    }

    static func orchestrator() -> Orchestrator<SimulatedClock, InMemoryRecorder> {
        var parameters = VWAPMeanReversionParameters()
        parameters.minSessionBars = 5
        let vwap = parameters
        let config = AgentConfig(id: "v", kind: "vwap_mean_reversion", definition: vwap)
        let agent = PreparedAgent(makeAgent: { ScanningAgent(scanner: VWAPMeanReversionAgent(id: "v", parameters: vwap), every: 5) })
        var o = Orchestrator(settings: OrchestratorSettings(), agents: [(config, agent)], variants: [ConfigurableFillModel.seed],
                             risk: .reference, initialBalance: Fixed(100_000))
        o.threads = 1
        return o
    }

    @Test("the same replay as bar by bar, for limits 1, 7, 1,000 and more than the bars", arguments: [1, 7, 1_000, 1_000_000])
    func sameAsBarByBar(limit: Int) throws {
        let bars = Self.bars(seed: UInt64(limit))
        var reference = Self.orchestrator()
        for bar in bars { try reference.process(bar) }
        try reference.finish()

        var o = Self.orchestrator()
        var counting = CountingStream(bars: bars)
        var stream: any BarStream = counting
        var read = 0
        while true {
            let (count, lastStart, ended) = try o.process(from: &stream, limit: limit)
            #expect(count <= limit)
            if count > 0 { #expect(lastStart == bars[read + count - 1].start) }
            read += count
            if ended { break }
            #expect(count == limit)
        }
        try o.finish()
        counting = stream as! CountingStream
        #expect(read == bars.count)
        #expect(counting.callsAfterEnd == 1)

        try Self.expectSame(reference, o, bars: bars)
    }

    @Test("bars read in chunks: the same replay, bars left in a chunk taken by the next call", arguments: [1, 7, 1_000, 1_000_000])
    func chunks(limit: Int) throws {
        let bars = Self.bars(seed: UInt64(limit) + 1)
        var reference = Self.orchestrator()
        for bar in bars { try reference.process(bar) }
        try reference.finish()

        var o = Self.orchestrator()
        var stream: any BarStream = ChunkStream(bars: bars, sizes: [1, 300, 17, 256, 1_000])
        var read = 0
        // A copy of the orchestrator and its stream half-way, replayed to the end after the original: the bars
        // its intake holds back in a chunk are its own (a shared chunk would hand each bar to one of them only).
        var fork: (orchestrator: Orchestrator<SimulatedClock, InMemoryRecorder>, stream: any BarStream)?
        while true {
            let (count, lastStart, ended) = try o.process(from: &stream, limit: limit)
            if count > 0 { #expect(lastStart == bars[read + count - 1].start) }
            read += count
            if fork == nil, read >= bars.count / 2, !ended { fork = (o, stream) }
            if ended { break }
        }
        try o.finish()
        let chunked = stream as! ChunkStream
        #expect(read == bars.count)
        #expect(chunked.callsAfterEnd == 1)
        #expect(chunked.reads < bars.count / 10)
        try Self.expectSame(reference, o, bars: bars)
        guard var (copy, copyStream) = fork else {
            #expect(limit >= bars.count)  // one call took every bar: nothing to copy half-way
            return
        }
        while try !copy.process(from: &copyStream, limit: limit).ended {}
        try copy.finish()
        try Self.expectSame(reference, copy, bars: bars)
    }

    static func expectSame(_ reference: Orchestrator<SimulatedClock, InMemoryRecorder>, _ o: Orchestrator<SimulatedClock, InMemoryRecorder>, bars: [Bar]) throws {
        let (a, b) = (reference.results[0], o.results[0])
        #expect(!a.orders.isEmpty)  // the replay trades: the comparison below is not of two empty runs
        #expect(a.orders == b.orders)
        #expect(a.trades == b.trades)
        #expect(a.snapshots == b.snapshots)
        // One snapshot per New York trading day, on both sides of the change to daylight time (the lane's per-day span).
        #expect(b.snapshots.map(\.date) == [CivilDate(year: 2024, month: 3, day: 8), CivilDate(year: 2024, month: 3, day: 11)])
        #expect(reference.statistics.barsReplayed == o.statistics.barsReplayed)
        #expect(reference.statistics.barsOutsideRegularHours == o.statistics.barsOutsideRegularHours)
        #expect(o.statistics.barsOutsideRegularHours == bars.count(where: { !ExchangeCalendar.nyse.isRegularHours($0.start) }))
    }
}
