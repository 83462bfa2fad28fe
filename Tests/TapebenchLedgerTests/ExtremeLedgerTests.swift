import PropertyBased
import Testing
import TapebenchCore
import TapebenchExecution
import TapebenchLedger

/// Values at, just past and far past every bound, and random values at every scale: the generators the
/// extreme-value property tests draw from.
enum Extreme {
    /// Raw `Fixed` values (units of 1e-8).
    static let raws: [Int64] = [
        0, 1, -1, 50_000_000, 10_000_000_000, -10_000_000_000, Limits.maxPrice.raw, Limits.maxPrice.raw + 1, -Limits.maxPrice.raw,
        Limits.maxAmount.raw, Limits.maxAmount.raw + 1, -Limits.maxAmount.raw, .max, .min, .max - 1, .min + 1, .max / 2,
    ]
    static let quantities: [Int64] = [0, 1, -1, 100, 100_000_000, Limits.maxShares, Limits.maxShares + 1, -Limits.maxShares, .max, .min, 9_000_000_000_000_000_000]

    /// An edge value (half the draws) or a random one shifted right by 0…63 bits, so that every magnitude turns up.
    static func pick(_ edges: [Int64], _ index: Int, _ random: Int64, _ shift: Int) -> Int64 {
        index < edges.count ? edges[index] : random >> Int64(shift)
    }

    static let raw = zip(Gen.int(in: 0...(raws.count * 2)), Gen.int64(), Gen.int(in: 0...63)).map { pick(raws, $0, $1, $2) }
    static let quantity = zip(Gen.int(in: 0...(quantities.count * 2)), Gen.int64(), Gen.int(in: 0...63)).map { pick(quantities, $0, $1, $2) }
    /// Strictly positive quantities, as every order has: the extremes of magnitude only.
    static let orderQuantity = quantity.map { $0 == .min ? Int64.max : max(1, $0.magnitude > UInt64(Int64.max) ? 1 : abs($0)) }
}

/// The ledger driven with extreme fills and marks: every step either books, keeping the invariants and the
/// bounds, or throws `AmountOutOfRange` and changes nothing. Never a trap.
@Suite struct ExtremeLedgerTests {
    typealias Step = (ticker: Int, buy: Bool, quantity: Int64, price: Int64, reference: Int64, commission: Int64, mark: Int64)

    static let steps = zip(Gen.int(in: 0...2), Gen.bool, Extreme.quantity, Extreme.raw, Extreme.raw, Extreme.raw, Extreme.raw)
        .map { Step($0, $1, $2, $3, $4, $5, $6) }
        .array(of: 1...40)

    /// The identities and the bounds of `Account`, checked wide, and every derived figure read.
    static func check(_ account: Account) {
        let limit = Limits.maxAmount.wide
        let positions = account.sortedPositions
        let value = positions.reduce(Int128(0)) { $0 + $1.currentPrice.wideProduct($1.quantity) }
        let cost = positions.reduce(Int128(0)) { $0 + $1.costBasis.wide }
        #expect(account.equity.wide == account.cash.wide + value)
        #expect(account.equity.wide - account.initialBalance.wide == account.realizedPnL.wide + (value - cost) - account.commissions.wide)
        for amount in [account.cash, account.realizedPnL, account.commissions, account.slippage] { #expect(amount.wide.magnitude <= limit.magnitude) }
        #expect(positions.reduce(Int128(0)) { $0 + Int128($1.currentPrice.wideProduct($1.quantity).magnitude) } <= limit)
        #expect(positions.reduce(Int128(0)) { $0 + Int128($1.costBasis.raw.magnitude) } <= limit)
        #expect(positions.allSatisfy { $0.quantity != 0 && $0.quantity.magnitude <= UInt64(Limits.maxShares) })
        // Reading every figure a report reads: none traps.
        _ = (account.buyingPower, account.totalPnL, account.unrealizedPnL, account.shortMarketValue, account.winRate)
        _ = account.riskContext(for: "AAA")
        _ = positions.map { ($0.averageEntryPrice, $0.unrealizedPnL, $0.unrealizedPnLFraction, $0.marketValue) }
        let snapshot = account.snapshot(date: CivilDate(year: 2024, month: 3, day: 11), time: Timestamp(nanoseconds: 0), previous: [])
        #expect(snapshot.equity == account.equity)
    }

    @Test("extreme fills and marks: booked within the bounds, or refused with nothing changed")
    func extremes() async {
        await propertyCheck(count: 400, input: Self.steps) { steps in
            var account = Account(id: 1, agent: "prop", initialBalance: Fixed(1_000_000_000))
            for (i, step) in steps.enumerated() {
                let ticker = LedgerInvariantTests.tickers[step.ticker]
                let fill = Fill(orderID: Int64(i + 1), agent: "prop", ticker: ticker, side: step.buy ? .buy : .sell, orderType: .market,
                                time: Timestamp(nanoseconds: Int64(i) * 60_000_000_000), quantity: step.quantity, price: Fixed(raw: step.price),
                                referencePrice: Fixed(raw: step.reference), commission: Fixed(raw: step.commission), rule: .marketNextOpen)
                let before = account
                do {
                    try account.apply(fill)
                } catch {
                    #expect(account == before, "a refused fill changed the account")
                    #expect("\(error)".contains("beyond the ±"))
                }
                Self.check(account)
                let beforeMark = account
                do {
                    try account.mark(ticker, at: Fixed(raw: step.mark))
                } catch {
                    #expect(account == beforeMark, "a refused mark changed the account")
                }
                Self.check(account)
            }
        }
    }

    @Test("at the bounds: a fill up to $10 000 000 000 books, one unit more is refused; a mark past it is refused")
    func atTheBounds() throws {
        var account = Account(id: 1, agent: "edge", initialBalance: Fixed(1_000_000_000))
        // A short sale of $10 000 000 000 is the largest position: its proceeds make cash $11e9, past the bound.
        #expect(throws: AmountOutOfRange.self) { try account.apply(fill(.sell, 100_000_000, at: "100", commission: "0")) }
        #expect(account.cash == Fixed(1_000_000_000))
        // $9e9 short: cash $10e9 exactly, the position's value $9e9.
        try account.apply(fill(.sell, 90_000_000, at: "100", commission: "0"))
        #expect(account.cash == Limits.maxAmount)
        #expect(account.equity == Fixed(1_000_000_000))
        // The price rising to 111.12 makes the short worth $10 000 800 000: refused, the mark stays at 100.
        #expect(throws: AmountOutOfRange.self) { try account.mark("AAPL", at: p("111.12")) }
        #expect(account.position("AAPL")?.currentPrice == p("100"))
        // 111.11 makes it $9 999 900 000: inside.
        try account.mark("AAPL", at: p("111.11"))
        #expect(account.equity == Fixed(100_000))  // cash $10 000 000 000 less the short's $9 999 900 000
        // A fill of more shares than a position may hold, at no price, is refused by its count.
        do {
            try account.apply(fill(.buy, Limits.maxShares + 1, "BBB", at: "0", commission: "0"))
            Issue.record("no error")
        } catch {
            #expect("\(error)" == "a fill is 1000000000000001 shares, beyond the ±1000000000000000 a run may hold")
        }
        // Zero and negative quantities are no fill.
        #expect(throws: AmountOutOfRange.self) { try account.apply(fill(.buy, 0, "BBB", at: "1")) }
        #expect(throws: AmountOutOfRange.self) { try account.apply(fill(.buy, -5, "BBB", at: "1")) }
    }
}

/// The statistics read from extreme equities and closes: no trap, and the figures stay meaningful.
@Suite struct ExtremeStatisticsTests {
    static let equities = zip(Extreme.raw, Extreme.raw, Extreme.raw).map { [Fixed(raw: $0), Fixed(raw: $1), Fixed(raw: $2)] }.array(of: 0...10).map { $0.flatMap { $0 } }

    @Test("returns, Sharpe, drawdowns and CAGR of extreme equity series do not trap")
    func performance() async {
        await propertyCheck(count: 300, input: Self.equities) { equities in
            let returns = Performance.returns(equities)
            #expect(returns.count == max(0, equities.count - 1))
            _ = Performance.sharpe(dailyReturns: returns)
            let drawdown = Performance.maxDrawdown(equities)
            #expect(drawdown >= 0)
            _ = (Performance.currentDrawdown(equities), ReturnStatistics.totalReturn(equities), ReturnStatistics.cagr(equities))
            _ = (ReturnStatistics.annualizedVolatility(returns), ReturnStatistics.sortino(returns), ReturnStatistics.calmar(equities))
            _ = ReturnStatistics.maxDrawdownDuration(equities)
        }
    }

    @Test("the largest equity falling to the smallest is a drawdown of 2, not an overflow")
    func drawdownAcrossTheRange() {
        let equities = [Fixed(raw: .max), Fixed(raw: .min)]
        #expect(Performance.maxDrawdown(equities) == 2)
        #expect(Performance.returns(equities) == [-2])
        #expect(ReturnStatistics.totalReturn(equities) == -2)
    }

    @Test("trade statistics of extreme closes: sums kept wide, averages between the smallest and the largest close")
    func trades() async {
        await propertyCheck(count: 300, input: Extreme.raw.array(of: 0...30)) { raws in
            let realized = raws.map(Fixed.init(raw:))
            let stats = TradeStatistics(realized: realized)
            #expect(stats.wins + stats.losses == realized.count)
            if let low = realized.min(), let high = realized.max() {
                #expect(stats.expectancy >= low && stats.expectancy <= high)
            }
            _ = (stats.averageWin, stats.averageLoss, stats.profitFactor, stats.winRate)
        }
    }

    @Test("gross wins past what one amount holds average exactly")
    func wideSums() {
        let stats = TradeStatistics(realized: [Fixed(raw: .max), Fixed(raw: .max), Fixed(raw: .max - 2)])
        #expect(stats.grossWinsWide == Int128(Int64.max) * 3 - 2)
        #expect(stats.averageWin == Fixed(raw: .max - 1))  // (3·max − 2) / 3 = max − 2/3, rounded to max − 1
    }
}
