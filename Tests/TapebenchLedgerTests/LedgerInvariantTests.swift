import PropertyBased
import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger

/// Random order streams through the executor's risk checks into an account; after every step the
/// ledger's invariants must hold exactly.
@Suite struct LedgerInvariantTests {
    static let tickers = ["AAA", "BBB", "CCC"]

    /// One step: a ticker, a side, a quantity, a price in cents, a commission in cents.
    typealias Step = (ticker: Int, buy: Bool, quantity: Int, cents: Int, commissionCents: Int)

    static let steps = zip(Gen.int(in: 0...2), Gen.bool, Gen.int(in: 1...400), Gen.int(in: 1...50_000), Gen.int(in: 0...200))
        .map { Step($0, $1, $2, $3, $4) }
        .array(of: 1...80)

    @Test("cash + market value = equity; equity change = realized + unrealized − commissions; never short")
    func invariants() async throws {
        await propertyCheck(count: 300, input: Self.steps) { steps in
            var account = Account(id: 1, agent: "prop", initialBalance: Fixed(100_000))
            let executor = VirtualExecutor(model: ConfigurableFillModel.seed, risk: .reference)
            var fills = 0
            for (i, step) in steps.enumerated() {
                let ticker = Self.tickers[step.ticker]
                let price = Fixed(raw: Int64(step.cents) * 1_000_000)
                let held = account.position(ticker)?.quantity ?? 0
                let quantity = step.buy ? Int64(step.quantity) : min(Int64(step.quantity), max(held, 1))
                let order = Order(id: Int64(i + 1), agent: "prop", ticker: ticker, side: step.buy ? .buy : .sell, type: .limit,
                                  quantity: quantity, limitPrice: price, submittedAt: Timestamp(nanoseconds: 0), purpose: "prop")
                let bar = Bar(ticker: ticker, start: Timestamp(nanoseconds: Int64(i) * 60_000_000_000),
                              open: price, high: price, low: price, close: price, volume: 1_000)
                if case .filled(var fill) = executor.execute(order, on: bar, context: account.riskContext(for: ticker)) {
                    fill.commission = Fixed(raw: Int64(step.commissionCents) * 1_000_000)
                    if fill.side == .buy, fill.notional + fill.commission > account.cash { continue }
                    try account.apply(fill)
                    fills += 1
                }
                try account.mark(ticker, at: price)
                #expect(account.equity.wide == account.cash.wide + account.sortedPositions.reduce(0) { $0 + $1.currentPrice.wideProduct($1.quantity) })
                #expect(account.equity - account.initialBalance == account.realizedPnL + account.unrealizedPnL - account.commissions)
                #expect(account.sortedPositions.allSatisfy { $0.quantity > 0 })
                #expect(account.cash >= .zero)
            }
            #expect(account.closingTrades <= fills)
        }
    }
}

extension Position {
    var price: Price { currentPrice }
}

@Suite struct ShortInvariantTests {
    @Test("with shorting: the same identities hold over random streams that cross zero both ways")
    func invariants() async throws {
        await propertyCheck(count: 300, input: LedgerInvariantTests.steps) { steps in
            var account = Account(id: 1, agent: "prop", initialBalance: Fixed(100_000))
            var risk = RiskLimits.reference
            risk.maxShortBasisPoints = 5_000
            let executor = VirtualExecutor(model: ConfigurableFillModel.seed, risk: risk)
            for (i, step) in steps.enumerated() {
                let ticker = LedgerInvariantTests.tickers[step.ticker]
                let price = Fixed(raw: Int64(step.cents) * 1_000_000)
                let order = Order(id: Int64(i + 1), agent: "prop", ticker: ticker, side: step.buy ? .buy : .sell, type: .limit,
                                  quantity: Int64(step.quantity), limitPrice: price, submittedAt: Timestamp(nanoseconds: 0), purpose: "prop")
                let bar = Bar(ticker: ticker, start: Timestamp(nanoseconds: Int64(i) * 60_000_000_000), open: price, high: price, low: price, close: price, volume: 1_000)
                if case .filled(let fill) = executor.execute(order, on: bar, context: account.riskContext(for: ticker)) {
                    try account.apply(fill)
                }
                try account.mark(ticker, at: price)
                #expect(account.equity.wide == account.cash.wide + account.sortedPositions.reduce(0) { $0 + $1.currentPrice.wideProduct($1.quantity) })
                #expect(account.equity - account.initialBalance == account.realizedPnL + account.unrealizedPnL - account.commissions)
                #expect(account.sortedPositions.allSatisfy { $0.quantity != 0 && ($0.quantity > 0) == ($0.costBasis.raw > 0) })
            }
        }
    }
}
