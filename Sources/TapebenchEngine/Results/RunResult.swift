import TapebenchData

public enum TapebenchVersion {
    public static let current = "0.1.0"
}

/// Everything a run produced, for the store and the reports: values only, no engine state.
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

    /// The lanes' summaries, as computed when each lane ended.
    public var summaries: [AgentSummary] { lanes.map(\.summary) }
}
