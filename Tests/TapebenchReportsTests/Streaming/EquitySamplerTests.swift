import Testing
import TapebenchCore
import TapebenchEngine
@testable import TapebenchReports

/// The sampler works a drawdown out only for the marks that become samples; the samples (marks and
/// drawdowns, bit for bit) must be those of working it out at every step.
@Suite struct EquitySamplerTests {
    /// The sampler before: a sample, drawdown included, made at every mark; the previous one sent when a period ends.
    struct EveryStep {
        var pending: EquitySample?
        var peak: Money
        var out: [EquitySample] = []

        mutating func mark(_ mark: EquityMark) {
            if mark.equity > peak { peak = mark.equity }
            let sample = EquitySample(mark: mark, drawdown: peak.raw > 0 ? Double(peak.raw - mark.equity.raw) / Double(peak.raw) : 0)
            if let previous = pending, EquitySampler.period(previous.mark.time) != EquitySampler.period(mark.time) { out.append(previous) }
            pending = sample
        }
    }

    static func mark(_ time: Timestamp, equity: Money) -> EquityMark {
        EquityMark(time: time, cash: equity, marketValue: .zero, equity: equity, realizedPnL: .zero, unrealizedPnL: .zero, commissions: .zero,
                   openPositions: 0)
    }

    @Test("3 seeded days of minutes with gaps, equity wandering above and below its start: the same samples and drawdowns")
    func sameSamples() {
        let start = Fixed(100_000)
        var sampler = EquitySampler(initialBalance: start)
        var reference = EveryStep(peak: start)
        var samples: [EquitySample] = []
        var state: UInt64 = 5
        var time = Timestamp(seconds: 1_710_163_860)
        var equity = start
        for _ in 0..<1_200 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            time = time.adding(minutes: (state >> 60) % 3 == 0 ? 7 : 1)
            equity = Fixed(raw: equity.raw + Int64((state >> 20) % 2_000_001) - 1_000_000)
            let mark = Self.mark(time, equity: equity)
            reference.mark(mark)
            if let sample = sampler.mark(mark) { samples.append(sample) }
        }
        if let last = sampler.finish() { samples.append(last) }
        if let last = reference.pending { reference.out.append(last) }
        #expect(samples.count == reference.out.count && samples.count > 200)
        #expect(samples == reference.out)
        #expect(sampler.chart.samples == samples.count)
    }

    @Test("hand-checked: 100 → 110 → 99 in one period, then a new period: one sample, 99 with drawdown (110 − 99) / 110 = 0.1")
    func handChecked() {
        var sampler = EquitySampler(initialBalance: Fixed(100))
        let t = Timestamp(seconds: 1_710_163_800)  // 13:30 UTC, a period's end
        #expect(sampler.mark(Self.mark(t.adding(minutes: 1), equity: Fixed(100))) == nil)
        #expect(sampler.mark(Self.mark(t.adding(minutes: 2), equity: Fixed(110))) == nil)
        #expect(sampler.mark(Self.mark(t.adding(minutes: 5), equity: Fixed(99))) == nil)
        let sample = sampler.mark(Self.mark(t.adding(minutes: 6), equity: Fixed(120)))
        #expect(sample?.mark.equity == Fixed(99) && sample?.drawdown == 0.1)
        #expect(sampler.finish()?.drawdown == 0)
    }
}
