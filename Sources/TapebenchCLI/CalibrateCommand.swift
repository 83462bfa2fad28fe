import ArgumentParser
import Foundation
import TapebenchCalibration
import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchReports

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the slippage models to your own fills.",
        discussion: """
            Reads a fill log (IB Flex trades CSV, thinkorswim account statement, backtrader transactions, Alpaca \
            FILL activities JSON, or any CSV with time, ticker, side, quantity and price columns), matches each \
            order to the recorded bars, and fits each slippage model to the implementation shortfall in bp, by \
            least squares and Huber's loss, with bootstrap intervals. Writes calibration.md, calibration.json, \
            residual charts, a fill_models: block to paste into a scenario, and orders.csv + replay.yaml to \
            replay the orders under the fitted models. Any fill that cannot be read or matched is one error \
            line each, exit 2, nothing fitted.
            """)

    @Argument(help: "The fill log (CSV or Alpaca JSON).")
    var fills: String

    @Option(help: "The recorded bars: a dataset folder or file, or a scenario (YAML) whose data is used.")
    var data: String

    @Option(help: "bps, half-spread, volume-share, sqrt-impact or all.")
    var model = "all"

    @Option(help: "next-open (what seed's market orders fill at), close (the decision bar's) or arrival-vwap.")
    var reference = "next-open"

    @Option(name: .customLong("column"), help: "ROLE=NAME: the fill log's column for a role (time, ticker, side, quantity, price, decision_time, order_type, order_id); repeatable.")
    var columns: [String] = []

    @Option(help: "The zone of times written without an offset: exchange (America/New_York) or utc.")
    var timezone = "exchange"

    @Option(help: "How 03/04/13 reads: mdy or dmy.")
    var dateOrder = "mdy"

    @Flag(help: "Fit limit and stop orders too (by default only market orders, which a replay slips).")
    var includeLimit = false

    @Option(help: "Bootstrap resamples per model and estimator.")
    var bootstrap = 1_000

    @Option(help: "Seed of the bootstrap.")
    var seed: UInt64 = 7

    @Option(help: "The fewest matched orders to fit.")
    var minOrders = 10

    @Flag(help: "Replay the orders under the fitted models now and print both shortfall distributions.")
    var replay = false

    @Option(name: .shortAndLong, help: "Output folder (default: reports/runs/calibrate-<fills file name>); replaced only when Tapebench wrote it.")
    var out: String?

    @OptionGroup var output: OutputOptions
    @OptionGroup var lock: WriteLockOptions

    func run() throws {
        var settings = CalibrationSettings()
        settings.models = try parsedModels()
        guard let choice = ReferenceChoice(rawValue: reference) else {
            throw InputError(file: "--reference", message: "expected next-open, close or arrival-vwap, got \(InputError.quote(reference))")
        }
        settings.reference = choice
        guard (1...100_000).contains(bootstrap) else { throw InputError(file: "--bootstrap", message: "expected 1 to 100000 resamples") }
        guard minOrders >= 3 else { throw InputError(file: "--min-orders", message: "at least 3: a fit needs residuals") }
        settings.bootstrapSamples = bootstrap
        settings.seed = seed
        settings.minimumOrders = minOrders
        settings.includeNonMarket = includeLimit
        let hints = try parsedHints()

        let stem = PathText.lastComponent(fills).split(separator: ".").first.map(String.init) ?? "fills"
        let path = out ?? "reports/runs/calibrate-\(SafeName.problem(stem) == nil ? stem : "fills")"
        let folder = try OutputFolder(path: path, options: lock.options(for: path))
        try folder.checkReplaceable()  // before the work, not after it

        let (dataPaths, hintsForData, policy) = try dataSource()
        output.log("reading \(fills)")
        let log = try FillLogReader.read(path: fills, hints: hints)
        let dataset = try Dataset(paths: dataPaths, hints: hintsForData)
        var dates = Set<CivilDate>()
        for fill in log.fills {
            dates.insert(EasternTime.local(fill.time).date)
            if let decided = fill.decisionTime { dates.insert(EasternTime.local(decided).date) }
        }
        output.log("reading the bars of \(Set(log.fills.map(\.ticker)).count) ticker(s) on \(dates.count) day(s)")
        let bars = try RecordedBars.read(dataset, tickers: Set(log.fills.map(\.ticker)), dates: dates, policy: policy)
        let matched = OrderMatching.observations(log.fills, bars: bars, reference: settings.reference, file: fills)
        // In the log's line order, whichever step found them.
        let problems = (log.problems + matched.problems).sorted { ($0.line ?? 0, $0.field ?? "") < ($1.line ?? 0, $1.field ?? "") }
        if !problems.isEmpty { failing(problems) }
        let result: CalibrationResult
        do { result = try Calibration.fit(matched.orders, settings: settings, file: fills) } catch let error as CalibrationProblems { failing(error.errors) }

        var comparison: ReplayComparison? = nil
        if replay {
            output.log("replaying \(result.orders.count) orders under \(result.fits.filter { $0.leastSquares != nil }.count) fitted model(s)")
            comparison = try ReplayComparison.run(result, dataPaths: dataPaths.map(absolute), source: PathText.lastComponent(fills))
        }
        let report = CalibrationReport(result: result, log: log, source: fills, data: data, replay: comparison)
        // As the user wrote them: an absolute path stays absolute, a relative one is made relative to the folder.
        let relative = dataPaths.map { $0.hasPrefix("/") ? $0 : ReplayFiles.relativePath(from: absolute(folder.path), to: absolute($0)) }
        try folder.replace(with: report.files(replayName: "replay-\(SafeName.problem(stem) == nil ? stem : "fills")", replayDataPaths: relative))
        if !output.quiet {
            print("\(result.orders.count) orders fitted (\(log.fills.count) fills, \(log.layout.rawValue) layout), \(result.excluded.count) left out; reference \(result.settings.reference.rawValue)")
            print(report.fitTable().plain())
            if let best = result.best { print("best by AIC: \(best.model.rawValue)") }
            if let table = report.replayTable() { print(""); print(table.plain()) }
            print("")
        }
        for name in CalibrationReport.fileNames { print("wrote \(folder.path)/\(name)") }
    }

    /// Every problem on its own line, then exit 2: nothing is fitted around a bad row.
    func failing(_ problems: [InputError]) -> Never {
        for problem in problems { FileHandle.standardError.write(Data("error: \(ErrorReport.oneLine(problem.description))\n".utf8)) }
        Foundation.exit(ErrorReport.inputOrEnvironment)
    }

    func parsedModels() throws -> [SlippageFitModel] {
        if model == "all" { return SlippageFitModel.allCases }
        var models: [SlippageFitModel] = []
        for name in model.split(separator: ",") {
            guard let m = SlippageFitModel(rawValue: String(name)) else {
                throw InputError(file: "--model", message: "expected all or one of \(SlippageFitModel.allCases.map(\.rawValue).joined(separator: ", ")), got \(InputError.quote(name))")
            }
            if !models.contains(m) { models.append(m) }
        }
        return models
    }

    func parsedHints() throws -> FillLogHints {
        var hints = FillLogHints()
        for item in columns {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw InputError(file: "--column", message: "expected ROLE=NAME, got \(InputError.quote(item))")
            }
            hints.columns[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        guard let zone = TimeZoneRuleName(rawValue: timezone) else { throw InputError(file: "--timezone", message: "expected exchange or utc, got \(InputError.quote(timezone))") }
        guard let order = DateOrderName(rawValue: dateOrder) else { throw InputError(file: "--date-order", message: "expected mdy or dmy, got \(InputError.quote(dateOrder))") }
        hints.timezone = zone
        hints.dateOrder = order
        return hints
    }

    /// The data to match against: a scenario's (its paths, dialect and validation policy) or a path.
    func dataSource() throws -> ([String], DialectHints, ValidationPolicy) {
        if data.hasSuffix(".yaml") || data.hasSuffix(".yml") {
            let scenario = try Scenario.load(path: data, agents: CommandContext.agents)
            return (scenario.dataPaths, scenario.dialect, scenario.validation)
        }
        return ([data], DialectHints(), ValidationPolicy())
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
