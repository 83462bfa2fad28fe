import Testing
import TapebenchCore
@testable import TapebenchLedger

/// The round-trip book reuses the lot lists of closed positions (no array per round trip), and the trips
/// it tells are those of a book that made new lists.
@Suite struct RoundTripBookStorageTests {
    @Test("a long closed, then a short opened in the same ticker and in another: both take the closed list's storage in turn")
    func closedListReused() throws {
        var book = RoundTripBook()
        _ = book.book(fill(.buy, 10, at: "100", minute: 0))
        _ = book.book(fill(.buy, 5, at: "101", minute: 1))                 // two lots, one list
        let first = try #require(book.lotStorage("AAPL"))
        let trip = try closing(&book, fill(.sell, 15, at: "102", minute: 2))  // flat: the list is kept aside
        #expect(trip.quantity == 15 && trip.grossPnL == p("25"))           // 15 × 102 − (1000 + 505)
        #expect(book.lotStorage("AAPL") == nil && book.openLots("AAPL") == 0)
        _ = book.book(fill(.sell, 3, at: "103", minute: 3))                // a short opens: it takes the list
        #expect(book.lotStorage("AAPL") == first && book.openLots("AAPL") == 1)
        let cover = try closing(&book, fill(.buy, 3, at: "100", minute: 4))
        #expect(cover.side == .short && cover.grossPnL == p("9"))          // sold 3 at 103, bought back at 100
        _ = book.book(fill(.buy, 7, "MSFT", at: "50", minute: 5))          // another ticker takes it next
        #expect(book.lotStorage("MSFT") == first && book.openLots("MSFT") == 1)
    }

    @Test("a reversal closes the long and opens the short on the same list")
    func reversalReusesList() throws {
        var book = RoundTripBook()
        _ = book.book(fill(.buy, 10, at: "10", commission: "1", minute: 0))
        let list = try #require(book.lotStorage("AAPL"))
        let long = try closing(&book, fill(.sell, 30, at: "12", commission: "3", minute: 2))
        #expect(long.quantity == 10 && long.grossPnL == p("20") && long.commissions == p("2"))
        #expect(book.lotStorage("AAPL") == list && book.openLots("AAPL") == 1)
    }
}
