import Foundation
import TapebenchCore
import TapebenchEngine
import TapebenchStore
#if canImport(Glibc)
import Glibc
#endif

/// The files of one run, written together as one output folder (see `OutputFolder`): only over a
/// folder Tapebench wrote, swapped into place in one step, one writer at a time.
///
/// A run streams: the folder's staging copy is made (and its lock taken) before the replay, each lane
/// writes its rows there as they happen (`LaneSink`), and the reports are built from the lanes'
/// aggregates at the end (`RunDigest`), so memory does not grow with the run.
public struct RunFolder {
    public var path: String
    public var options: WriteOptions

    public init(path: String, options: WriteOptions = WriteOptions()) {
        self.path = path
        self.options = options
    }

    public var reportJSON: String { path + "/report.json" }
    public var reportMarkdown: String { path + "/report.md" }
    public var fillsCSV: String { path + "/fills.csv" }
    public var database: String { path + "/run.sqlite" }
    public var tradesCSV: String { path + "/trades.csv" }
    public var equityCSV: String { path + "/equity.csv" }
    public var roundTripsCSV: String { path + "/round_trips.csv" }
    public var returnsCSV: String { path + "/returns.csv" }
    public var reportHTML: String { path + "/report.html" }

    /// Refuses, before a replay, a path the run could not be written to (a folder Tapebench did not write).
    public func checkReplaceable() throws {
        try OutputFolder(path: path, options: options).checkReplaceable()
    }

    /// What a command adds to a run's folder once the replay has ended (graduation's answer): files
    /// (name → contents), status changes for run.sqlite, text that ends report.md, and sections of report.html.
    public struct Additions: Sendable {
        public var files: [String: String]
        public var statusChanges: [RunDatabase.StatusChange]
        public var appendToMarkdown: String
        public var html: HTMLReportExtras

        public init(files: [String: String] = [:], statusChanges: [RunDatabase.StatusChange] = [], appendToMarkdown: String = "",
                    html: HTMLReportExtras = HTMLReportExtras()) {
            self.files = files
            self.statusChanges = statusChanges
            self.appendToMarkdown = appendToMarkdown
            self.html = html
        }
    }

    /// Replays `scenario` into the folder: report.json, report.md, report.html, fills.csv, trades.csv,
    /// equity.csv and run.sqlite, all or nothing. `additions` hears the run's digest before anything is
    /// published. An error (bad data, a full disk) leaves the previous folder as it was.
    @discardableResult
    public func run(_ scenario: Scenario, parallel: Bool = true, threads: Int? = nil, progress: ((ReplayProgress) -> Void)? = nil,
                    additions: (RunDigest) throws -> Additions = { _ in Additions() }) throws -> RunDigest {
        let staging = try OutputFolder(path: path, options: options).begin()
        do {
            let (digest, files) = try write(scenario, into: staging.path, parallel: parallel, threads: threads, progress: progress,
                                            additions: additions)
            try staging.commit(files)
            return digest
        } catch {
            staging.abandon()
            throw staging.named(error)
        }
    }

    /// The replay and every file but the reports, written into `folder` (the staging folder); returns the
    /// digest and the reports still to write.
    private func write(_ scenario: Scenario, into folder: String, parallel: Bool, threads: Int?, progress: ((ReplayProgress) -> Void)?,
                       additions: (RunDigest) throws -> Additions) throws -> (RunDigest, [OutputFile]) {
        var lanes = 0
        // A run of one lane (one agent, one fill model) writes run.sqlite as it goes: nothing to copy at the end.
        let onlyLane = scenario.agents.count * scenario.fillModels.count == 1
        // The variant comparison reads the lanes of an agent with several (`compare`): only theirs keep what it joins.
        let compared = scenario.fillModels.count > 1
        let run = try ScenarioRunner.replay(scenario, parallel: parallel, threads: threads, progress: progress) { config, variant in
            defer { lanes += 1 }
            return try LaneSink(index: lanes, agent: config.id, variant: variant, initialBalance: scenario.initialBalance, folder: folder,
                                calendar: scenario.calendar, onlyLane: onlyLane, compared: compared)
        }
        let sinks = run.lanes.map(\.recorder), outcomes = run.lanes.map(\.outcome)
        let workers = parallel ? max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) : 1
        let database = folder + "/run.sqlite"
        let toolVersion = run.toolVersion, fillModels = run.fillModels, statistics = run.statistics
        // run.sqlite takes the lanes in lane order, each once its files are finished (`finished`).
        let finished = JobGates(sinks.count)
        let copy: @Sendable () throws -> Void = {
            try RunDatabase.copyLanes(scenario: scenario, toolVersion: toolVersion, fillModels: fillModels, statistics: statistics, count: sinks.count,
                                      lane: { index in
                                          finished.wait(index)
                                          return RunDatabase.StoredLane(outcome: outcomes[index], store: sinks[index].store.path,
                                                                        lastSnapshot: sinks[index].digest.lastSnapshot, positionSignals: sinks[index].positionSignals)
                                      }, to: database)
        }
        // Once the lanes are copied (and run.sqlite flushed) and the variants compared (they read the lanes'
        // scratch databases, removed here): the graduation decisions added, flushed again only then, and
        // run.sqlite read back, so that a damaged database is never published.
        let finish: @Sendable ([RunDatabase.StatusChange]) throws -> Void = { statusChanges in
            if !statusChanges.isEmpty {
                try RunDatabase.record(statusChanges, scenario: scenario, statistics: statistics, in: database)
                try FileSystem.syncFile(database)
            }
            for sink in sinks where !sink.store.published { try FileSystem.removeTree(sink.store.path) }
            var rows: [String: Int] = [:]
            for sink in sinks { rows.merge(sink.store.rowCounts, uniquingKeysWith: +) }
            try RunDatabase.verifyWritten(path: database, rows: rows)
        }
        // With several threads the copy's thread finishes run.sqlite: it flushes the file (written without a
        // flush per transaction: flushed whole before the folder is published) while the variants are still
        // being compared, then `finish`es it once the graduation decisions are known (`decided`), while the
        // reports render. Finished as one of the jobs after the reports, the flush and the read-back ran on one
        // thread with the other core idle (≈ 0.15 s of 2.7).
        let decided = Handover<[RunDatabase.StatusChange]>()
        let copyAndFinish: @Sendable () throws -> Void = {
            try copy()
            try FileSystem.syncFile(database)
            guard let statusChanges = decided.wait() else { return }
            try finish(statusChanges)
        }
        // With several lanes and threads, and cores to run them, the copy starts now, on a thread of its own:
        // lane 0 is copied while the lanes after it are still being finished (on one core, or with one lane,
        // there is nothing to overlap: its buffers only added to the peak). The staging folder is removed on
        // an error: not while a job still writes into it (the copy is told no decisions will come first).
        let early = workers > 1 && sinks.count > 1 && (ParallelJobs.coresAvailable ?? workers) > 1
        var copying: BackgroundJob? = early ? BackgroundJob(onAnotherThread: true, copyAndFinish) : nil
        defer { copying?.waitIgnoringFailure() }
        defer { decided.cancel() }
        // Each lane's files and scratch database are finished on their own, side by side (each builds its
        // share of run.sqlite's indexes); a lane's gate opens when it is done, well or not.
        try ParallelJobs.run(sinks.count, threads: workers) { index in
            defer { finished.opened(index) }
            try sinks[index].finish(outcomes[index])
        }
        // The lanes' windows, buffers and scratch caches are gone: their pages back to the system before the tail.
        Self.returnFreedMemory()
        // The tail of a run, shared out among the threads: one copies the lanes into run.sqlite (begun above)
        // and then finishes it, another joins fills.csv & co. (mostly waiting for the disk), while the rest
        // compare the variants' fills (all three only read the lanes' files); then the reports render and are
        // written, each a job of its own. With one thread, each in turn. Every file is written by one thread in
        // one order, so its bytes do not depend on the thread count.
        if copying == nil { copying = BackgroundJob(onAnotherThread: workers > 1, workers > 1 ? copyAndFinish : copy) }
        let copied = copying!
        let joining = BackgroundJob(onAnotherThread: workers > 1 && sinks.count > 1) { try RunFolder.join(sinks) }
        defer { joining.waitIgnoringFailure() }
        let comparisons = try RunFolder.compare(run.lanes, threads: max(1, workers - 1))
        let digest = RunDigest(
            scenario: scenario, toolVersion: run.toolVersion, fillModels: run.fillModels,
            lanes: zip(run.lanes, comparisons).map { lane, comparison in
                LaneReport(outcome: lane.outcome, digest: lane.recorder.digest, equityChart: lane.recorder.equityChart, againstBase: comparison)
            },
            statistics: run.statistics, quality: run.quality)
        let added = try additions(digest)
        let reports = ReportTexts(digest: digest, added: added)
        var files: [OutputFile]
        if workers > 1 {
            decided.give(added.statusChanges)
            // The reports read only the digest: each rendered and written (and flushed) by a job of its own, so
            // that their flushes to the disk overlap too.
            let names = ReportTexts.names
            try ParallelJobs.run(names.count, threads: workers) { job in
                try FileSystem.writeNewFile(folder + "/" + names[job], reports.render(names[job]))
            }
            files = names.map { OutputFile.written($0) }
            try copied.wait()
        } else {
            try copied.wait()
            try FileSystem.syncFile(database)
            try finish(added.statusChanges)
            // Each report rendered as it is written, one in memory at a time.
            files = ReportTexts.names.map { name in .text(name) { reports.render(name) } }
        }
        try joining.wait()
        for (name, contents) in added.files.sorted(by: { $0.key < $1.key }) {
            files.append(.text(name) { contents })
        }
        return (digest, files)
    }

    /// Gives the pages of freed memory back to the system (glibc keeps them, in every thread's arena, for
    /// reuse). The tail of a run allocates on other threads than the replay did, in arenas of their own, so
    /// without this the replay's freed pages and the tail's new ones added up in the peak (6 variants: 71 MB).
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
    /// glibc's `malloc_trim` (in <malloc.h>, which Swift's Glibc module leaves out), looked up by name.
    typealias MallocTrim = @convention(c) (Int) -> Int32
    static let mallocTrim = SystemFunction.named("malloc_trim", as: MallocTrim.self)
    #endif

    /// Appends every other lane's parts of fills.csv, trades.csv and equity.csv to lane 0's files, in lane
    /// order, and removes the parts: the files' bytes do not depend on which thread replayed which lane.
    static func join(_ sinks: [LaneSink]) throws {
        guard let first = sinks.first else { return }
        for (file, part) in [(first.fills, \LaneSink.fills), (first.trades, \LaneSink.trades), (first.equity, \LaneSink.equity),
                             (first.roundTrips, \LaneSink.roundTrips)] {
            for sink in sinks.dropFirst() {
                try file.append(contentsOf: sink[keyPath: part].path)
                try FileSystem.removeTree(sink[keyPath: part].path)
            }
            try file.close(sync: true)
        }
    }

    /// Each lane's filled orders against its agent's base variant's (`VariantComparison.baseVariant`),
    /// joined on disk in the lanes' scratch databases; nil for the base itself and for an agent under one
    /// variant. Each comparison is a job of its own on up to `threads` threads; with one, the lanes in order.
    static func compare(_ lanes: [(outcome: LaneOutcome, recorder: LaneSink)], threads: Int) throws -> [FillSetDifference?] {
        try ParallelJobs.run(lanes.count, threads: threads) { index -> FillSetDifference? in
            let lane = lanes[index]
            let mine = lanes.filter { $0.outcome.config.id == lane.outcome.config.id }
            let base = VariantComparison.baseVariant(mine.map(\.outcome.variant))
            guard mine.count > 1, lane.outcome.variant != base, let other = mine.first(where: { $0.outcome.variant == base }) else { return nil }
            let missed = try RunDatabase.unmatched(other.recorder.store.path, against: lane.recorder.store.path)
            let added = try RunDatabase.unmatched(lane.recorder.store.path, against: other.recorder.store.path)
            return FillSetDifference(missedOrders: missed.orders, missedPnL: missed.pnl, addedOrders: added.orders, addedPnL: added.pnl)
        }
    }
}

/// report.json, report.md, report.html and returns.csv of one run, each rendered when it is written: side by
/// side, each by a job of its own, or one after the other, one in memory at a time.
final class ReportTexts: @unchecked Sendable {  // `render` only reads
    static let names = ["report.json", "report.md", "report.html", "returns.csv"]
    let digest: RunDigest
    let added: RunFolder.Additions

    init(digest: RunDigest, added: RunFolder.Additions) {
        self.digest = digest
        self.added = added
    }

    func render(_ name: String) -> String {
        switch name {
        case "report.json": return JSONReport.render(digest)
        case "report.md": return MarkdownReport.render(digest) + added.appendToMarkdown
        case "report.html": return HTMLReport.render(digest, extras: added.html.filled(from: digest))
        default: return ReturnsCSV.render(digest)
        }
    }
}
