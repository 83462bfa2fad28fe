import Foundation
import TapebenchCore
import TapebenchData
import TapebenchExecution

/// A scenario: which data, which agents, which account, risk limits and fill model. Read from YAML
/// (see `Scenario+YAML.swift` and the README for the format).
public struct Scenario: Sendable {
    public var name: String
    public var description: String?
    /// The scenario file, and the SHA-256 of its bytes.
    public var file: String
    public var contentHash: String
    /// Dataset paths, resolved against the scenario file's folder.
    public var dataPaths: [String]
    /// Tickers in the order written, with their lines in the file (for errors).
    public var tickers: [String]
    public var tickerLines: [String: Int]
    public var from: CivilDate?
    public var to: CivilDate?
    /// What the scenario states about CSV dialects (detection does the rest).
    public var dialect: DialectHints
    /// What to do with each kind of data-quality finding.
    public var validation: ValidationPolicy
    public var seed: UInt64
    public var initialBalance: Money
    public var risk: RiskLimits
    public var orchestrator: OrchestratorSettings
    public var agents: [AgentConfig]
    /// The fill-model variants every agent is replayed under (at least one; names unique).
    public var fillModels: [FillModelSpec]
    /// Tolerances for `check`, by metric name of report.json: absolute or relative (empty: exact).
    public var checkTolerances: [String: (absolute: Double?, relative: Double?)] = [:]
    /// `check.tolerance`: for every metric without its own (nil: exact).
    public var checkDefaultTolerance: (absolute: Double?, relative: Double?)?
    /// `check.headline_only`: only the headline metrics (return, Sharpe, drawdown, fills, win rate, P&L) are judged.
    public var checkHeadlineOnly = false
    /// Iterations and thresholds for `graduate`.
    public var graduation: GraduationSettings
    /// `data.session`: the market's hours and what a day is (`MarketSession`; default NYSE).
    public var session: MarketSession = .nyse

    /// The calendar of `session`: which bars replay, and the days of snapshots, limits and reports.
    public var calendar: ExchangeCalendar { ExchangeCalendar(session: session) }

    public var selection: DataSelection { DataSelection(tickers: Set(tickers), from: from, to: to, calendar: calendar) }

    /// A data path as the scenario wrote it: relative to the scenario's folder, so that reports do not
    /// depend on where the tool was started from.
    public func displayPath(_ path: String) -> String {
        let folder = PathText.folder(file)
        guard !folder.isEmpty, path.hasPrefix(folder + "/") else { return path }
        return String(path.dropFirst(folder.count + 1))
    }
}

/// The orchestrator's reference constants, each overridable per scenario.
public struct OrchestratorSettings: Sendable, Hashable {
    /// Bars kept per ticker (reference: 100).
    public var windowBars = 100
    /// Run an agent's scan on every n-th regular-hours bar of a ticker (reference: 5).
    public var scanEveryBars = 5
    /// Act only on signals at most this old (reference: 5 minutes).
    public var signalMaxAgeMinutes: Int64 = 5
    /// A new position's size as a share of equity, in basis points (reference: 1 000 = 10 %).
    public var positionSizeBasisPoints: Int64 = 1_000
    /// Size by volatility instead: a position whose one-day standard deviation is this share of equity,
    /// in basis points (nil: the fixed share above, as the reference).
    public var volatilityTargetBasisPoints: Int64?
    /// Close a position whose price fell this far below its entry (reference: 500 = 5 %).
    public var stopLossBasisPoints: Int64 = 500
    /// Close a position whose price rose this far above its entry (reference: 1 000 = 10 %).
    public var takeProfitBasisPoints: Int64 = 1_000
    /// How the stop-loss and take-profit leave a position (reference: `.market`).
    public var exits: ExitMode = .market
    /// What happens to an order whose first minute has no bar of its ticker (the scenario's `missing_minutes`;
    /// reference: `.nextBar`).
    public var missingMinutes: MissingMinutePolicy = .nextBar

    public init() {}
}

/// How the orchestrator's stop-loss and take-profit close a position opened from a signal.
public enum ExitMode: String, Sendable, Hashable, CaseIterable {
    /// The reference: checked on each bar's close, then sent as a market order for the next bar's open, so
    /// gap and intrabar-path rules never apply to them.
    case market
    /// A bracket resting from the entry fill on: a sell stop at the stop-loss price and a sell limit at the
    /// take-profit price, one cancelling the other, so the fill model decides gaps, the path and ambiguity.
    case resting
}

/// An agent as a scenario configures it: its id, the kind's name and the kind's checked parameters.
public struct AgentConfig: Sendable {
    public var id: String
    /// The kind's name, as registered (`vwap_mean_reversion`, …).
    public var kind: String
    public var definition: any AgentDefinition
    /// The kind's declared parameters (what a sweep may vary).
    public var declaredParameters: [AgentParameterDeclaration]
    /// The same agent with some parameters replaced (nil: not read from a scenario file).
    public var reconfiguration: AgentReconfiguration?

    public init(id: String, kind: String, definition: any AgentDefinition, declaredParameters: [AgentParameterDeclaration] = [],
                reconfiguration: AgentReconfiguration? = nil) {
        self.id = id
        self.kind = kind
        self.definition = definition
        self.declaredParameters = declaredParameters
        self.reconfiguration = reconfiguration
    }

    /// The parameters of the agent's kind, by name, for reports.
    public var parameterList: [(name: String, value: String)] { definition.parameterList }
    /// The parameters, typed (`AgentDefinition.parameters`).
    public var parameters: [ParameterEntry] { definition.parameters }
}
