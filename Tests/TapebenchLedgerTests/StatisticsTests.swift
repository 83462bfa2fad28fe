import Foundation
import Testing
import TapebenchCore
import TapebenchLedger

@Suite struct ReturnStatisticsTests {
    // 100 → 110 → 99 → 105 → 120: returns +10 %, −10 %, +6.0606 %, +14.2857 %.
    let equities = ["100", "110", "99", "105", "120"].map(p)

    @Test("total return and CAGR over four trading days")
    func growth() {
        #expect(abs(ReturnStatistics.totalReturn(equities) - 0.2) < 1e-12)
        #expect(abs(ReturnStatistics.cagr(equities) - (pow(1.2, 252.0 / 4) - 1)) < 1e-9)
    }

    @Test("annualized volatility: sample deviation × √252")
    func volatility() {
        let r = [0.1, -0.1, 0.06, 0.1]
        let mean = 0.04
        let sd = ((0.06 * 0.06 + 0.14 * 0.14 + 0.02 * 0.02 + 0.06 * 0.06) / 3).squareRoot()
        #expect(abs(ReturnStatistics.annualizedVolatility(r) - sd * 252.0.squareRoot()) < 1e-12)
        #expect(mean == r.reduce(0, +) / 4)
    }

    @Test("Sortino: downside deviation over all days, target 0")
    func sortino() {
        // Mean 0.04; downside √(0.01 / 4) = 0.05 → 0.8 × √252.
        #expect(abs(ReturnStatistics.sortino([0.1, -0.1, 0.06, 0.1]) - 0.8 * 252.0.squareRoot()) < 1e-12)
        #expect(ReturnStatistics.sortino([0.01, 0.02]) == 0)  // no downside
    }

    @Test("Calmar: CAGR over max drawdown (10 % from 110 to 99)")
    func calmar() {
        #expect(abs(ReturnStatistics.calmar(equities) - ReturnStatistics.cagr(equities) / 0.1) < 1e-9)
        #expect(ReturnStatistics.calmar(["100", "101"].map(p)) == 0)
    }

    @Test("drawdown duration: trading days from a peak until it is regained")
    func duration() {
        #expect(ReturnStatistics.maxDrawdownDuration(equities) == 2)  // 110 at day 1, regained at day 4
        #expect(ReturnStatistics.maxDrawdownDuration(["100", "90", "95", "99"].map(p)) == 3)  // never regained
        #expect(ReturnStatistics.maxDrawdownDuration(["100", "101", "102"].map(p)) == 0)
    }
}

@Suite struct TradeStatisticsTests {
    @Test("wins, losses, averages, profit factor and expectancy by hand")
    func mixed() {
        let t = TradeStatistics(realized: ["30", "-10", "20", "0", "-20"].map(p))
        #expect(t.winRate == 0.4)
        #expect(t.averageWin == p("25"))
        #expect(t.averageLoss == p("-10"))
        #expect(t.profitFactor == 50.0 / 30.0)
        #expect(t.expectancy == p("4"))
    }

    @Test("edge cases: no trades, all wins, all losses, a single trade")
    func edges() {
        let none = TradeStatistics(realized: [])
        #expect(none.winRate == 0 && none.expectancy == .zero && none.profitFactor == nil)
        let wins = TradeStatistics(realized: ["5", "15"].map(p))
        #expect(wins.winRate == 1 && wins.profitFactor == nil && wins.averageLoss == .zero)
        let losses = TradeStatistics(realized: ["-5", "-15"].map(p))
        #expect(losses.winRate == 0 && losses.profitFactor == 0 && losses.averageLoss == p("-10"))
        let one = TradeStatistics(realized: ["7.5"].map(p))
        #expect(one.expectancy == p("7.5") && one.averageWin == p("7.5"))
    }
}

@Suite struct RunningTradeStatisticsTests {
    @Test("trades added one at a time give the statistics of the whole list")
    func running() {
        let closes = ["30", "-10", "20", "0", "-20"].map(p)
        var running = TradeStatistics()
        #expect(running.closingTrades == 0 && running.winRate == 0)
        for close in closes { running.add(close) }
        #expect(running == TradeStatistics(realized: closes))
        #expect(running.wins == 2 && running.losses == 3)
        #expect(running.grossWinsWide == p("50").wide && running.grossLossesWide == p("-30").wide)
    }
}
