import Foundation
import GRDB
import TapebenchCore

/// Where an agent stands in the reference system's lifecycle: learning → paper_trading → live.
public enum AgentLifecycleStatus: String, Sendable, Hashable, CaseIterable {
    case learning
    case paperTrading = "paper_trading"
    case live

    /// The status a graduation to `step` (`paper` or `live`) starts from and the one it ends in; nil for
    /// an unknown step.
    public static func transition(to step: String) -> (from: AgentLifecycleStatus, to: AgentLifecycleStatus)? {
        switch step {
        case "paper": return (.learning, .paperTrading)
        case "live": return (.paperTrading, .live)
        default: return nil
        }
    }
}

/// One change of an agent's status, as the registry keeps it.
public struct StatusTransition: Sendable, Hashable {
    public var agent: String
    public var from: AgentLifecycleStatus
    public var to: AgentLifecycleStatus
    /// When it was decided: the end of the replay that judged it (ISO 8601 UTC), never the wall clock, so
    /// the same scenario and data record the same row.
    public var time: String
    /// Graduated although the criteria were not (robustly) met.
    public var forced: Bool
    /// The eligibility answer it was decided on, as canonical JSON (criteria, values, thresholds).
    public var criteria: String
    public var scenario: String
    public var scenarioSHA256: String
    /// The paper account the agent trades on from now on (set on graduation to paper).
    public var paperAccountID: String?

    public init(agent: String, from: AgentLifecycleStatus, to: AgentLifecycleStatus, time: String, forced: Bool, criteria: String,
                scenario: String, scenarioSHA256: String, paperAccountID: String? = nil) {
        self.agent = agent
        self.from = from
        self.to = to
        self.time = time
        self.forced = forced
        self.criteria = criteria
        self.scenario = scenario
        self.scenarioSHA256 = scenarioSHA256
        self.paperAccountID = paperAccountID
    }
}

/// The agent registry that lasts across runs: a SQLite file (`--registry`, default `reports/agents.sqlite`)
/// with each agent's status (`trading_agents`, the reference system's table name) and every change of it
/// (`agent_status_history`). An agent it does not list is `learning`.
///
/// Safety: Tapebench only ever changes a registry it created. It marks its file with SQLite's
/// `application_id` (`0x54425247`, "TBRG"), checked from the file's header bytes before SQLite opens it for
/// writing, so another database, a file of other bytes, an empty file, a symbolic link or a folder in its
/// place is refused with one line and never touched. A new registry is built under a temporary name in the
/// same folder and linked into place with `link(2)`, which fails rather than replace a file that appeared
/// meanwhile. Changes are one transaction, which re-checks each agent's status first.
public struct AgentStatusRegistry: Sendable {
    public let path: String

    public static let applicationID: Int32 = 0x5442_5247

    public init(path: String) { self.path = path }

    // MARK: - Reading

    /// The agents' statuses; `learning` for an agent it does not list, and for every agent when the file
    /// does not exist yet. Reads only (a missing registry is not created here).
    public func statuses(of agents: [String]) throws -> [String: AgentLifecycleStatus] {
        var result = Dictionary(uniqueKeysWithValues: agents.map { ($0, AgentLifecycleStatus.learning) })
        guard try checkOwned(mayBeMissing: true) else { return result }
        try withQueue(readOnly: true, action: "cannot read the agent registry") { queue in
            try queue.read { db in
                for agent in agents {
                    if let text = try String.fetchOne(db, sql: "SELECT status FROM trading_agents WHERE id = ?", arguments: [agent]) {
                        result[agent] = AgentLifecycleStatus(rawValue: text) ?? .learning
                    }
                }
            }
        }
        return result
    }

    /// The paper account an agent was given when it graduated to paper, if it was.
    public func paperAccountID(of agent: String) throws -> String? {
        guard try checkOwned(mayBeMissing: true) else { return nil }
        return try withQueue(readOnly: true, action: "cannot read the agent registry") { queue in
            try queue.read { db in
                try String.fetchOne(db, sql: "SELECT paper_account_id FROM trading_agents WHERE id = ?", arguments: [agent])
            }
        }
    }

    /// An agent's changes of status, oldest first.
    public func history(of agent: String) throws -> [StatusTransition] {
        guard try checkOwned(mayBeMissing: true) else { return [] }
        return try withQueue(readOnly: true, action: "cannot read the agent registry") { queue in
            try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT agent_id, from_status, to_status, decided_at, forced, criteria, scenario, scenario_sha256, paper_account_id
                    FROM agent_status_history WHERE agent_id = ? ORDER BY id
                    """, arguments: [agent]).map { row in
                    StatusTransition(agent: row["agent_id"], from: AgentLifecycleStatus(rawValue: row["from_status"]) ?? .learning,
                                     to: AgentLifecycleStatus(rawValue: row["to_status"]) ?? .learning, time: row["decided_at"],
                                     forced: row["forced"], criteria: row["criteria"], scenario: row["scenario"],
                                     scenarioSHA256: row["scenario_sha256"], paperAccountID: row["paper_account_id"])
                }
            }
        }
    }

    // MARK: - Changing

    /// Records the transitions in one transaction, creating the registry when it does not exist. Each
    /// agent's status must still be its transition's `from` (another tapebench may have moved it since it
    /// was read); otherwise nothing is recorded and the error names the agent.
    public func record(_ transitions: [StatusTransition]) throws {
        guard !transitions.isEmpty else { return }
        if try !checkOwned(mayBeMissing: true) { try create() }
        try withQueue(readOnly: false, action: "cannot write the agent registry") { queue in
            try queue.inTransaction(.immediate) { db in
                for t in transitions {
                    let current = try String.fetchOne(db, sql: "SELECT status FROM trading_agents WHERE id = ?", arguments: [t.agent])
                        .flatMap(AgentLifecycleStatus.init(rawValue:)) ?? .learning
                    guard current == t.from else {
                        throw InputError(file: path, message: "agent '\(t.agent)' is now \(current.rawValue), not \(t.from.rawValue) (changed by another tapebench?); nothing recorded")
                    }
                    try db.execute(sql: """
                        INSERT INTO trading_agents (id, status, paper_account_id, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET status = excluded.status,
                            paper_account_id = COALESCE(excluded.paper_account_id, trading_agents.paper_account_id), updated_at = excluded.updated_at
                        """, arguments: [t.agent, t.to.rawValue, t.paperAccountID, t.time])
                    try db.execute(sql: """
                        INSERT INTO agent_status_history (agent_id, from_status, to_status, decided_at, forced, criteria, scenario, scenario_sha256, paper_account_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [t.agent, t.from.rawValue, t.to.rawValue, t.time, t.forced, t.criteria, t.scenario, t.scenarioSHA256, t.paperAccountID])
                }
                return .commit
            }
        }
    }

    static let schema = """
        CREATE TABLE tapebench_registry (format INTEGER NOT NULL);
        INSERT INTO tapebench_registry (format) VALUES (1);
        CREATE TABLE trading_agents (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('learning', 'paper_trading', 'live')),
            paper_account_id TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE agent_status_history (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            agent_id TEXT NOT NULL,
            from_status TEXT NOT NULL,
            to_status TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            forced INTEGER NOT NULL,
            criteria TEXT NOT NULL,
            scenario TEXT NOT NULL,
            scenario_sha256 TEXT NOT NULL,
            paper_account_id TEXT
        );
        CREATE INDEX agent_status_history_agent ON agent_status_history (agent_id, id);
        """
}
