import Foundation
import Testing
@testable import TapebenchEngine

@Suite struct TapeCSVTrimTests {
    @Test("a field is trimmed exactly as Foundation trims white space, the fast path included", arguments: [
        "", " ", "\t", "AAPL", " AAPL", "AAPL ", "\tbuy\t", "a b", "  a b  ", "\u{00A0}100\u{00A0}", "100\u{3000}", "\u{2003}x",
        "é", " é ", "日本", "x\u{00A0}y", "\n1\n", "1\r",
    ])
    func sameAsFoundation(_ text: String) {
        #expect(TapeCSV.trimmed(text) == text.trimmingCharacters(in: .whitespaces))
    }
}
