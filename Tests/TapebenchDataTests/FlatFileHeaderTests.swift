import Testing
@testable import TapebenchData

/// The flat-file header check trims and matches fields in place now (asked once per file of a dataset); it
/// must say what the set of trimmed names said.
@Suite struct FlatFileHeaderTests {
    /// The check before: the set of trimmed fields holds every required name.
    static func setCheck(_ header: String) -> Bool {
        let names = Set(header.split(separator: ",").map { field -> String in
            var s = field[...]
            while let f = s.first, f.isWhitespace { s.removeFirst() }
            while let l = s.last, l.isWhitespace { s.removeLast() }
            return String(s)
        })
        return PolygonFlatFileReader.requiredColumns.allSatisfy(names.contains)
    }

    static let headers = [
        "ticker,volume,open,close,high,low,window_start,transactions", "ticker,volume,open,close,high,low,window_start",
        "window_start,low,high,close,open,volume,ticker", " ticker , volume,open ,close,\thigh,low\u{00A0},window_start\r",
        "ticker,volume,open,close,high,low", "Ticker,volume,open,close,high,low,window_start", "ticker,ticker,volume,open,close,high,low",
        "ticker,,volume,,open,close,high,low,window_start,", "", ",,,", "ticker;volume;open;close;high;low;window_start",
        "ticker,volume,open,close,high,low,window_start,window_start", "tick er,volume,open,close,high,low,window_start",
        "ticker,volume,open,close,high,low,windo\u{0301}w_start", "ticker,volume,open,close,high,lo\u{0077},window_start",
    ]

    @Test("every header of the corpus is judged as the set of trimmed names judged it")
    func sameAsSet() {
        for header in Self.headers { #expect(PolygonFlatFileReader.isFlatFileHeader(header) == Self.setCheck(header), "\(header)") }
    }

    @Test("hand-checked: any order and padded fields pass; a missing window_start or a capital T does not")
    func handChecked() {
        #expect(PolygonFlatFileReader.isFlatFileHeader("window_start,low,high,close,open,volume,ticker"))
        #expect(PolygonFlatFileReader.isFlatFileHeader(" ticker , volume,open ,close,\thigh,low,window_start\r"))
        #expect(!PolygonFlatFileReader.isFlatFileHeader("ticker,volume,open,close,high,low"))
        #expect(!PolygonFlatFileReader.isFlatFileHeader("Ticker,volume,open,close,high,low,window_start"))
    }
}
