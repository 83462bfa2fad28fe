import TapebenchCore

/// A minute bar from text prices, starting `minute` minutes after 2024-03-11 13:30 UTC (09:30 EDT).
func bar(_ o: String, _ h: String, _ l: String, _ c: String, minute: Int64 = 0, volume: Double = 1_000, ticker: String = "AAPL") -> Bar {
    Bar(ticker: ticker, start: Timestamp(seconds: 1_710_163_800).adding(minutes: minute),
        open: p(o), high: p(h), low: p(l), close: p(c), volume: volume)
}

func p(_ text: String) -> Price { Fixed(parsing: text)! }

func order(_ side: OrderSide, _ type: OrderType, quantity: Int64 = 10, limit: String? = nil, stop: String? = nil) -> Order {
    Order(id: 1, agent: "test", ticker: "AAPL", side: side, type: type, quantity: quantity,
          limitPrice: limit.map(p), stopPrice: stop.map(p), submittedAt: Timestamp(seconds: 1_710_163_800), purpose: "test")
}
