import Testing
import TapebenchCore

/// ByteText writes numbers and times byte for byte as their canonical `String` forms (the files it writes
/// are compared with baselines made from those).
@Suite struct ByteTextTests {
    private func text(_ write: (inout ByteText) -> Void) -> String { ByteText.string(write) }

    @Test("hand-checked numbers: whole numbers, padded digits, money with trimmed zeros")
    func handChecked() {
        #expect(text { $0.append(integer: 0) } == "0")
        #expect(text { $0.append(integer: -7) } == "-7")
        #expect(text { $0.append(integer: Int64.min) } == "-9223372036854775808")
        #expect(text { $0.append(integer: Int64.max) } == "9223372036854775807")
        #expect(text { $0.append(digitsOf: 42, width: 5) } == "00042")
        #expect(text { $0.append(digitsOf: 123_456, width: 2) } == "123456")
        #expect(text { $0.append(digitsOf: 0, width: 0) } == "0")
        #expect(text { $0.append(digitsOf: UInt64.max, width: 1) } == "18446744073709551615")
        // Wider than the scratch: zeros first, then the padded digits (30 in all).
        #expect(text { $0.append(digitsOf: 9, width: 30) } == String(repeating: "0", count: 29) + "9")
        #expect(text { $0.append(fixed: Fixed(raw: 150_000_000)) } == "1.50")
        #expect(text { $0.append(fixed: Fixed(raw: -1)) } == "-0.00000001")
        #expect(text { $0.append(fixed: Fixed(raw: 12_345_600_000)) } == "123.456")
        #expect(text { $0.append(fixed: Fixed(raw: 700_000_000), minimumFractionDigits: 0) } == "7")
        #expect(text { $0.append(fixed: Fixed(raw: Int64.min)) } == "-92233720368.54775808")
    }

    @Test("hand-checked dates and times: padding, a leap day, fractions trimmed, before 1970")
    func handCheckedTimes() {
        #expect(text { $0.append(date: CivilDate(year: 2024, month: 2, day: 29)) } == "2024-02-29")
        #expect(text { $0.append(date: CivilDate(year: 987, month: 1, day: 5)) } == "0987-01-05")
        // 2024-03-11 13:30:00 UTC is 1,710,163,800 s after the epoch.
        #expect(text { $0.append(iso8601: Timestamp(seconds: 1_710_163_800)) } == "2024-03-11T13:30:00Z")
        #expect(text { $0.append(iso8601: Timestamp(nanoseconds: 1_710_163_800_500_000_000)) } == "2024-03-11T13:30:00.5Z")
        #expect(text { $0.append(iso8601: Timestamp(nanoseconds: 1)) } == "1970-01-01T00:00:00.000000001Z")
        // One nanosecond before the epoch: the day before, the last second, 999999999 ns.
        #expect(text { $0.append(iso8601: Timestamp(nanoseconds: -1)) } == "1969-12-31T23:59:59.999999999Z")
    }

    @Test("50,000 seeded values written as String(n), Fixed.formatted, Timestamp.iso8601 and CivilDate.description write them, several to one buffer")
    func seeded() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<50_000 {
            let raw = Int64(bitPattern: random.next()) >> Int64(random.next() % 60)
            let minimum = Int(random.next() % 9)
            // Half whole seconds, half with a fraction of a second.
            let nanoseconds = Int64(bitPattern: random.next()) >> 2
            let time = Timestamp(nanoseconds: random.next() % 2 == 0 ? nanoseconds / 1_000_000_000 * 1_000_000_000 : nanoseconds)
            let date = CivilDate(daysSinceEpoch: Int64(random.next() % 200_000) - 100_000)
            let written = text {
                $0.append(integer: raw)
                $0.append(byte: UInt8(ascii: ","))
                $0.append(fixed: Fixed(raw: raw), minimumFractionDigits: minimum)
                $0.append(byte: UInt8(ascii: ","))
                $0.append(iso8601: time)
                $0.append(byte: UInt8(ascii: ","))
                $0.append(date: date)
            }
            let expected = "\(raw),\(Fixed(raw: raw).formatted(minimumFractionDigits: minimum)),\(time.iso8601),\(date.description)"
            #expect(written == expected)
            if written != expected { return }
        }
    }
}
