import TapebenchCore

func p(_ text: String) -> Price { Fixed(parsing: text)! }

func fill(_ side: OrderSide, _ quantity: Int64, _ ticker: String = "AAPL", at price: String, reference: String? = nil,
          commission: String = "0.50", minute: Int64 = 0) -> Fill {
    Fill(orderID: 1, agent: "test", ticker: ticker, side: side, orderType: .market,
         time: Timestamp(seconds: 1_710_163_860).adding(minutes: minute), quantity: quantity, price: p(price),
         referencePrice: p(reference ?? price), commission: p(commission), rule: .marketNextOpen)
}
