import Testing
import TapebenchCore

/// `CivilDate(iso:)` reads bytes now (it dates every file of a dataset); it must accept and refuse exactly
/// what the split-and-`Int` reading did.
@Suite struct CivilDateParsingTests {
    /// The reading before: split on `-`, lengths 4, 2, 2 in characters, each field as `Int` reads it.
    static func splitReading(_ text: String) -> CivilDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= CivilDate.daysIn(month: m, year: y)
        else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    static let texts: [String] = [
        "2024-03-11", "2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29", "0000-01-01", "9999-12-31", "2024-13-01", "2024-00-10",
        "2024-01-00", "2024-01-32", "2024-04-31", "+202-03-05", "2024-+3-05", "2024-03-+5", "2024-+-05", "++24-03-05", "2024--3-05",
        "-024-03-05", "2024-3-05", "2024-03-5", "24-03-05", "20240-03-05", "2024-03-05-", "-2024-03-05", "2024-03", "2024", "",
        "2024-03-05 ", " 2024-03-05", "2024/03/05", "2024-03-0a", "2０24-03-05", "2024-03-05\n", "é024-03-05", "2024-03-0\u{301}",
        "2024-1\u{301}-05", "----", "--", "2024-03-05.csv",
    ]

    @Test("every accepted and refused text of the corpus reads as the split reading read it")
    func sameAsSplit() {
        for text in Self.texts { #expect(CivilDate(iso: text) == Self.splitReading(text), "\(text)") }
    }

    @Test("every date of 1999 to 2001, written, reads back; and every two-byte change of one reads as the split reading")
    func roundTrip() {
        let alphabet = Array("0123456789+-a ".utf8)
        for day in CivilDate(year: 1999, month: 1, day: 1).daysSinceEpoch...CivilDate(year: 2001, month: 12, day: 31).daysSinceEpoch {
            let date = CivilDate(daysSinceEpoch: day)
            #expect(CivilDate(iso: date.description) == date)
        }
        let bytes = Array("2024-02-29".utf8)
        var checked = 0
        for position in bytes.indices {
            for replacement in alphabet {
                var changed = bytes
                changed[position] = replacement
                let text = String(decoding: changed, as: UTF8.self)
                #expect(CivilDate(iso: text) == Self.splitReading(text), "\(text)")
                checked += 1
            }
        }
        #expect(checked == 140)
    }

    @Test("hand-checked: 2024-02-29 is a leap day, 2023-02-29 is not, +202-03-05 is the year 202")
    func handChecked() {
        #expect(CivilDate(iso: "2024-02-29") == CivilDate(year: 2024, month: 2, day: 29))
        #expect(CivilDate(iso: "2023-02-29") == nil)
        #expect(CivilDate(iso: "+202-03-05") == CivilDate(year: 202, month: 3, day: 5))
        #expect(CivilDate(iso: Substring("x2024-03-05").dropFirst()) == CivilDate(year: 2024, month: 3, day: 5))
    }
}
