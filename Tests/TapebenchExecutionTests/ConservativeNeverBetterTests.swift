import Testing
import TapebenchCore
@testable import TapebenchExecution

/// `conservative` is meant as the pessimistic bound: for the same order on the same bar it never fills at a
/// better price than `seed`, and never charges less.
@Suite struct ConservativeNeverBetterTests {
    let context = RiskContext(cash: Fixed(1_000_000_000), equity: Fixed(1_000_000_000), positionQuantity: 0, openPositions: 0)
    let risk = RiskLimits(maxPositionBasisPoints: 10_000, maxOpenPositions: 10_000, minCashReserveBasisPoints: 0)

    func fill(_ spec: FillModelSpec, _ o: Order, _ b: Bar) -> Fill? {
        guard case .filled(let f) = VirtualExecutor(model: ConfigurableFillModel(spec), risk: risk).execute(o, on: b, context: context) else { return nil }
        return f
    }

    @Test("a small order in a deep bar: square-root impact is under 1 bp, so conservative pays seed's 1 bp")
    func smallOrder() throws {
        // σ = 0.70 / 170 and √(10 / 1 000 000): 170 × σ × 0.0031623 = 0.0022136, under 1 bp = 0.017.
        let b = bar("170.00", "170.50", "169.80", "170.20", volume: 1_000_000)
        let seed = try #require(fill(.seed, order(.buy, .market, quantity: 10), b))
        let conservative = try #require(fill(.conservative, order(.buy, .market, quantity: 10), b))
        #expect(seed.price == p("170.017"))
        #expect(conservative.price == p("170.017"))
        // $0.005 × 10 → the $1 minimum, under the 1 % cap of $17.
        #expect(conservative.commission == p("1"))
    }

    @Test("a small notional: the 1 % cap would charge $0.10, under seed's $0.50")
    func smallNotional() throws {
        let b = bar("10.00", "10.05", "9.95", "10.01", volume: 1_000)
        let conservative = try #require(fill(.conservative, order(.buy, .market, quantity: 1), b))
        #expect(conservative.commission == p("0.50"))
    }

    @Test("a stop-limit triggered inside the bar pays its limit, as seed does, not the stop")
    func stopLimit() throws {
        let b = bar("99.00", "101.00", "98.90", "100.80", volume: 100_000)
        let seed = try #require(fill(.seed, order(.buy, .stopLimit, quantity: 10, limit: "100.50", stop: "100.00"), b))
        let conservative = try #require(fill(.conservative, order(.buy, .stopLimit, quantity: 10, limit: "100.50", stop: "100.00"), b))
        #expect(seed.price == p("100.50"))
        #expect(conservative.price == p("100.50"))
    }

    @Test("property: over random orders and bars, whenever both fill, conservative's price is never better and its commission never lower")
    func property() {
        var random = Xoshiro256(seed: 12, key: "conservative-vs-seed")
        func unit() -> Double { random.nextUnit() }
        func cents(_ x: Double) -> Price { Fixed(raw: Int64((x * 100).rounded()) * 1_000_000) }
        var compared = 0
        var worse: [String] = []
        for _ in 0..<20_000 {
            let open = 5 + unit() * 300
            let close = open * (1 + (unit() - 0.5) * 0.02)
            let high = max(open, close) * (1 + unit() * 0.01), low = min(open, close) * (1 - unit() * 0.01)
            let b = Bar(ticker: "AAPL", start: Timestamp(seconds: 1_710_163_800), open: cents(open), high: cents(high), low: cents(low),
                        close: cents(close), volume: (unit() < 0.1 ? 0 : 1) * (1 + unit() * 2_000_000))
            let side: OrderSide = unit() < 0.5 ? .buy : .sell
            let type = OrderType.allCases[Int(unit() * 4)]
            let near = { cents(open * (1 + (unit() - 0.5) * 0.03)) }
            var o = Order(id: 1, agent: "p", ticker: "AAPL", side: side, type: type, quantity: 1 + Int64(unit() * 5_000),
                          limitPrice: type == .limit || type == .stopLimit ? near() : nil, stopPrice: type == .stop || type == .stopLimit ? near() : nil,
                          submittedAt: b.start, purpose: "p")
            o.stopTriggered = type == .stopLimit && unit() < 0.3
            guard let s = fill(.seed, o, b), let c = fill(.conservative, o, b) else { continue }
            compared += 1
            let better = side == .buy ? c.price < s.price : c.price > s.price
            if better || c.commission < s.commission {
                worse.append("\(side) \(type) q \(o.quantity) limit \(o.limitPrice.map { "\($0)" } ?? "-") stop \(o.stopPrice.map { "\($0)" } ?? "-") "
                    + "on \(b.open)/\(b.high)/\(b.low)/\(b.close) v \(b.volume): seed \(s.price) + \(s.commission), conservative \(c.price) + \(c.commission)")
            }
        }
        #expect(compared > 5_000)
        #expect(worse.count == 0, "\(worse.count) fills better under conservative:\n\(worse.prefix(10).joined(separator: "\n"))")
    }
}
