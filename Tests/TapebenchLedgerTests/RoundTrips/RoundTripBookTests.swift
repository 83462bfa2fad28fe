import PropertyBased
import Testing
import TapebenchCore
@testable import TapebenchLedger

/// The trip a fill closes; fails the test when it closes none.
func closing(_ book: inout RoundTripBook, _ fill: Fill) throws -> RoundTrip {
    let trip = book.book(fill)
    return try #require(trip)
}

@Suite struct RoundTripBookTests {
    let t0 = Timestamp(seconds: 1_710_163_860)

    @Test("partial exits close the oldest lots first: one trip per closing fill, the rest stays open")
    func fifoPartialFills() throws {
        var book = RoundTripBook()
        // Given two entry lots: 100 @ 10.00 (commission 1.00), then 50 @ 11.00 (commission 0.50)
        #expect(book.book(fill(.buy, 100, at: "10", commission: "1.00", minute: 0)) == nil)
        #expect(book.book(fill(.buy, 50, at: "11", commission: "0.50", minute: 1)) == nil)
        // When 120 are sold at 12.00: all of lot 1 and 20 of lot 2
        let first = try closing(&book, fill(.sell, 120, at: "12", commission: "1.20", minute: 5))
        #expect(first.side == .long && first.quantity == 120)
        #expect(first.entryTime == t0 && first.exitTime == t0.adding(minutes: 5) && first.durationMinutes == 5)
        #expect(first.entryNotional == p("1220"))                  // 100 × 10 + 20 × 11
        #expect(first.entryPrice == p("10.16666667"))              // 1220 / 120, one rounding
        #expect(first.grossPnL == p("220"))                        // 1440 − 1220
        #expect(first.commissions == p("2.40"))                    // 1.00 + 0.50 × 20/50 + 1.20
        #expect(first.netPnL == p("217.60"))
        #expect(abs(first.returnFraction - 217.60 / 1220) < 1e-12)
        #expect(book.openLots("AAPL") == 1)
        // Then the last 30 of lot 2 (and its last 0.30 of commission) close at 9.00
        let second = try closing(&book, fill(.sell, 30, at: "9", commission: "0.30", minute: 10))
        #expect(second.entryTime == t0.adding(minutes: 1) && second.entryPrice == p("11") && second.quantity == 30)
        #expect(second.grossPnL == p("-60") && second.commissions == p("0.60") && second.netPnL == p("-60.60"))
        #expect(book.openLots("AAPL") == 0)
    }

    @Test("a fill past zero closes the trip with the shares held and opens the other side with the rest")
    func reversal() throws {
        var book = RoundTripBook()
        _ = book.book(fill(.buy, 10, at: "10", commission: "1", minute: 0))
        let long = try closing(&book, fill(.sell, 30, at: "12", commission: "3", minute: 2))
        #expect(long.side == .long && long.quantity == 10 && long.grossPnL == p("20"))
        #expect(long.commissions == p("2"))                        // 1 + 3 × 10/30
        #expect(book.openLots("AAPL") == 1)
        let short = try closing(&book, fill(.buy, 20, at: "11", commission: "2", minute: 7))
        #expect(short.side == .short && short.quantity == 20 && short.entryPrice == p("12") && short.exitPrice == p("11"))
        #expect(short.entryTime == t0.adding(minutes: 2) && short.durationMinutes == 5)
        #expect(short.grossPnL == p("20"))                         // sold 20 at 12, bought back at 11
        #expect(short.commissions == p("4"))                       // the 2 left of the reversing fill + 2
        #expect(short.netPnL == p("16"))
    }

    @Test("MAE and MFE from the bars seen while open, per share and as a fraction of the entry")
    func excursionsLong() throws {
        var book = RoundTripBook()
        _ = book.book(fill(.buy, 10, at: "100", minute: 0))
        book.see(ticker: "AAPL", high: p("101"), low: p("99.5"))   // the entry bar's range
        book.see(ticker: "AAPL", high: p("103"), low: p("98"))
        book.see(ticker: "AAPL", high: p("102"), low: p("100"))
        book.see(ticker: "MSFT", high: p("500"), low: p("1"))      // another ticker: no effect
        let trip = try closing(&book, fill(.sell, 10, at: "101.5", minute: 3))
        #expect(trip.favourableExcursion == p("3") && trip.adverseExcursion == p("-2"))
        #expect(abs(trip.favourableFraction - 0.03) < 1e-12 && abs(trip.adverseFraction + 0.02) < 1e-12)
    }

    @Test("see tells the newest lot's range after the bar: nil with no lot, widened, unchanged inside, the new lot's after a fill")
    func seeTellsRange() throws {
        var book = RoundTripBook()
        #expect(book.see(ticker: "AAPL", high: p("101"), low: p("99")) == nil)           // no lot yet
        _ = book.book(fill(.buy, 10, at: "100", minute: 0))                                // lot 100–100
        #expect(book.see(ticker: "AAPL", high: p("101"), low: p("99.5")).map { [$0.high, $0.low] } == [p("101"), p("99.5")])
        #expect(book.see(ticker: "AAPL", high: p("100.5"), low: p("99.75")).map { [$0.high, $0.low] } == [p("101"), p("99.5")])
        #expect(book.see(ticker: "AAPL", high: p("100"), low: p("98")).map { [$0.high, $0.low] } == [p("101"), p("98")])
        #expect(book.see(ticker: "MSFT", high: p("500"), low: p("1")) == nil)             // another ticker
        _ = book.book(fill(.buy, 10, at: "102", minute: 2))                                // a second lot: its own segment
        #expect(book.see(ticker: "AAPL", high: p("102.5"), low: p("101")).map { [$0.high, $0.low] } == [p("102.5"), p("101")])
        _ = try closing(&book, fill(.sell, 20, at: "103", minute: 3))                      // flat: no lot
        #expect(book.see(ticker: "AAPL", high: p("104"), low: p("102")) == nil)
    }

    @Test("a short's adverse move is up; the exit price counts when the bars never went as far")
    func excursionsShort() throws {
        var book = RoundTripBook()
        _ = book.book(fill(.sell, 10, at: "50", minute: 0))
        book.see(ticker: "AAPL", high: p("52"), low: p("49"))
        book.see(ticker: "AAPL", high: p("51"), low: p("45"))
        let trip = try closing(&book, fill(.buy, 10, at: "53", minute: 2))   // covered above every high
        #expect(trip.adverseExcursion == p("-3") && trip.favourableExcursion == p("5"))
        #expect(trip.grossPnL == p("-30"))
    }

    @Test("a later lot's trip sees only the bars since its own entry; the oldest lot's trip sees them all")
    func excursionWindows() throws {
        var book = RoundTripBook()
        _ = book.book(fill(.buy, 10, at: "100", minute: 0))
        book.see(ticker: "AAPL", high: p("105"), low: p("99"))
        _ = book.book(fill(.buy, 10, at: "102", minute: 2))
        book.see(ticker: "AAPL", high: p("103"), low: p("101"))
        let first = try closing(&book, fill(.sell, 10, at: "102", minute: 3))
        #expect(first.entryPrice == p("100") && first.favourableExcursion == p("5") && first.adverseExcursion == p("-1"))
        let second = try closing(&book, fill(.sell, 10, at: "101", minute: 4))
        #expect(second.entryPrice == p("102") && second.favourableExcursion == p("1") && second.adverseExcursion == p("-1"))
    }

    /// One step of a random stream: a ticker, a side, shares, a price in cents, a commission in cents.
    typealias Step = (ticker: Int, buy: Bool, quantity: Int, cents: Int, commissionCents: Int)
    static let steps = zip(Gen.int(in: 0...1), Gen.bool, Gen.int(in: 1...300), Gen.int(in: 1...20_000), Gen.int(in: 0...300))
        .map { Step($0, $1, $2, $3, $4) }
        .array(of: 1...60)

    @Test("on random streams crossing zero both ways, closed flat: Σ trip gross P&L = the ledger's realized P&L, Σ trip commissions = its commissions")
    func sumsMatchLedger() async throws {
        await propertyCheck(count: 300, input: Self.steps) { steps in
            var account = Account(id: 1, agent: "prop", initialBalance: Fixed(1_000_000))
            var book = RoundTripBook()
            var gross: Int128 = 0, commissions: Int128 = 0
            func apply(_ f: Fill) throws {
                try account.apply(f)
                if let trip = book.book(f) {
                    gross += trip.grossPnL.wide
                    commissions += trip.commissions.wide
                }
            }
            for (i, step) in steps.enumerated() {
                try apply(Fill(orderID: Int64(i), agent: "prop", ticker: ["AAA", "BBB"][step.ticker], side: step.buy ? .buy : .sell, orderType: .market,
                               time: Timestamp(seconds: Int64(i) * 60), quantity: Int64(step.quantity), price: Fixed(raw: Int64(step.cents) * 1_000_000),
                               referencePrice: Fixed(raw: Int64(step.cents) * 1_000_000), commission: Fixed(raw: Int64(step.commissionCents) * 1_000_000),
                               rule: .marketNextOpen))
            }
            for position in account.sortedPositions {
                try apply(Fill(orderID: 0, agent: "prop", ticker: position.ticker, side: position.quantity > 0 ? .sell : .buy, orderType: .market,
                               time: Timestamp(seconds: 1_000_000), quantity: Int64(position.quantity.magnitude), price: p("77.77"),
                               referencePrice: p("77.77"), commission: p("1"), rule: .marketNextOpen))
            }
            #expect(account.positions.isEmpty && book.openLots("AAA") == 0 && book.openLots("BBB") == 0)
            #expect(gross == account.realizedPnL.wide)
            #expect(commissions == account.commissions.wide)
        }
    }

    /// A step of a stream of fills and bars: a fill (as `Step`) or, when `bar`, a bar of the ticker whose high and
    /// low are `cents` and `cents − commissionCents`.
    typealias Event = (bar: Bool, step: Step)
    static let events = zip(Gen.bool, Gen.int(in: 0...2), Gen.bool, Gen.int(in: 1...300), Gen.int(in: 1...20_000), Gen.int(in: 0...300))
        .map { Event($0, Step($1, $2, $3, $4, $5)) }
        .array(of: 1...80)

    @Test("see answers and the trips are the same whether the ticker found last is kept or each bar looks its ticker up")
    func lastSeenKept() async throws {
        await propertyCheck(count: 300, input: Self.events) { events in
            var kept = RoundTripBook(), looked = RoundTripBook()
            for (i, event) in events.enumerated() {
                let step = event.step
                let ticker = ["AAA", "BBB", "CCC"][step.ticker]
                if event.bar {
                    let high = Fixed(raw: Int64(step.cents) * 1_000_000), low = Fixed(raw: Int64(max(1, step.cents - step.commissionCents)) * 1_000_000)
                    looked.forgetLastSeen()
                    let (a, b) = (kept.see(ticker: ticker, high: high, low: low), looked.see(ticker: ticker, high: high, low: low))
                    #expect(a?.high == b?.high && a?.low == b?.low)
                    continue
                }
                let fill = Fill(orderID: Int64(i), agent: "prop", ticker: ticker, side: step.buy ? .buy : .sell, orderType: .market,
                                time: Timestamp(seconds: Int64(i) * 60), quantity: Int64(step.quantity), price: Fixed(raw: Int64(step.cents) * 1_000_000),
                                referencePrice: Fixed(raw: Int64(step.cents) * 1_000_000), commission: Fixed(raw: Int64(step.commissionCents) * 1_000_000),
                                rule: .marketNextOpen)
                #expect(kept.book(fill) == looked.book(fill))
            }
        }
    }
}
