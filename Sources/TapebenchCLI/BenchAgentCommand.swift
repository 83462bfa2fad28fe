import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchEngine

extension BenchCommand {
    /// The process-agent protocol alone: minutes of synthetic bars (every ticker a bar each minute) sent to
    /// a program as a replay sends them, one message per minute, and its answers read and checked. Wall-clock
    /// time is read here only.
    struct Agent: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: "Measure a process agent's round trips: bars/s and messages/s through the protocol, one message per minute.")

        @Option(help: "Tickers per minute (bars per message).")
        var tickers: Int = 200

        @Option(help: "Minutes (messages) to send.")
        var minutes: Int = 2_000

        @Option(help: "Longest wait for one answer, in milliseconds.")
        var timeoutMs: Int = 5_000

        @Argument(parsing: .captureForPassthrough, help: "The agent's command, e.g. python3 examples/agents/tapebench_agent.py")
        var command: [String]

        func run() throws {
            // The command is passed through as it is, so help asked for in its place is answered here.
            if let first = command.first, ["--help", "-h", "help"].contains(first) {
                print(Tapebench.helpMessage(for: Self.self))
                return
            }
            guard !command.isEmpty, tickers > 0, minutes > 0 else { throw ValidationError("give a command, and positive --tickers and --minutes") }
            let names = (1...tickers).map { String(format: "T%05d", $0) }
            let program = try reportingInputErrors {
                try ProcessAgentKind.resolve(command[0], folder: FileManager.default.currentDirectoryPath) {
                    InputError(file: "command", message: $0)
                }
            }
            let definition = ProcessAgentDefinition(launch: AgentLaunch(program: program, arguments: command, folder: "."), params: "{}",
                                                    timeoutMilliseconds: timeoutMs)
            let prepared = try definition.prepare(AgentContext(agentID: "bench", tickers: names, tickerLines: [:], settings: OrchestratorSettings()))
            var agent = prepared.makeAgent(for: LaneInfo(agentID: "bench", fillModel: "seed", initialBalance: Fixed(100_000)))
            let facts = AccountFacts(initialBalance: Fixed(100_000), cash: Fixed(100_000), equity: Fixed(100_000), buyingPower: Fixed(100_000),
                                     dayStartEquity: Fixed(100_000), peakEquity: Fixed(100_000), status: .active, entriesBlockedToday: false)
            // The views first, so that only the protocol is timed.
            let open = Timestamp(seconds: 1_709_562_600)
            let views = (0..<minutes).map { minute in
                let start = open.adding(minutes: Int64(minute))
                let bars = names.enumerated().map { index, ticker in
                    let price = Fixed(raw: Int64(10_000 + index) * 1_000_000 + Int64(minute % 97) * 10_000)
                    return Bar(ticker: ticker, start: start, open: price, high: price + Fixed(raw: 5_000_000), low: price - Fixed(raw: 3_000_000),
                               close: price + Fixed(raw: 1_000_000), volume: Double(1_000 + minute), vwap: price, tradeCount: 12)
                }
                return AgentView(time: start.adding(minutes: 1), bars: bars, account: facts, openOrders: [], windows: [:], barCounts: [:], positions: [:])
            }
            var actions = 0
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                for view in views { actions += try agent.decide(view).count }
                try agent.finish()
            } catch {
                fail("bench agent: \(error.message)")
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            print("agent        \(command.joined(separator: " "))")
            print("messages     \(minutes) (bars of \(tickers) tickers each), \(actions) actions back")
            print("time         \(String(format: "%.3f", seconds)) s")
            print("throughput   \(Int(Double(minutes * tickers) / seconds)) bars/s, \(Int(Double(minutes) / seconds)) messages/s")
        }
    }
}
