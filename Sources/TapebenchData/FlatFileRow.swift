import TapebenchCore

/// The fast path of `PolygonFlatFileReader`: a row in Polygon's own column order
/// (`ticker,volume,open,close,high,low,window_start[,transactions]`) parsed in one pass over the line, in
/// place, with no field list. It accepts only the common forms — unsigned integers, unsigned decimals with
/// at most 8 fraction digits, all within Tapebench's limits — and returns nil for anything else, so that the
/// general path reads that row again and reports what is wrong in its own words.
struct FlatFileRow {
    var start: Int64
    var open: Int64, high: Int64, low: Int64, close: Int64
    var volume: Double
    /// nil when the column is missing or empty.
    var trades: Int64?

    /// Parses the fields after the ticker: `line[from...]`, the byte after the ticker's comma.
    @inline(__always)
    static func parse(_ line: UnsafeBufferPointer<UInt8>, from: Int, hasTransactions: Bool) -> FlatFileRow? {
        var shape = PriceShape.none
        return parse(line, from: from, hasTransactions: hasTransactions, shape: &shape)
    }

    /// `parse` with the shape of the last price read (`PriceShape`), kept from row to row by the caller: a row's
    /// four prices, and the rows after it, are mostly written with the same digits before and after the dot.
    @inline(__always)
    static func parse(_ line: UnsafeBufferPointer<UInt8>, from: Int, hasTransactions: Bool, shape: inout PriceShape) -> FlatFileRow? {
        guard let p = line.baseAddress else { return nil }
        let n = line.count
        var i = from
        guard let volume = integer(p, &i, n), comma(p, &i, n),
              let open = price(p, &i, n, shape: &shape),
              let close = price(p, &i, n, shape: &shape),
              let high = price(p, &i, n, shape: &shape),
              let low = price(p, &i, n, shape: &shape),
              let start = time(p, &i, n) else { return nil }
        // `Limits.timeProblem`'s bounds, compared here: that call (outlined, with its message) cost a call a row.
        guard Double(volume) <= Double(Limits.maxShares),
              start >= Limits.earliestTime.nanoseconds, start <= Limits.latestTime.nanoseconds else { return nil }
        var trades: Int64?
        if hasTransactions {
            guard comma(p, &i, n) else { return nil }
            if i < n {
                guard let count = integer(p, &i, n) else { return nil }
                trades = count
            }
        }
        guard i == n else { return nil }  // more fields than the header: the general path says so
        return FlatFileRow(start: start, open: open, high: high, low: low, close: close, volume: Double(volume), trades: trades)
    }

    /// Steps over a comma at `i`.
    @inline(__always)
    static func comma(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) -> Bool {
        guard i < n, p[i] == UInt8(ascii: ",") else { return false }
        i += 1
        return true
    }

    /// A price and the comma after it, as `price` and `comma` read them: by `shape` when the price has its
    /// shape (the usual), else by `price`, whose shape is then kept for the next price when it has one.
    @inline(__always)
    static func price(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, shape: inout PriceShape) -> Int64? {
        if n &- i >= 8, let value = shape.value(p + i) {
            i &+= shape.length
            return value
        }
        return priceChangingShape(p, &i, n, shape: &shape)
    }

    /// `price(_:_:_:shape:)` for a price of another shape than the last: read as `price` reads it, and its
    /// shape taken for the prices after it. Out of line: the four prices of a row stay small in `parse`.
    @inline(never)
    static func priceChangingShape(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, shape: inout PriceShape) -> Int64? {
        let start = i
        guard let value = price(p, &i, n), comma(p, &i, n) else { return nil }
        if let made = PriceShape(p + start, length: i &- start) { shape = made }
        return value
    }

    /// A `window_start` and what ends it, as `integer` reads it: a minute's time (19 digits, the last ten
    /// zeros, which every whole minute's nanoseconds have) checked and read from three words; any other by
    /// `integer`.
    @inline(__always)
    static func time(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) -> Int64? {
        let left = n &- i
        if left >= 19, left == 19 || p[i &+ 19] &- 48 >= 10,
           UnsafeRawPointer(p + (i &+ 11)).loadUnaligned(as: UInt64.self) == 0x3030_3030_3030_3030 {
            let middle = UInt64(littleEndian: UnsafeRawPointer(p + (i &+ 8)).loadUnaligned(as: UInt64.self))
            let ninth = (middle & 0xFF) &- 48
            if middle >> 8 == 0x0030_3030_3030_3030, ninth < 10, let first = eightDigits(p + i) {
                // first < 10^8: (first × 10 + ninth) × 10^10 < 10^19 < 2^64, no wrap.
                let value = (first &* 10 &+ ninth) &* 10_000_000_000
                if value <= UInt64(Int64.max) {
                    i &+= 19
                    return Int64(value)
                }
            }
        }
        return integer(p, &i, n)
    }

    /// 1 to 19 decimal digits up to the next comma or the end, within Int64 (no sign: the general path
    /// reads those). 19 digits, as nanosecond times have, always fit a UInt64.
    /// Read by words in line: a short integer with a word readable (a volume) from that word, a `window_start`
    /// (exactly 19 digits) from three overlapping words (`nineteenDigits`), the last field of a line when
    /// shorter than a word (a trade count) from the line's last word (`trailingDigits`); any other by
    /// `integerByDigits`.
    @inline(__always)
    static func integer(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) -> Int64? {
        // Fewer than eight digits (a volume, a trade count) with eight bytes readable: one word.
        if n &- i >= 8 {
            let (value, count) = leadingDigits(p + i)
            if count < 8 {
                guard count > 0 else { return nil }
                i &+= count
                return Int64(value)
            }
            if n &- i >= 19, let value = nineteenDigits(p + i, first: value, endsLine: n &- i == 19) {
                i &+= 19
                return value
            }
        } else if n >= 8, i < n, let value = trailingDigits(p + (n &- 8), count: n &- i) {
            i = n
            return Int64(value)
        }
        return integerByDigits(p, &i, n)
    }

    /// `integer` for the integers its word reads leave: eight digits at a time while eight are left, then
    /// digit by digit. Out of line, as `priceBeyondWord`.
    @inline(never)
    static func integerByDigits(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) -> Int64? {
        let first = i
        var value: UInt64 = 0
        while n - i >= 8, let eight = eightDigits(p + i) {
            value = value &* 100_000_000 &+ eight
            i += 8
        }
        while i < n {
            let digit = p[i] &- 48
            guard digit < 10 else { break }
            value = value &* 10 &+ UInt64(digit)
            i += 1
        }
        let count = i - first
        return count > 0 && count <= 19 && value <= UInt64(Int64.max) ? Int64(value) : nil
    }

    /// The value of exactly 19 digits at `p` (a nanosecond time), whose first eight (digits all) are worth
    /// `first`: the words at 8 and 11 give the rest (the last three digits of the word at 11); nil unless all
    /// 19 are digits, within Int64, and the byte after them (unless `endsLine`) is not a digit (20 or more
    /// digits are refused, by the digit-by-digit reading).
    @inline(__always)
    static func nineteenDigits(_ p: UnsafePointer<UInt8>, first: UInt64, endsLine: Bool) -> Int64? {
        guard endsLine || p[19] &- 48 >= 10, let middle = eightDigits(p + 8), let last = eightDigits(p + 11) else { return nil }
        // first < 10^8, so first × 10^11 + the rest < 10^19 < 2^64: no wrap.
        let value = first &* 100_000_000_000 &+ middle &* 1_000 &+ last % 1_000
        return value <= UInt64(Int64.max) ? Int64(value) : nil
    }

    /// The value of the last `count` bytes (1…7) of the word at `p` when all of them are digits (a line's last
    /// field, the word ending at the line's end); nil otherwise. Those digits are the word's top bytes already:
    /// the bytes below them are cleared and the word combined as `leadingDigits` does.
    @inline(__always)
    static func trailingDigits(_ p: UnsafePointer<UInt8>, count: Int) -> UInt64? {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let low = word & 0x0F0F_0F0F_0F0F_0F0F
        let notDigit = ((word & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030) | ((low &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0)
        let field: UInt64 = ~0 &<< UInt64(64 &- 8 &* count)  // the top `count` bytes (count 1…7: a shift of 8…56)
        guard notDigit & field == 0 else { return nil }
        return combined(low & field)
    }

    /// The value of the eight ASCII digits at `p`, nil when any of the eight bytes is not a digit. Read as one
    /// little-endian word, the first digit in the low byte; the digits are combined pairwise (×10, ×100,
    /// ×10,000) by three multiplies.
    @inline(__always)
    static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        // Every byte 0x30…0x39: high nibble 3, and adding 6 leaves it 3 (0x3A…0x3F would carry into it).
        guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 else { return nil }
        return combined(word & 0x0F0F_0F0F_0F0F_0F0F)
    }

    /// The number whose eight decimal digits are the bytes of `digits` (each 0…9, the first digit in the lowest
    /// byte): pairs, then fours, then the eight combined by three multiplies.
    @inline(__always)
    static func combined(_ digits: UInt64) -> UInt64 {
        var v = (digits &* (10 << 8 + 1)) >> 8 & 0x00FF_00FF_00FF_00FF
        v = (v &* (100 << 16 + 1)) >> 16 & 0x0000_FFFF_0000_FFFF
        return (v &* (10_000 << 32 + 1)) >> 32
    }

    /// `digits[.digits]` as `Fixed`'s raw value, as `Fixed.parse` reads it: at most 8 fraction digits and 18
    /// digits in all, within `Limits.maxPrice`; nil for anything else.
    /// A price whose dot and end both fall in its first word (`185.06,`, the usual) is read from that one word,
    /// in line; any other by `priceBeyondWord`, a call (kept out of line so that the four prices of a row
    /// stay inlined in `parse`: with the longer paths in line, the compiler called `price` four times a row).
    @inline(__always)
    static func price(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) -> Int64? {
        if n &- i >= 8, let (value, length) = priceInWord(p + i) {
            i &+= length
            return value
        }
        return priceBeyondWord(p, &i, n)
    }

    /// `price` for the prices `priceInWord` leaves: fewer than 8 whole and 8 fraction digits, 8 bytes readable
    /// after each part's start, as two words (`leadingDigits`); any other digit by digit (`priceByDigits`),
    /// which gives the same answers.
    @inline(never)
    static func priceBeyondWord(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) -> Int64? {
        // Wrapping arithmetic on positions: they are within the line (n ≥ i), far from overflow.
        if n &- i >= 8 {
            let (whole, wholeCount) = leadingDigits(p + i)
            let dot = i &+ wholeCount
            if wholeCount < 8 {
                guard p[dot] == UInt8(ascii: ".") else {
                    guard wholeCount > 0 else { return nil }
                    i = dot
                    return Int64(whole) &* 100_000_000  // < 10^15: within the limit
                }
                if n &- dot > 8 {
                    let (fraction, fractionCount) = leadingDigits(p + (dot &+ 1))
                    if fractionCount < 8 {
                        i = dot &+ 1 &+ fractionCount
                        guard wholeCount | fractionCount != 0 else { return nil }
                        // Whole < 10^7 and fraction < 10^7: at most 10^15, within the limit.
                        return Int64(whole) &* 100_000_000 &+ Int64(fraction) &* scale(fractionCount)
                    }
                }
            }
        }
        return priceByDigits(p, &i, n)
    }

    /// The price at the start of the eight bytes at `p` and its length in bytes, when its digits, dot and the
    /// byte after them all fall in the word: `whole.fraction` (at least one digit of either, at most 6 in all)
    /// or whole digits alone (1…7); nil for any other shape (`price` reads those by two words or by digits).
    /// The fraction's digits are moved down a byte over the dot, the digits to the word's top, and combined
    /// as `leadingDigits` does.
    @inline(__always)
    static func priceInWord(_ p: UnsafePointer<UInt8>) -> (value: Int64, length: Int)? {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let low = word & 0x0F0F_0F0F_0F0F_0F0F
        let notDigit = ((word & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030) | ((low &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0)
        let whole = notDigit.trailingZeroBitCount >> 3  // 8: no byte but digits
        guard whole < 8 else { return nil }
        let wholeBits = UInt64(8 &* whole)  // 0…56
        guard p[whole] == UInt8(ascii: ".") else {
            guard whole > 0 else { return nil }
            // Whole digits alone, fewer than 8: < 10^7, × 10^8 within the limit.
            return (Int64(combined(low &<< (64 &- wholeBits))) &* 100_000_000, whole)
        }
        guard whole < 7 else { return nil }
        let fraction = (notDigit &>> (wholeBits &+ 8)).trailingZeroBitCount >> 3  // the digits after the dot
        let digits = whole &+ fraction
        guard digits < 7 else { return nil }  // the end not in the word (or 7 digits: the two-word path's)
        guard digits > 0 else { return nil }  // a dot alone
        let below: UInt64 = (1 &<< wholeBits) &- 1  // the whole digits' bytes
        let packed = (low & below) | ((low &>> 8) & ~below)
        let value = combined(packed &<< (64 &- UInt64(8 &* digits)))  // < 10^6, × 10^8 within the limit
        return (Int64(value) &* scale(fraction), digits &+ 1)
    }

    /// `price` digit by digit: any number of digits, up to the end of the line.
    static func priceByDigits(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int) -> Int64? {
        let first = i
        var value: Int64 = 0
        var fraction = -1
        while i < n {
            let c = p[i]
            if c &- 48 < 10 {
                value = value &* 10 &+ Int64(c &- 48)
                if fraction >= 0 { fraction += 1 }
            } else if c == UInt8(ascii: "."), fraction < 0 {
                fraction = 0
            } else {
                break
            }
            i += 1
        }
        let digits = i - first - (fraction >= 0 ? 1 : 0)
        guard digits > 0, digits <= 18, fraction <= 8 else { return nil }
        // A value this large times the scale would pass the price limit, which is checked after.
        let (raw, overflow) = value.multipliedReportingOverflow(by: scale(max(fraction, 0)))
        guard !overflow, raw <= Limits.maxPrice.raw else { return nil }
        return raw
    }

    /// 10^(8 − `fractionDigits`), for 0…8 fraction digits (a switch: constants, no array to look up).
    @inline(__always)
    static func scale(_ fractionDigits: Int) -> Int64 {
        switch fractionDigits {
        case 0: 100_000_000
        case 1: 10_000_000
        case 2: 1_000_000
        case 3: 100_000
        case 4: 10_000
        case 5: 1_000
        case 6: 100
        case 7: 10
        default: 1
        }
    }

    /// The digits at the start of the eight bytes at `p`: their value and how many (0…8; 8 when all are).
    /// A byte is a digit when its high nibble is 3 and its low nibble plus 6 does not reach 16 (checked per
    /// byte: no carry crosses bytes); the digits are moved to the word's top, zeros before them, and
    /// `combined` as `eightDigits` does.
    @inline(__always)
    static func leadingDigits(_ p: UnsafePointer<UInt8>) -> (value: UInt64, count: Int) {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let low = word & 0x0F0F_0F0F_0F0F_0F0F
        let notDigit = ((word & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030) | ((low &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0)
        let count = notDigit.trailingZeroBitCount >> 3
        guard count > 0 else { return (0, 0) }
        return (combined(low &<< UInt64(64 &- 8 &* count)), count)  // count 8: a shift by 0
    }
}

/// The shape of a price in a flat file's row: how many digits before and after its dot (or that it has no
/// dot), ending within its first word with the comma after it. A price of the same shape as the last is
/// checked and read as one word by masks made once per shape (`value`), instead of finding its dot and end
/// again: a row's four prices, and a ticker's rows, mostly have one shape.
/// Only the shapes `FlatFileRow.priceInWord` reads are made (at most 6 digits with a dot, 1…7 without),
/// so a price read by its shape has the value and the end `price` and `comma` give it.
struct PriceShape {
    /// The bytes of the price and its comma: `0` at each digit, the dot and the comma themselves.
    private var pattern: UInt64
    /// The bits that must equal `pattern`'s: all of the dot's and the comma's, a digit's high nibble.
    private var exact: UInt64
    /// 6 in each digit's byte: a low nibble (`pattern` taken away) above 9 carries into bit 4 (`carry`).
    private var six: UInt64
    private var carry: UInt64
    /// The whole digits' bytes, and the fraction's bytes moved one down over the dot.
    private var whole: UInt64
    private var fraction: UInt64
    /// 64 − 8 × digits: the digits moved to the word's top, as `FlatFileRow.combined` reads them.
    private var shift: UInt64
    private var scale: Int64
    /// The price's bytes and its comma.
    private(set) var length: Int

    /// A shape no word has: its `exact` takes all 64 bits, so only `pattern` itself passes, and `six` then
    /// carries in the first byte.
    static let none = PriceShape(pattern: 0, exact: ~0, six: 0x10, carry: 0x10, whole: 0, fraction: 0, shift: 0, scale: 0, length: 0)

    private init(pattern: UInt64, exact: UInt64, six: UInt64, carry: UInt64, whole: UInt64, fraction: UInt64, shift: UInt64, scale: Int64, length: Int) {
        (self.pattern, self.exact, self.six, self.carry) = (pattern, exact, six, carry)
        (self.whole, self.fraction, self.shift, self.scale, self.length) = (whole, fraction, shift, scale, length)
    }

    /// The shape of the `length` bytes at `p`: a price `FlatFileRow.price` read and the comma after it. Nil
    /// when it does not end within a word or `priceInWord` would not read it (7 digits with a dot).
    init?(_ p: UnsafePointer<UInt8>, length: Int) {
        guard length >= 2, length <= 8 else { return nil }
        var dot = -1
        for k in 0..<(length - 1) where p[k] == UInt8(ascii: ".") { dot = k }
        let digits = dot < 0 ? length - 1 : length - 2
        guard digits >= 1, dot < 0 ? digits <= 7 : digits <= 6 else { return nil }
        let wholeCount = dot < 0 ? digits : dot
        var pattern: UInt64 = 0, exact: UInt64 = 0, six: UInt64 = 0, whole: UInt64 = 0, fraction: UInt64 = 0
        for k in 0..<length {
            let bits = UInt64(8 * k)
            if k == length - 1 || k == dot {
                pattern |= UInt64(p[k]) << bits  // the comma, the dot
                exact |= 0xFF << bits
            } else {
                pattern |= 0x30 << bits
                exact |= 0xF0 << bits
                six |= 0x06 << bits
                if k < wholeCount { whole |= 0xFF << bits } else { fraction |= 0xFF << (bits - 8) }
            }
        }
        self.init(pattern: pattern, exact: exact, six: six, carry: (six << 2) & 0x1010_1010_1010_1010, whole: whole, fraction: fraction,
                  shift: UInt64(64 - 8 * digits), scale: FlatFileRow.scale(digits - wholeCount), length: length)
    }

    /// The price at the start of the word at `p` when it has this shape (digits where its digits are, its dot
    /// and comma in place), else nil.
    @inline(__always)
    func value(_ p: UnsafePointer<UInt8>) -> Int64? {
        let word = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        let digits = word ^ pattern  // each digit's byte its value, if it is a digit; 0 at the dot and comma
        guard digits & exact == 0, (digits &+ six) & carry == 0 else { return nil }
        let packed = (digits & whole) | ((digits &>> 8) & fraction)
        return Int64(FlatFileRow.combined(packed &<< shift)) &* scale  // < 10^7 × 10^8: within the limit
    }
}
