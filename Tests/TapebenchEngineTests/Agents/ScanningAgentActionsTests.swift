import Testing
import TapebenchCore
@testable import TapebenchEngine

/// A scanning agent keeps its last actions' storage for the next minute: no new array per signalling minute
/// once the caller has let go of the last one, and an array the caller still holds is never changed.
@Suite struct ScanningAgentActionsTests {
    func storage(_ actions: [AgentAction]) -> UnsafeRawPointer? { actions.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }

    func tickers(_ actions: [AgentAction]) -> [String] {
        actions.compactMap { if case .signal(let s) = $0 { "\(s.ticker)@\(s.time.iso8601)" } else { nil } }
    }

    @Test("minutes 1, 2, 3 each signal: a held result keeps its signal; a dropped one's storage is the next result's")
    func reused() {
        let scanner = ScriptedAgent()
        for m in 1...3 { scanner.script[sessionOpen.adding(minutes: Int64(m))] = .buy }
        var driver = ScanDriver(scanner, every: 1, capacity: 10)
        let first = driver.minute([minuteBar(0, open: "10.00")], held: [:], asked: true)!.incremental
        var second = driver.minute([minuteBar(1, open: "10.00")], held: [:], asked: true)!.incremental
        // The first result, still held, is untouched by the second minute.
        #expect(tickers(first) == ["AAPL@2024-03-11T13:31:00Z"])
        #expect(tickers(second) == ["AAPL@2024-03-11T13:32:00Z"])
        let secondStorage = storage(second), capacity = second.capacity
        second = []
        // Had the second's buffer been freed, an array of its size made now would likely take it.
        var blocker: [AgentAction] = []
        blocker.reserveCapacity(capacity)
        defer { withExtendedLifetime(blocker) {} }
        let third = driver.minute([minuteBar(2, open: "10.00")], held: [:], asked: true)!.incremental
        #expect(tickers(third) == ["AAPL@2024-03-11T13:33:00Z"])
        #expect(storage(third) == secondStorage)
    }
}
