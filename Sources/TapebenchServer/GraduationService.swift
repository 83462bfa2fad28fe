import Foundation
import GRDB
import TapebenchCore
import TapebenchEngine
import TapebenchReports
import TapebenchStore

/// The graduation routes: the eligibility answer judged from the database's rows (every variant the agent
/// trades there; robust only when a `conservative` account agrees, as `tapebench graduate` decides), and the
/// graduation itself, which changes only the agent registry (`--registry`), never the database.
struct GraduationService: Sendable {
    let database: ServedDatabase
    let registry: AgentStatusRegistry
    /// The criteria judged against: DESIGN.md's table (a database does not record a scenario's own).
    var settings = GraduationSettings()

    /// What an eligibility question is about: the agent's records, its current status and the step asked.
    struct Question: Sendable {
        var records: [GraduationRecord]
        var baseVariant: String
        var from: AgentLifecycleStatus
        var step: GraduationStep
        var scenarioName: String
        var scenarioSHA256: String
        /// When the answer was decided: the base account's last update (the end of the replay, or paper
        /// mode's latest bar), never the wall clock.
        var decidedAt: String
    }

    /// The step an agent standing at `status` takes next; nil when it is live already.
    static func nextStep(from status: AgentLifecycleStatus) -> GraduationStep? {
        switch status {
        case .learning: return .paper
        case .paperTrading: return .live
        case .live: return nil
        }
    }

    func question(agent: String, step asked: GraduationStep?) async throws -> Question {
        let status = try registryStatus(agent)
        // A live agent has no next step: its answer is the live step's, for the record.
        let step = asked ?? Self.nextStep(from: status) ?? .live
        return try await database.read { db in
            let records = try GraduationRecords.records(db, agent: agent)
            let base = try PaperQueries.variants(db).first ?? records[0].variant
            let run = try Row.fetchOne(db, sql: "SELECT scenario_name, scenario_sha256, replay_end FROM runs ORDER BY id LIMIT 1")
            let baseAccount = try PaperQueries.account(db, agent: agent, variant: nil)
            let updated = try String.fetchOne(db, sql: "SELECT updated_at FROM paper_accounts WHERE id = ?", arguments: [baseAccount.id])
            return Question(records: records, baseVariant: base, from: status, step: step, scenarioName: run?["scenario_name"] ?? "",
                            scenarioSHA256: run?["scenario_sha256"] ?? "", decidedAt: updated ?? run?["replay_end"] ?? "")
        }
    }

    func verdict(_ q: Question, agent: String, force: Bool) -> GraduationVerdict {
        GraduationVerdict.decide(agent: agent, records: q.records, baseVariant: q.baseVariant, step: q.step, settings: settings, force: force)
    }

    /// `GET /api/agents/:id/graduation/eligibility[?step=paper|live]`: the step defaults to the agent's next one.
    func eligibility(agent: String, step: GraduationStep?) async throws -> JSONValue {
        let q = try await question(agent: agent, step: step)
        guard case .object(var members) = GraduationReport.agent(verdict(q, agent: agent, force: false), answer: nil) else { return .null }
        members["agent_id"] = .string(agent)
        members["current_status"] = .string(q.from.rawValue)
        members["criteria"] = .array(verdict(q, agent: agent, force: false).base.criteria.map { c in
            .object(["name": .string(c.name), "met": .bool(c.met), "value": .statistic(c.value), "threshold": .statistic(c.threshold)])
        })
        return .object(members)
    }

    /// `POST /api/agents/:id/graduate` with `{"force": bool}`: graduates the agent one step when its verdict is
    /// robust, or forced; records the change in the registry (which re-checks the agent's status in its
    /// transaction); answers in the reference shape (`success`, `message`, `new_status`, `paper_account_id`)
    /// with the verdict under `eligibility`. A live agent cannot graduate (409).
    func graduate(agent: String, force: Bool) async throws -> JSONValue {
        let q = try await question(agent: agent, step: nil)
        guard Self.nextStep(from: q.from) != nil, let (from, to) = AgentLifecycleStatus.transition(to: q.step.rawValue) else {
            throw APIError.conflict("agent \(SafeName.quoted(agent)) is live already; it cannot graduate further")
        }
        let v = verdict(q, agent: agent, force: force)
        let existing = try onRegistry { try registry.paperAccountID(of: agent) }
        let answer = GraduateAnswer.answer(v, from: from.rawValue, to: to.rawValue, scenarioSHA256: q.scenarioSHA256, existingPaperAccount: existing)
        if v.graduates {
            let transition = StatusTransition(
                agent: agent, from: from, to: to, time: q.decidedAt, forced: !v.robust,
                criteria: GraduationReport.json([v], scenarioName: q.scenarioName, scenarioSHA256: q.scenarioSHA256),
                scenario: q.scenarioName, scenarioSHA256: q.scenarioSHA256, paperAccountID: answer.paperAccountID)
            try onRegistry(conflictOnInputError: true) { try registry.record([transition]) }
        }
        guard case .object(var members) = GraduationReport.graduate(answer) else { return .null }
        members["eligibility"] = GraduationReport.agent(v, answer: nil)
        return .object(members)
    }

    /// The agents' statuses in the registry (`learning` for every agent without a registry file).
    func statuses(_ agents: [String]) throws -> [String: String] {
        try onRegistry { try registry.statuses(of: agents) }.mapValues(\.rawValue)
    }

    func registryStatus(_ agent: String) throws -> AgentLifecycleStatus {
        try onRegistry { try registry.statuses(of: [agent])[agent] ?? .learning }
    }

    /// Registry errors as answers: a status changed meanwhile is a 409; a registry that cannot be read is a 503.
    func onRegistry<T>(conflictOnInputError: Bool = false, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as InputError {
            throw conflictOnInputError ? APIError.conflict(error.message) : APIError.unavailable(error.description)
        } catch {
            throw APIError.unavailable("the agent registry: \(error)")
        }
    }
}
