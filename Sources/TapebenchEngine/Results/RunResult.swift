import TapebenchData

public enum TapebenchVersion {
    public static let current = "0.1.0"
}

/// What a replay produced with any recorder: each lane's outcome beside its recorder (lanes in agent-id,
/// then the scenario's variant order), the replay's counts and the data's quality. Values only, no engine
/// state.
public struct ReplayedRun<Recorder: LaneRecorder>: Sendable {
    public var scenario: Scenario
    public var toolVersion: String
    /// The variants' names, in the scenario's order.
    public var fillModels: [String]
    public var lanes: [(outcome: LaneOutcome, recorder: Recorder)]
    public var statistics: ReplayStatistics
    /// What validation found in the data replayed.
    public var quality: DataQualityReport

    public init(scenario: Scenario, toolVersion: String, fillModels: [String], lanes: [(outcome: LaneOutcome, recorder: Recorder)],
                statistics: ReplayStatistics, quality: DataQualityReport) {
        self.scenario = scenario
        self.toolVersion = toolVersion
        self.fillModels = fillModels
        self.lanes = lanes
        self.statistics = statistics
        self.quality = quality
    }

    public var outcomes: [LaneOutcome] { lanes.map(\.outcome) }
}

/// A replay with every event kept in memory (`InMemoryRecorder`): for tests and small replays.
public struct RunResult: Sendable {
    public var scenario: Scenario
    public var toolVersion: String
    /// The variants' names, in the scenario's order.
    public var fillModels: [String]
    /// One per agent and variant: agents in id order, each agent's variants in the scenario's order.
    public var lanes: [LaneResult]
    public var statistics: ReplayStatistics
    /// What validation found in the data replayed.
    public var quality: DataQualityReport

    public init(scenario: Scenario, toolVersion: String, fillModels: [String], lanes: [LaneResult], statistics: ReplayStatistics, quality: DataQualityReport) {
        self.scenario = scenario
        self.toolVersion = toolVersion
        self.fillModels = fillModels
        self.lanes = lanes
        self.statistics = statistics
        self.quality = quality
    }

    public init(_ run: ReplayedRun<InMemoryRecorder>) {
        self.init(scenario: run.scenario, toolVersion: run.toolVersion, fillModels: run.fillModels,
                  lanes: run.lanes.map { LaneResult(outcome: $0.outcome, recorder: $0.recorder) }, statistics: run.statistics, quality: run.quality)
    }

    /// The lanes' summaries, as computed when each lane ended.
    public var summaries: [AgentSummary] { lanes.map(\.summary) }
    public var outcomes: [LaneOutcome] { lanes.map(\.outcome) }
}
