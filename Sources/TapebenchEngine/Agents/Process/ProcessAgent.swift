#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TapebenchCore

/// The agent of one lane, played by a program: started at the lane's first minute (hello, ready), asked
/// once per minute (bars, actions), told the end (end, exit 0). Every failure of the program (it crashed,
/// wrote a line that is not JSON or not the schema, took longer than `timeout_ms`) is an `AgentFailure`
/// naming the message (1 is hello, 2 the first bars message, …) and quoting the end of the program's stderr.
public struct ProcessAgent: Agent {
    private let session: Session

    init(definition: ProcessAgentDefinition, lane: LaneInfo, tickers: [String], settings: OrchestratorSettings) {
        session = Session(definition: definition, lane: lane, tickers: tickers, settings: settings)
    }

    public mutating func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction] { try session.decide(view) }

    public mutating func finish() throws(AgentFailure) { try session.finish() }

    /// The program and the conversation; a class because the program is one running thing, whatever copies
    /// of the agent value exist. Used by one lane, so by one thread at a time.
    final class Session: @unchecked Sendable {
        let definition: ProcessAgentDefinition
        let lane: LaneInfo
        let tickers: [String]
        let settings: OrchestratorSettings
        let answers: AgentAnswers
        private var program: AgentProgram?
        private var messages = AgentMessages()
        /// Messages sent so far (hello is message 1).
        private(set) var sent = 0
        private var failed = false

        init(definition: ProcessAgentDefinition, lane: LaneInfo, tickers: [String], settings: OrchestratorSettings) {
            self.definition = definition
            self.lane = lane
            self.tickers = tickers
            self.settings = settings
            answers = AgentAnswers(agentID: lane.agentID, tickers: Set(tickers))
        }

        func decide(_ view: AgentView) throws(AgentFailure) -> [AgentAction] {
            guard !failed else { throw AgentFailure("the program failed earlier") }
            if program == nil { try start(view) }
            let line = try exchange(messages.bars(view), what: "bars of \(view.time.iso8601)")
            do {
                return try answers.actions(line, view: view)
            } catch {
                throw failure(what: "bars of \(view.time.iso8601)", error.message)
            }
        }

        func finish() throws(AgentFailure) {
            guard let program, !failed else { return }
            sent += 1
            do {
                try program.finish(AgentMessages.end, timeout: definition.timeoutMilliseconds)
            } catch {
                throw failure(what: "end", error.text)
            }
            self.program = nil
        }

        /// Starts the program and greets it.
        private func start(_ view: AgentView) throws(AgentFailure) {
            do {
                program = try AgentProgram(definition.launch, environment: Session.environment())
            } catch {
                throw failure(what: "hello", error.text)
            }
            let hello = messages.hello(agentID: lane.agentID, params: definition.params, tickers: tickers, account: view.account,
                                       fillModel: lane.fillModel, settings: settings)
            let line = try exchange(hello, what: "hello")
            do {
                try answers.ready(line)
            } catch {
                throw failure(what: "hello", error.message)
            }
        }

        private func exchange(_ message: [UInt8], what: String) throws(AgentFailure) -> [UInt8] {
            sent += 1
            do {
                return try program!.exchange(message, timeout: definition.timeoutMilliseconds)
            } catch {
                throw failure(what: what, error.text)
            }
        }

        /// The failure of message `sent`; the program is killed and reaped at once.
        private func failure(what: String, _ problem: String) -> AgentFailure {
            failed = true
            let tail = program.map { Session.tail(of: $0.stderrText) } ?? ""
            program?.kill()
            program = nil
            let command = InputError.quote(definition.launch.arguments.joined(separator: " "))
            return AgentFailure("message \(sent) (\(what)) to \(command): \(problem)" + (tail.isEmpty ? "; stderr was empty" : "; stderr ends: \(tail)"))
        }

        /// The last lines of stderr, at most 400 characters, on one line (` | ` between lines).
        static func tail(of text: String) -> String {
            let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
            var joined = lines.joined(separator: " | ")
            if joined.count > 400 { joined = "…" + joined.suffix(400) }
            return String(joined.map { $0.isASCII && ($0.asciiValue! < 0x20 || $0.asciiValue! == 0x7F) ? "?" : $0 })
        }

        /// Tapebench's environment, with PYTHONHASHSEED=0 unless it is set: Python randomizes string hashes
        /// per process, and an agent iterating a set of tickers would otherwise differ from run to run.
        static func environment() -> [String] {
            var entries: [String] = []
            var pointer = environ
            while let entry = pointer.pointee {
                entries.append(String(cString: entry))
                pointer += 1
            }
            if !entries.contains(where: { $0.hasPrefix("PYTHONHASHSEED=") }) { entries.append("PYTHONHASHSEED=0") }
            return entries
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        var text = self
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        return String(text)
    }
}
