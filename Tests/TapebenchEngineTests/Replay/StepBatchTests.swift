import Testing
import TapebenchCore
@testable import TapebenchEngine

/// The replay's steps are refilled in place batch after batch (the zero-allocation steady state): these tests
/// look at the storage itself, which a malloc counter would measure only on one platform.
@Suite struct StepBatchTests {
    func bars(_ tickers: [String], minute: Int64) -> [Bar] {
        tickers.map { minuteBar(minute, open: "10.00", ticker: $0) }
    }

    func storage(_ bars: [Bar]) -> UnsafeRawPointer? { bars.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }

    @Test("a batch emptied and refilled keeps each step's bar storage, and holds the new bars")
    func refilledInPlace() {
        var batch = StepBatch()
        batch.append(time: sessionOpen.adding(minutes: 1), bars: bars(["AAPL", "MSFT"], minute: 0)[...])
        batch.append(time: sessionOpen.adding(minutes: 2), bars: bars(["AAPL", "MSFT"], minute: 1)[...])
        let before = batch.steps.map { storage($0.bars) }
        batch.removeAll()
        #expect(batch.isEmpty && batch.bars == 0)
        batch.append(time: sessionOpen.adding(minutes: 3), bars: bars(["NVDA"], minute: 2)[...])
        batch.append(time: sessionOpen.adding(minutes: 4), bars: bars(["AAPL"], minute: 3)[...])
        #expect(batch.steps.map { storage($0.bars) } == before)
        // A new array for one bar would hold one; each step's storage held two and still does.
        #expect(batch.steps.allSatisfy { $0.bars.capacity >= 2 })
        #expect(batch.steps.map(\.time) == [sessionOpen.adding(minutes: 3), sessionOpen.adding(minutes: 4)])
        #expect(batch.steps.map { $0.bars.map(\.ticker) } == [["NVDA"], ["AAPL"]])
        #expect(batch.count == 2 && batch.bars == 2)
    }

    @Test("a step still held elsewhere (an agent kept its view's bars) is not overwritten: the batch copies")
    func heldStepUntouched() {
        var batch = StepBatch()
        batch.append(time: sessionOpen.adding(minutes: 1), bars: bars(["AAPL"], minute: 0)[...])
        let kept = batch.steps.first!.bars
        batch.removeAll()
        batch.append(time: sessionOpen.adding(minutes: 2), bars: bars(["MSFT"], minute: 1)[...])
        #expect(kept.map(\.ticker) == ["AAPL"])
        #expect(batch.steps.first!.bars.map(\.ticker) == ["MSFT"])
    }

    @Test("a slot far wider than its new step is let go (a few wide steps cannot keep batch × widest bars alive)")
    func wideSlotReleased() {
        var batch = StepBatch()
        let wide = (0..<2_000).map { minuteBar(0, open: "10.00", ticker: "T\($0)") }
        batch.append(time: sessionOpen.adding(minutes: 1), bars: wide[...])
        batch.removeAll()
        batch.append(time: sessionOpen.adding(minutes: 2), bars: bars(["AAPL"], minute: 1)[...])
        #expect(batch.steps.first!.bars.capacity < 2_000)
    }
}

/// A step that is every bar the assembler holds is handed over whole, not copied.
@Suite struct StepBatchTakingTests {
    func storage(_ bars: [Bar]) -> UnsafeRawPointer? { bars.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }

    @Test("a taken list becomes the step (same storage), and the giver gets the slot's old storage back, empty")
    func takenWhole() {
        var batch = StepBatch()
        var held = [minuteBar(0, open: "10.00", ticker: "AAPL"), minuteBar(0, open: "10.00", ticker: "MSFT")]
        let heldStorage = storage(held)
        batch.append(time: sessionOpen.adding(minutes: 1), taking: &held)
        #expect(held.isEmpty)
        #expect(storage(batch.steps.first!.bars) == heldStorage)
        #expect(batch.steps.first!.bars.map(\.ticker) == ["AAPL", "MSFT"] && batch.count == 1 && batch.bars == 2)
        // Refilled: the slot takes the new list; the giver gets the first list's storage, emptied.
        batch.removeAll()
        held = [minuteBar(1, open: "10.00", ticker: "NVDA")]
        held.reserveCapacity(4)
        batch.append(time: sessionOpen.adding(minutes: 2), taking: &held)
        #expect(held.isEmpty && storage(held) == heldStorage && held.capacity >= 2)
        #expect(batch.steps.map { $0.bars.map(\.ticker) } == [["NVDA"]] && batch.bars == 1)
    }

    @Test("the assembler's minutes come out the same through the taking path: three minutes of two tickers, then a longer bar")
    func assemblerSteps() {
        var assembler = StepAssembler()
        var steps: [[String]] = []
        for m in 0..<3 {
            for ticker in ["AAPL", "MSFT"] { steps += assembler.add(minuteBar(Int64(m), open: "10.00", ticker: ticker)).map { $0.bars.map(\.ticker) } }
        }
        steps += assembler.releaseAll().map { $0.bars.map(\.ticker) }
        #expect(steps == [["AAPL", "MSFT"], ["AAPL", "MSFT"], ["AAPL", "MSFT"]])
    }
}
