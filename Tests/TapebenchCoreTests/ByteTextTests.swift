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

    /// Whole numbers of every length (each power of ten, one below it, one above), both signs.
    private static var everyLength: [Int64] {
        var values: [Int64] = [0, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        var power: Int64 = 1
        for _ in 0...18 {
            values += [power, power - 1, power + 1, -power, -(power - 1), -(power + 1)]
            if power <= Int64.max / 10 { power *= 10 }
        }
        return values
    }

    @Test("numbers two digits at a time: every length, every width, as String(n) writes them")
    func everyDigitCount() {
        for value in Self.everyLength {
            #expect(text { $0.append(integer: value) } == String(value))
            for width in 0...24 {
                let plain = String(value.magnitude)
                let padded = String(repeating: "0", count: max(0, width - plain.count)) + plain
                #expect(text { $0.append(digitsOf: value.magnitude, width: width) } == padded)
            }
        }
        #expect(text { $0.append(digitsOf: UInt64.max, width: 21) } == "018446744073709551615")
    }

    @Test("money with 0 to 8 fraction digits (trailing zeros at every place), every minimum, both signs, as Fixed.formatted writes it")
    func everyFractionDigitCount() {
        var random = SplitMix64(seed: 7)
        var raws: [Int64] = [0, 1, -1, Int64.max, Int64.min, 100_000_000, -100_000_000, 99_999_999, -99_999_999]
        for _ in 0..<2_000 {
            let whole = Int64(bitPattern: random.next() >> UInt64(random.next() % 64 + 1)) % 92_233_720_367
            // A fraction of exactly `digits` digits: its last one is not zero.
            for digits in 0...8 {
                var fraction: Int64 = 0
                if digits > 0 {
                    fraction = Int64(random.next() % 100_000_000)
                    var step: Int64 = 1
                    for _ in 0..<(8 - digits) { step *= 10 }
                    fraction = fraction / step / 10 * 10 + 1 + Int64(random.next() % 9)
                    fraction *= step
                    fraction %= 100_000_000
                }
                let raw = whole * 100_000_000 + fraction
                raws += [raw, -raw]
            }
        }
        for raw in raws {
            for minimum in -1...10 {
                let written = text { $0.append(fixed: Fixed(raw: raw), minimumFractionDigits: minimum) }
                let expected = Fixed(raw: raw).formatted(minimumFractionDigits: minimum)
                #expect(written == expected, "raw \(raw), minimum \(minimum)")
                if written != expected { return }
            }
        }
    }

    @Test("dates of years below 1000 and past 9999, and every second of a day's edges, as CivilDate.description and Timestamp.iso8601 write them")
    func dateAndTimeEdges() {
        for year in [0, 1, 9, 10, 99, 100, 999, 1000, 1969, 1970, 9999, 10_000, 123_456] {
            for (month, day) in [(1, 1), (2, 29), (9, 9), (10, 10), (12, 31)] {
                let date = CivilDate(year: year, month: month, day: day)
                #expect(text { $0.append(date: date) } == date.description)
            }
        }
        for day: Int64 in [-106_000, -719, -1, 0, 1, 19_793, 106_000] {
            for second: Int64 in [0, 1, 9, 10, 59, 60, 599, 600, 3_599, 3_600, 35_999, 36_000, 86_399] {
                for nanoseconds: Int64 in [0, 1, 10, 999_999_999, 500_000_000] {
                    let time = Timestamp(nanoseconds: (day * 86_400 + second) * 1_000_000_000 + nanoseconds)
                    #expect(text { $0.append(iso8601: time) } == time.iso8601)
                }
            }
        }
    }

    @Test("times written with a kept day text (same day, next day, back a day, before 1970, fractions) as Timestamp.iso8601 writes them")
    func keptDayText() {
        var random = SplitMix64(seed: 5)
        var day = DayText()
        var buffer = ByteText()
        var nanoseconds: Int64 = -3 * 86_400 * 1_000_000_000
        for _ in 0..<20_000 {
            // Mostly a minute on, sometimes a day or more either way, sometimes a fraction of a second.
            switch random.next() % 10 {
            case 0: nanoseconds += Int64(random.next() % 5) * 86_400_000_000_000
            case 1: nanoseconds -= Int64(random.next() % 3) * 86_400_000_000_000
            case 2: nanoseconds += Int64(random.next() % 1_000_000_000)
            default: nanoseconds += 60_000_000_000
            }
            let time = Timestamp(nanoseconds: nanoseconds)
            buffer.removeAll()
            buffer.append(iso8601: time, day: &day)
            let written = String(decoding: buffer.bytes, as: UTF8.self)
            #expect(written == time.iso8601)
            if written != time.iso8601 { return }
        }
    }
}
