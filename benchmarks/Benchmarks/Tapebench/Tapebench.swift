import Benchmark
import Foundation
import TapebenchData
import TapebenchEngine
import TapebenchReports

// Each benchmark streams the same 1 000 000 bars (Fixture) through one more stage than the one before, so
// the differences are the stages' costs: decompress → parse → validate and merge → replay (the
// orchestrator alone) → the agent's scans → orders, fills and the ledger → the reports written.
// `scalingFactor: .kilo` with exactly 1 M bars per iteration makes every metric marked `*` per 1 000 bars
// (time and mallocs; per bar would round a third of a malloc to 0); `--scale` shows the totals of an
// iteration instead; benchmarks/stages.sh turns them into bars/s, mallocs per bar and each stage's share.
// One lane, on the calling thread.
let benchmarks: @Sendable () -> Void = {
    let fixture: Fixture
    do {
        fixture = try Fixture.prepare()
    } catch {
        fatalError("\(error)")
    }

    Benchmark.defaultConfiguration = .init(
        // No .throughput: the framework counts whole iterations per second, 0 for an iteration of seconds.
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, .peakMemoryResidentDelta],
        units: [.peakMemoryResident: .mega, .peakMemoryResidentDelta: .mega],
        warmupIterations: 0,
        scalingFactor: .kilo,
        maxDuration: .seconds(20),
        maxIterations: 3
    )

    /// Fails the benchmark when a stage saw other than the fixture's bars: a fast benchmark that skipped
    /// work would otherwise look like a speed-up.
    func expectBars(_ benchmark: Benchmark, _ count: Int, _ stage: String) {
        if count != Fixture.bars { benchmark.error("\(stage) saw \(count) bars, expected \(Fixture.bars)") }
    }

    Benchmark("1 decompress (gzip through ArchiveByteReader: ISA-L)") { benchmark in
        var bytes = 0
        for file in fixture.dayFiles {
            try ArchiveByteReader(path: file).forEachBlock { bytes += $0.count }
        }
        blackHole(bytes)
    }

    Benchmark("2 read: decompress and parse") { benchmark in
        var count = 0
        for file in fixture.dayFiles {
            try PolygonFlatFileReader.forEachBar(path: file, tickers: nil) { bar, _ in count += 1; blackHole(bar) }
        }
        expectBars(benchmark, count, "read")
    }

    Benchmark("3 read, validate and merge (Dataset)") { benchmark in
        var stream = try Dataset(paths: [fixture.data]).bars(DataSelection())
        var count = 0
        while let bar = try stream.next() { count += 1; blackHole(bar) }
        expectBars(benchmark, count, "read, validate and merge")
    }

    for (name, lane) in [("4 replay: orchestrator, empty order tape", "tape-empty"),
                         ("5 replay: + VWAP scans, never signalling", "vwap-silent"),
                         ("6 replay: + orders, fills, ledger (default VWAP)", "vwap")] {
        Benchmark(name) { benchmark in
            let result = try ScenarioRunner.run(try Scenario.load(path: fixture.scenario(lane)), parallel: false)
            expectBars(benchmark, result.statistics.barsRead, lane)
            blackHole(result)
        }
    }

    Benchmark("7 end to end: + every report written") { benchmark in
        // The run folder streams each lane's rows as the replay goes, then writes the reports.
        let result = try RunFolder(path: fixture.directory + "/out/end-to-end").run(try Scenario.load(path: fixture.scenario("vwap")), parallel: false)
        expectBars(benchmark, result.statistics.barsRead, "end to end")
    }
}
