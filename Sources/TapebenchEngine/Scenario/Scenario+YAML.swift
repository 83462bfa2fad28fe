import Foundation
import TapebenchCore
import TapebenchData
import TapebenchExecution
import Yams

extension Scenario {
    static let topLevelKeys = ["name", "description", "data", "seed", "account", "risk", "orchestrator", "agents", "fill_model", "fill_models", "graduation", "check", "missing_minutes"]

    /// A scenario is a page of YAML; anything larger is not one.
    static let maximumScenarioBytes = 16 << 20

    /// Reads and validates a scenario file. Any problem is a `InputError` naming file, line and field.
    /// `agents` are the agent kinds a scenario may name.
    public static func load(path: String, agents: AgentRegistry = .builtIn) throws -> Scenario {
        // Through InputFile: a FIFO named s.yaml must be refused, not block, and the size is bounded.
        let bytes = Data(try InputFile(path: path).readAll(limit: maximumScenarioBytes, what: "a scenario file"))
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw InputError(file: path, line: nil, field: nil, message: "not UTF-8 text")
        }
        let hash = SHA256.hex(of: bytes)
        return try parse(yaml: text, file: path, contentHash: hash, agents: agents)
    }

    public static func parse(yaml text: String, file: String, contentHash: String, agents registry: AgentRegistry = .builtIn) throws -> Scenario {
        let root: Node
        do {
            // The basic resolver: every plain scalar stays text, which each field parses as it expects
            // (`YAMLFields`); the default one's seven regular expressions took ≈ 8.8 M instructions to build,
            // a tenth of a one-day run. UTF-8 said outright, not looked up in the environment.
            guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else {
                throw InputError(file: file, line: 1, field: nil, message: "empty scenario")
            }
            root = node
        } catch let error as YamlError {
            throw InputError(file: file, line: Self.line(of: error), field: nil, message: "not valid YAML: \(Self.problem(of: error))")
        }
        var top = try YAMLFields(root, file: file, path: "")
        let name = try top.requiredString("name")
        if let problem = SafeName.problem(name) {
            // The name names the output folder: '../x' or '/' must never reach a path.
            throw top.error("name", "\(SafeName.quoted(name)) is not a scenario name: \(problem)")
        }
        let description = try top.string("description")
        let folder = PathText.folder(file)

        var data = try YAMLFields(try top.required("data"), file: file, path: "data")
        guard let paths = try data.strings("paths"), !paths.isEmpty else {
            throw data.error("paths", "required: one or more dataset folders or files")
        }
        guard let tickerList = try data.strings("tickers"), !tickerList.isEmpty else {
            throw data.error("tickers", "required: the tickers to replay")
        }
        var tickers: [String] = []
        var tickerLines: [String: Int] = [:]
        for (ticker, line) in tickerList {
            if let problem = SafeName.tickerProblem(ticker) {
                throw InputError(file: file, line: line, field: "data.tickers", message: "\(SafeName.quoted(ticker)) is not a ticker symbol: \(problem)")
            }
            guard tickerLines[ticker] == nil else {
                throw InputError(file: file, line: line, field: "data.tickers", message: "'\(ticker)' is listed twice")
            }
            tickers.append(ticker)
            tickerLines[ticker] = line
        }
        let from = try data.date("from")
        let to = try data.date("to")
        if let from, let to, to < from { throw data.error("to", "the period ends (\(to)) before it starts (\(from))") }
        let dialect = try data.mapping("dialect").map(parseDialect) ?? DialectHints()
        let validation = try data.mapping("validation").map(parseValidation) ?? ValidationPolicy()
        let session = try parseSession(&data)
        try data.rejectUnknownKeys(known: ["paths", "tickers", "from", "to", "dialect", "validation", "session"])

        let seed = try top.integer("seed", range: 0...Int64.max) ?? 0

        var initialBalance = Fixed(100_000)
        if var account = try top.mapping("account") {
            initialBalance = try account.decimal("initial_balance", range: Fixed(raw: 1)...Fixed(1_000_000_000)) ?? initialBalance
            try account.rejectUnknownKeys(known: ["initial_balance"])
        }

        var risk = RiskLimits.reference
        if var fields = try top.mapping("risk") {
            risk.maxPositionBasisPoints = try fields.percentAsBasisPoints("max_position_pct", range: Fixed(raw: 1_000_000)...Fixed(100)) ?? risk.maxPositionBasisPoints
            risk.maxOpenPositions = Int(try fields.integer("max_open_positions", range: 1...10_000) ?? Int64(risk.maxOpenPositions))
            risk.minCashReserveBasisPoints = try fields.percentAsBasisPoints("min_cash_reserve_pct", range: .zero...Fixed(99)) ?? risk.minCashReserveBasisPoints
            risk.dailyLossLimitBasisPoints = try fields.percentAsBasisPoints("daily_loss_limit_pct", range: Fixed(raw: 1_000_000)...Fixed(100))
            risk.maxDrawdownBasisPoints = try fields.percentAsBasisPoints("max_drawdown_pct", range: Fixed(raw: 1_000_000)...Fixed(100))
            if let action = try fields.string("max_drawdown_action") {
                guard let value = BreakerAction(rawValue: action) else { throw fields.error("max_drawdown_action", "expected pause or close, got \(InputError.quote(action))") }
                risk.drawdownAction = value
            }
            risk.maxGroupBasisPoints = try fields.percentAsBasisPoints("max_group_pct", range: Fixed(raw: 1_000_000)...Fixed(100))
            risk.maxShortBasisPoints = try fields.percentAsBasisPoints("max_short_pct", range: Fixed(raw: 1_000_000)...Fixed(100))
            if var correlated = try fields.mapping("correlation_groups") {
                guard let rho = try correlated.decimal("min_correlation", range: Fixed(-1)...Fixed(1)) else { throw correlated.error("min_correlation", "required") }
                risk.minCorrelation = rho.doubleValue
                risk.correlationMinBars = Int(try correlated.integer("min_bars", range: 5...100_000) ?? 30)
                try correlated.rejectUnknownKeys(known: ["min_correlation", "min_bars"])
                if risk.maxGroupBasisPoints == nil { throw fields.error("correlation_groups", "needs max_group_pct, the limit the groups are held to") }
            }
            if var groups = try fields.mapping("groups") {
                var seen: [String: String] = [:]
                for name in groups.keys {
                    if let problem = SafeName.problem(name) {
                        throw groups.error(name, "\(SafeName.quoted(name)) is not a group name: \(problem)")
                    }
                    guard let members = try groups.strings(name) else { continue }
                    for (ticker, line) in members {
                        if let other = seen[ticker] {
                            throw InputError(file: file, line: line, field: "risk.groups.\(name)", message: "'\(ticker)' is already in group '\(other)'; groups must not overlap")
                        }
                        seen[ticker] = name
                    }
                    risk.groups[name] = members.map(\.value)
                }
                try groups.rejectUnknownKeys(known: groups.keys)
            }
            try fields.rejectUnknownKeys(known: ["max_position_pct", "max_open_positions", "min_cash_reserve_pct", "daily_loss_limit_pct",
                                                 "max_drawdown_pct", "max_drawdown_action", "max_group_pct", "groups", "max_short_pct", "correlation_groups"])
        }

        var settings = OrchestratorSettings()
        if var fields = try top.mapping("orchestrator") {
            settings.windowBars = Int(try fields.integer("window_bars", range: 2...100_000) ?? Int64(settings.windowBars))
            settings.scanEveryBars = Int(try fields.integer("scan_every_bars", range: 1...10_000) ?? Int64(settings.scanEveryBars))
            settings.signalMaxAgeMinutes = try fields.integer("signal_max_age_minutes", range: 0...10_000) ?? settings.signalMaxAgeMinutes
            settings.positionSizeBasisPoints = try fields.percentAsBasisPoints("position_size_pct", range: Fixed(raw: 1_000_000)...Fixed(100)) ?? settings.positionSizeBasisPoints
            settings.volatilityTargetBasisPoints = try fields.percentAsBasisPoints("volatility_target_pct", range: Fixed(raw: 1_000_000)...Fixed(100))
            settings.stopLossBasisPoints = try fields.percentAsBasisPoints("stop_loss_pct", range: Fixed(raw: 1_000_000)...Fixed(100)) ?? settings.stopLossBasisPoints
            settings.takeProfitBasisPoints = try fields.percentAsBasisPoints("take_profit_pct", range: Fixed(raw: 1_000_000)...Fixed(10_000)) ?? settings.takeProfitBasisPoints
            if let text = try fields.string("exits") {
                guard let mode = ExitMode(rawValue: text) else {
                    throw fields.error("exits", "expected one of: \(ExitMode.allCases.map(\.rawValue).joined(separator: ", ")), got \(InputError.quote(text))")
                }
                settings.exits = mode
            }
            try fields.rejectUnknownKeys(known: ["window_bars", "scan_every_bars", "signal_max_age_minutes", "position_size_pct", "volatility_target_pct", "stop_loss_pct", "take_profit_pct", "exits"])
        }

        settings.missingMinutes = try parseMissingMinutes(&top) ?? .nextBar

        let agentsNode = try top.required("agents")
        guard let agentNodes = agentsNode.sequence, agentNodes.count > 0 else {
            throw top.error("agents", "expected a list of one or more agents", node: agentsNode)
        }
        var agents: [AgentConfig] = []
        for (index, node) in agentNodes.enumerated() {
            let agent = try parseAgent(node, file: file, path: "agents[\(index)]", window: settings.windowBars, folder: folder, registry: registry)
            if agents.contains(where: { $0.id == agent.id }) {
                throw InputError(file: file, line: node.mark?.line, field: "agents[\(index)].id", message: "agent id '\(agent.id)' is used twice")
            }
            agents.append(agent)
        }

        let fillModels = try FillModelParsing.variants(&top)
        let graduation = try top.mapping("graduation").map(parseGraduation) ?? GraduationSettings()
        var tolerances: [String: (absolute: Double?, relative: Double?)] = [:]
        var defaultTolerance: (absolute: Double?, relative: Double?)?
        var headlineOnly = false
        if var check = try top.mapping("check") {
            func tolerance(_ parent: inout YAMLFields, _ key: String) throws -> (absolute: Double?, relative: Double?)? {
                guard var t = try parent.mapping(key) else { return nil }
                let absolute = try t.decimal("abs", range: .zero...Fixed(1_000_000_000))?.doubleValue
                let relative = try t.decimal("rel", range: .zero...Fixed(1_000))?.doubleValue
                try t.rejectUnknownKeys(known: ["abs", "rel"])
                guard (absolute == nil) != (relative == nil) else { throw parent.error(key, "give abs or rel") }
                return (absolute, relative)
            }
            if var fields = try check.mapping("tolerances") {
                for metric in fields.keys { tolerances[metric] = try tolerance(&fields, metric) }
                try fields.rejectUnknownKeys(known: fields.keys)
            }
            defaultTolerance = try tolerance(&check, "tolerance")
            headlineOnly = try check.boolean("headline_only") ?? false
            try check.rejectUnknownKeys(known: ["tolerances", "tolerance", "headline_only"])
        }
        try top.rejectUnknownKeys(known: topLevelKeys)

        return Scenario(
            name: name, description: description, file: file, contentHash: contentHash,
            dataPaths: paths.map { PathText.resolve($0.value, in: folder) },
            tickers: tickers, tickerLines: tickerLines, from: from, to: to, dialect: dialect, validation: validation, seed: UInt64(seed),
            initialBalance: initialBalance, risk: risk, orchestrator: settings, agents: agents, fillModels: fillModels, checkTolerances: tolerances,
            checkDefaultTolerance: defaultTolerance, checkHeadlineOnly: headlineOnly, graduation: graduation, session: session)
    }

    static func parseAgent(_ node: Node, file: String, path: String, window: Int, folder: String, registry: AgentRegistry) throws -> AgentConfig {
        var fields = try YAMLFields(node, file: file, path: path)
        let id = try fields.requiredString("id")
        if let problem = SafeName.problem(id) {
            throw fields.error("id", "\(SafeName.quoted(id)) is not an agent id: \(problem)")
        }
        let kindName = try fields.requiredString("kind")
        guard let kind = registry.kind(named: kindName) else {
            throw fields.error("kind", "unknown agent kind '\(kindName)'; expected one of: \(registry.names.joined(separator: ", "))")
        }
        let paramsNode = fields.node("params")
        var params = AgentParameters(fields: try fields.mapping("params"), owner: fields, folder: folder, windowBars: window)
        let definition = try kind.configure(&params)
        try params.rejectUnknownKeys(known: [])
        // The kind's own keys beside params (a process agent's command) were read through params.
        try params.owner.rejectUnknownKeys(known: ["id", "kind", "params"] + kind.agentKeys)
        return AgentConfig(id: id, kind: kindName, definition: definition, declaredParameters: kind.parameters,
                           reconfiguration: AgentReconfiguration(params: paramsNode, owner: node, file: file, path: path, folder: folder,
                                                                 windowBars: window, kind: kind))
    }
}
