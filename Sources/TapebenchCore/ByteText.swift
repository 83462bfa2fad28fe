/// Text built as UTF-8 bytes, for writers that emit a row per event (CSV files, database rows): numbers,
/// money and times are written straight into a reused buffer, byte for byte the same as their canonical
/// `String` forms (`String(n)`, `Fixed.description`, `Timestamp.iso8601`, `CivilDate.description`), with no
/// `String` made on the way, so a writer allocates only when its buffer grows.
///
/// The bytes live in a buffer of its own (copied on write, as an array's), not in an `[UInt8]`: an append
/// to an array went through its generic copy and its uniqueness, capacity and count bookkeeping, ≈ 90
/// instructions for a field of a few bytes (1.3 % of the 200 × 13 run, 5 % of the peers order tape).
public struct ByteText: @unchecked Sendable {  // the buffer is copied before it is changed unless this is its only owner
    @usableFromInline final class Storage {
        @usableFromInline let start: UnsafeMutablePointer<UInt8>
        @usableFromInline let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            start = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        }

        deinit { start.deallocate() }
    }

    @usableFromInline var storage: Storage
    /// Bytes written (`count`): settable by the inlinable appends.
    @usableFromInline var length = 0

    public var count: Int { length }

    public init(capacity: Int = 0) { storage = Storage(capacity: max(capacity, 16)) }

    public var isEmpty: Bool { count == 0 }

    /// The bytes, as an array (a copy).
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The bytes in place, for the length of `body`.
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.start, count: count))
    }

    /// What `write` writes, as a `String`: for a report or a test, which want the text once (a row writer
    /// writes into its own reused buffer instead).
    public static func string(_ write: (inout ByteText) -> Void) -> String {
        var text = ByteText(capacity: 96)
        write(&text)
        return text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Empties the buffer and keeps its capacity.
    public mutating func removeAll() {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(capacity: storage.capacity) }
        length = 0
    }

    /// Room for `more` bytes past the end, in a buffer this text alone owns: where they go.
    @inlinable @inline(__always)
    mutating func room(_ more: Int) -> UnsafeMutablePointer<UInt8> {
        if !isKnownUniquelyReferenced(&storage) || storage.capacity &- count < more { grow(more) }
        return storage.start + count
    }

    /// A buffer of its own with room for `more` bytes past the end: at least twice as large when it grows.
    @usableFromInline mutating func grow(_ more: Int) {
        let needed = count + more
        let capacity = storage.capacity - count < more ? max(needed, storage.capacity * 2) : storage.capacity
        let larger = Storage(capacity: capacity)
        larger.start.update(from: storage.start, count: count)
        storage = larger
    }

    /// `bytes` bytes at `start` appended.
    @inline(__always)
    mutating func append(_ start: UnsafePointer<UInt8>, count bytes: Int) {
        room(bytes).update(from: start, count: bytes)
        length &+= bytes
    }

    @inlinable public mutating func append(byte: UInt8) {
        room(1).pointee = byte
        length &+= 1
    }

    public mutating func append(_ text: String) {
        // A native string's bytes in place: no copy of the string made mutable (a retain and a release,
        // with every agent and variant name of every CSV row).
        if text.utf8.withContiguousStorageIfAvailable({ append($0) }) != nil { return }
        var text = text
        text.withUTF8 { append($0) }
    }

    /// A static string's bytes (a fixed piece of a reason's text).
    public mutating func append(_ text: StaticString) { append(literal: text) }

    /// A literal's bytes, copied from the binary: `append("…")` picks the `String` overload for a literal (its
    /// default type), which asks the string for its storage first; a reason's text appends several literals
    /// per rejection or signal.
    @inline(__always)
    public mutating func append(literal text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Hundredths (cents, a percentage to two places, basis points as a percentage) as
    /// `Fixed.format(wide: ±magnitude × 1 000 000, minimumFractionDigits:)` writes them, with no `Fixed` or
    /// `Int128` on the way: `magnitude / 100`, a point and the two digits of `magnitude % 100` (with
    /// `trimmingZeros`, the fraction's trailing zeros and then the point dropped, as for minimum 0 digits),
    /// a `-` first when `negative` and the value is not zero.
    mutating func append(hundredths magnitude: UInt64, negative: Bool, trimmingZeros: Bool = false) {
        appendScratch { out in
            var n = 0
            if negative, magnitude != 0 {
                out[0] = UInt8(ascii: "-")
                n = 1
            }
            let whole = magnitude / 100
            let fraction = Int(truncatingIfNeeded: magnitude &- whole &* 100)
            n += ByteTextScratch.digits(whole, width: 1, at: out + n)
            if trimmingZeros, fraction % 10 == 0 {
                guard fraction != 0 else { return n }
                out[n] = UInt8(ascii: ".")
                out[n + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: fraction / 10)
                return n + 2
            }
            out[n] = UInt8(ascii: ".")
            ByteTextScratch.pair(fraction, at: out + n + 1)
            return n + 3
        }
    }

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }
        append(start, count: bytes.count)
    }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ append($0) }) != nil { return }
        for byte in bytes { append(byte: byte) }
    }

    /// A whole number, as `String(value)` writes it.
    public mutating func append(integer value: Int64) {
        appendScratch { ByteTextScratch.integer(value, at: $0) }
    }

    public mutating func append(integer value: Int) { append(integer: Int64(value)) }

    /// Money or a price, exact: `value.formatted(minimumFractionDigits:)` (at least that many fraction
    /// digits, trailing zeros beyond them trimmed).
    public mutating func append(fixed value: Fixed, minimumFractionDigits: Int = 2) {
        appendScratch { ByteTextScratch.fixed(value, minimumFractionDigits: minimumFractionDigits, at: $0) }
    }

    /// `YYYY-MM-DD`, as `CivilDate.description` writes it.
    public mutating func append(date: CivilDate) {
        appendScratch { ByteTextScratch.date(date, at: $0) }
    }

    /// ISO 8601 in UTC, as `Timestamp.iso8601` writes it (`2024-03-11T13:30:00Z`, fraction digits only when
    /// present).
    public mutating func append(iso8601 time: Timestamp) {
        appendScratch { ByteTextScratch.iso8601(time, at: $0) }
    }

    /// As `append(iso8601:)`, with the `YYYY-MM-DD` part copied from `day` when it is the day `day` last
    /// wrote (a writer of a row per minute changes day once in hundreds of rows: the civil date is not
    /// worked out again for each).
    public mutating func append(iso8601 time: Timestamp, day: inout DayText) {
        appendScratch { ByteTextScratch.iso8601(time, day: &day, at: $0) }
    }

    /// The decimal digits of `value`, left-padded with zeros to at least `width`.
    public mutating func append(digitsOf value: UInt64, width: Int) {
        // Zeros beyond what the scratch holds (no writer asks for them; kept for the contract).
        if width > ByteTextScratch.maxDigits { for _ in ByteTextScratch.maxDigits..<width { append(byte: UInt8(ascii: "0")) } }
        appendScratch { ByteTextScratch.digits(value, width: min(width, ByteTextScratch.maxDigits), at: $0) }
    }

    /// What `write` puts past the end (at most `ByteTextScratch.size` bytes, returning how many), written in
    /// place.
    @inline(__always)
    mutating func appendScratch(_ write: (UnsafeMutablePointer<UInt8>) -> Int) {
        length &+= write(room(ByteTextScratch.size))
    }

    /// What `write` writes; or, when `key` is the key `recent` last kept bytes for, those bytes again: rows
    /// that repeat a field (an amount, a date) from the row before copy it instead of writing it again.
    /// Inlinable, so that a writer's closure is inlined where it is called: called out of line, each field
    /// went through the closure's context and thunk (equity.csv writes nine such fields a row).
    @inlinable
    public mutating func append(key: UInt64, recent: inout RecentText, _ write: (inout ByteText) -> Void) {
        if recent.count >= 0, recent.key == key {
            // All of the slot, whatever its length: only `count` bytes of it are kept.
            UnsafeMutableRawPointer(room(RecentText.capacity)).storeBytes(of: recent.text, as: RecentText.Bytes.self)
            length &+= recent.count
            return
        }
        let from = count
        write(&self)
        recent.keep(key: key, storage.start + from, count: count &- from)
    }
}

/// The bytes a field was last written as and the key of the value they stand for
/// (`ByteText.append(key:recent:_:)`); at most 24 bytes (a `Fixed` takes at most 21, a date 10).
public struct RecentText: Sendable {
    @usableFromInline typealias Bytes = (UInt64, UInt64, UInt64)
    @inlinable static var capacity: Int { MemoryLayout<Bytes>.size }
    @usableFromInline var key: UInt64 = 0
    @usableFromInline var text: Bytes = (0, 0, 0)
    /// -1 while nothing is kept.
    @usableFromInline var count = -1

    public init() {}

    /// Keeps the `count` bytes at `start` as the text of `key`; keeps nothing when they do not fit.
    @usableFromInline mutating func keep(key: UInt64, _ start: UnsafePointer<UInt8>, count: Int) {
        guard count >= 0, count <= RecentText.capacity else {
            self.count = -1
            return
        }
        self.key = key
        self.count = count
        withUnsafeMutableBytes(of: &text) { $0.baseAddress!.copyMemory(from: start, byteCount: count) }
    }
}

/// The writers of `ByteText`'s numbers and times, into a scratch of `ByteTextScratch.size` bytes: each
/// returns how many bytes it wrote. The longest is a negative `Fixed` (1 + 11 + 1 + 8 = 21 bytes) or an
/// ISO 8601 time with nanoseconds (30 bytes).
enum ByteTextScratch {
    static let size = 64
    /// The most digits `digits(_:width:at:)` writes: a UInt64 has at most 20, widths asked are at most 9.
    static let maxDigits = 24

    /// "00", "01", … "99": a number's digits are written two at a time from this table (one division by 100
    /// per pair instead of one by 10 per digit). A static string's bytes are a constant in the binary: no
    /// set-up on first use, no bounds check.
    private static let pairs: StaticString = """
        0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
        5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
        """

    /// The two digits of `value` (< 100) at `out`.
    @inline(__always)
    static func pair(_ value: Int, at out: UnsafeMutablePointer<UInt8>) {
        let from = pairs.utf8Start + 2 &* value
        out[0] = from[0]
        out[1] = from[1]
    }

    /// The decimal digits of `value`, left-padded with zeros to at least `width` (≤ `maxDigits`).
    @inline(__always)
    static func digits(_ value: UInt64, width: Int, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 1
        var probe = value
        while probe >= 100 {
            probe /= 100
            count += 2
        }
        if probe >= 10 { count += 1 }
        let total = max(width, count)
        var rest = value
        var position = total
        while rest >= 100 {
            let next = rest / 100
            position -= 2
            pair(Int(truncatingIfNeeded: rest &- next &* 100), at: out + position)
            rest = next
        }
        if rest >= 10 {
            position -= 2
            pair(Int(truncatingIfNeeded: rest), at: out + position)
        } else {
            position -= 1
            out[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
        }
        while position > 0 {
            position -= 1
            out[position] = UInt8(ascii: "0")
        }
        return total
    }

    /// The eight digits of `value` (< 10⁸), zeros first: a `Fixed`'s fraction.
    @inline(__always)
    static func eightDigits(_ value: UInt64, at out: UnsafeMutablePointer<UInt8>) {
        let high = Int(truncatingIfNeeded: value / 10_000), low = Int(truncatingIfNeeded: value % 10_000)
        pair(high / 100, at: out)
        pair(high % 100, at: out + 2)
        pair(low / 100, at: out + 4)
        pair(low % 100, at: out + 6)
    }

    static func integer(_ value: Int64, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if value < 0 {
            out[0] = UInt8(ascii: "-")
            n = 1
        }
        return n + digits(value.magnitude, width: 1, at: out + n)
    }

    static func fixed(_ value: Fixed, minimumFractionDigits: Int, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if value.raw < 0 {
            out[0] = UInt8(ascii: "-")
            n = 1
        }
        let magnitude = value.raw.magnitude
        let scale = UInt64(Fixed.scale)
        n += digits(magnitude / scale, width: 1, at: out + n)
        let fraction = magnitude % scale
        let keep = max(0, min(minimumFractionDigits, Fixed.fractionDigits))
        // All eight fraction digits after the point, then trailing zeros dropped down to `keep` digits (and
        // the point with them when none is left).
        out[n] = UInt8(ascii: ".")
        if fraction == 0 {
            for index in 0..<keep { out[n + 1 + index] = UInt8(ascii: "0") }
            return keep == 0 ? n : n + 1 + keep
        }
        eightDigits(fraction, at: out + n + 1)
        var fractionDigits = Fixed.fractionDigits
        while fractionDigits > keep, out[n + fractionDigits] == UInt8(ascii: "0") { fractionDigits -= 1 }
        return fractionDigits == 0 ? n : n + 1 + fractionDigits
    }

    static func date(_ date: CivilDate, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if date.year < 0 {
            out[0] = UInt8(ascii: "-")
            n = 1
        }
        let year = Int(date.year.magnitude)
        if year < 10_000 {
            pair(year / 100, at: out + n)
            pair(year % 100, at: out + n + 2)
            n += 4
        } else {
            n += digits(UInt64(year), width: 4, at: out + n)
        }
        out[n] = UInt8(ascii: "-")
        n += 1
        n += twoOrMore(date.month, at: out + n)
        out[n] = UInt8(ascii: "-")
        n += 1
        return n + twoOrMore(date.day, at: out + n)
    }

    /// A month's or a day's digits, at least two (a month or a day is below 100: one lookup).
    @inline(__always)
    static func twoOrMore(_ value: Int, at out: UnsafeMutablePointer<UInt8>) -> Int {
        guard value < 100 else { return digits(UInt64(value), width: 2, at: out) }
        pair(value, at: out)
        return 2
    }

    static func iso8601(_ time: Timestamp, at out: UnsafeMutablePointer<UInt8>) -> Int {
        var day = DayText()
        return iso8601(time, day: &day, at: out)
    }

    @inline(__always)
    static func iso8601(_ time: Timestamp, day: inout DayText, at out: UnsafeMutablePointer<UInt8>) -> Int {
        let seconds = time.epochSeconds
        let fraction = time.nanoseconds - seconds * Timestamp.nanosecondsPerSecond
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        var n: Int
        if days == day.days {
            withUnsafeBytes(of: day.text) { out.update(from: $0.baseAddress!.assumingMemoryBound(to: UInt8.self), count: day.count) }
            n = day.count
        } else {
            n = date(CivilDate(daysSinceEpoch: days), at: out)
            if n <= MemoryLayout<DayText.Bytes>.size {
                day.days = days
                day.count = n
                withUnsafeMutableBytes(of: &day.text) { $0.baseAddress!.copyMemory(from: out, byteCount: n) }
            }
        }
        out[n] = UInt8(ascii: "T")
        n += 1
        let second = Int(secondOfDay)
        pair(second / 3600, at: out + n)
        out[n + 2] = UInt8(ascii: ":")
        pair(second / 60 % 60, at: out + n + 3)
        out[n + 5] = UInt8(ascii: ":")
        pair(second % 60, at: out + n + 6)
        n += 8
        if fraction != 0 {
            var places = 9, value = UInt64(fraction)
            while value % 10 == 0 {
                value /= 10
                places -= 1
            }
            out[n] = UInt8(ascii: ".")
            n += 1
            n += digits(value, width: places, at: out + n)
        }
        out[n] = UInt8(ascii: "Z")
        return n + 1
    }
}

/// The `YYYY-MM-DD` text of the UTC day an ISO 8601 time was last written for
/// (`ByteText.append(iso8601:day:)`); empty at first.
public struct DayText: Sendable {
    typealias Bytes = (UInt64, UInt64)
    /// Days since the epoch of `text`; `Int64.min` before the first time.
    var days = Int64.min
    var text: Bytes = (0, 0)
    var count = 0

    public init() {}
}

