import Testing
import TapebenchCore
import TapebenchLedger

@Suite struct PerformanceTests {
    @Test("Sharpe of daily returns, sample deviation, annualized with √252")
    func sharpe() {
        // Returns 1 %, −0.5 %, 2 %: mean 0.8333 %, sample sd 1.2583 %; × √252.
        let value = Performance.sharpe(dailyReturns: [0.01, -0.005, 0.02])
        let mean = 0.025 / 3
        let sd = ((0.01 - mean) * (0.01 - mean) + (-0.005 - mean) * (-0.005 - mean) + (0.02 - mean) * (0.02 - mean)) / 2
        #expect(abs(value - mean / sd.squareRoot() * 252.0.squareRoot()) < 1e-12)
        #expect(abs(value - 10.5131) < 1e-3)
    }

    @Test("Sharpe is 0 with fewer than two returns or no variation")
    func sharpeDegenerate() {
        #expect(Performance.sharpe(dailyReturns: []) == 0)
        #expect(Performance.sharpe(dailyReturns: [0.01]) == 0)
        #expect(Performance.sharpe(dailyReturns: [0.01, 0.01]) == 0)
    }

    @Test("max drawdown from the running peak")
    func drawdown() {
        let equities = ["100", "110", "99", "105", "120", "90"].map(p)
        #expect(abs(Performance.maxDrawdown(equities) - 0.25) < 1e-12)  // 120 → 90
        #expect(Performance.maxDrawdown(["100", "101"].map(p)) == 0)
    }

    @Test("returns between consecutive equities")
    func returns() {
        #expect(Performance.returns(["100", "110", "99"].map(p)) == [0.1, -0.1])
    }
}
