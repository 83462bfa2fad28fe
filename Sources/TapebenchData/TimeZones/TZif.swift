import TapebenchCore

/// A reader of TZif files, the compiled form of the IANA tz database (`/usr/share/zoneinfo/Europe/London`),
/// after RFC 8536. Our own, rather than Foundation's `TimeZone`, which may answer from ICU data bundled
/// with the toolchain instead of the machine's tzdata: here the answer depends on the file alone.
///
/// Read: the version 2+ block (64-bit transition times) when present, else version 1 (32-bit); each
/// transition's UTC offset; and the footer's POSIX TZ string, which gives the offsets after the last
/// transition (a "slim" file lists no transitions past the year its rules last changed). Before the
/// first transition, time type 0 applies (RFC 8536 §3.2). Files with leap-second records ("right/" zones)
/// are refused: their times are not POSIX times.
enum TZif {
    struct Problem: Error, Equatable {
        let message: String
    }

    /// The transitions (UTC seconds, ascending) and the offset after each, the offset before the first,
    /// and the footer's rule.
    static func parse(_ bytes: [UInt8]) throws(Problem) -> (transitions: [Int64], offsets: [Int32], initial: Int32, footer: PosixTZ?) {
        var reader = Reader(bytes: bytes)
        let first = try reader.header()
        guard first.version >= 2 else {
            let block = try reader.block(first, timeSize: 4)
            return (block.transitions, block.offsets, block.initial, nil)
        }
        // Skip the version 1 block: the 64-bit block repeats it with wider times.
        try reader.skip(first.blockSize(timeSize: 4))
        let second = try reader.header()
        let block = try reader.block(second, timeSize: 8)
        let footer = try reader.footer()
        let rule: PosixTZ?
        do {
            rule = footer.isEmpty ? nil : try PosixTZ(footer)
        } catch {
            throw Problem(message: "its rule '\(footer)' cannot be read: \(error.message)")
        }
        return (block.transitions, block.offsets, block.initial, rule)
    }

    struct Header {
        let version: Int
        let isUTCCount, isStandardCount, leapCount, timeCount, typeCount, charCount: Int

        func blockSize(timeSize: Int) -> Int {
            timeCount * timeSize + timeCount + typeCount * 6 + charCount + leapCount * (timeSize + 4) + isStandardCount + isUTCCount
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func skip(_ count: Int) throws(Problem) {
            guard count >= 0, at + count <= bytes.count else { throw Problem(message: "it ends early (\(bytes.count) bytes)") }
            at += count
        }

        mutating func integer(_ size: Int) throws(Problem) -> Int64 {
            guard at + size <= bytes.count else { throw Problem(message: "it ends early (\(bytes.count) bytes)") }
            var value: Int64 = 0
            for i in 0..<size { value = value << 8 | Int64(bytes[at + i]) }
            at += size
            // Sign-extend: TZif integers are two's complement, big-endian.
            let shift = Int64(64 - 8 * size)
            return (value << shift) >> shift
        }

        mutating func header() throws(Problem) -> Header {
            guard at + 44 <= bytes.count, bytes[at..<at + 4].elementsEqual("TZif".utf8) else {
                throw Problem(message: "it is not a TZif file (no 'TZif' magic)")
            }
            let versionByte = bytes[at + 4]
            let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
            guard (1...9).contains(version) else { throw Problem(message: "unknown TZif version byte \(versionByte)") }
            at += 20
            var counts: [Int] = []
            for _ in 0..<6 {
                let count = try integer(4)
                guard (0...10_000_000).contains(count) else { throw Problem(message: "a count of \(count) is out of range") }
                counts.append(Int(count))
            }
            let header = Header(version: version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
                                timeCount: counts[3], typeCount: counts[4], charCount: counts[5])
            guard header.typeCount >= 1 else { throw Problem(message: "it has no local time types") }
            return header
        }

        mutating func block(_ header: Header, timeSize: Int) throws(Problem) -> (transitions: [Int64], offsets: [Int32], initial: Int32) {
            guard header.leapCount == 0 else { throw Problem(message: "it counts leap seconds (a 'right/' zone); use the zone's POSIX-time file") }
            var times: [Int64] = []
            for _ in 0..<header.timeCount {
                let time = try integer(timeSize)
                if let last = times.last, time <= last { throw Problem(message: "its transition times are not ascending") }
                times.append(time)
            }
            var indices: [Int] = []
            for _ in 0..<header.timeCount {
                let index = Int(try integer(1) & 0xFF)
                guard index < header.typeCount else { throw Problem(message: "a transition names local time type \(index) of \(header.typeCount)") }
                indices.append(index)
            }
            var offsets: [Int32] = []
            for _ in 0..<header.typeCount {
                let offset = try integer(4)
                // RFC 8536: -2^31 is not allowed; real offsets lie within ±26 hours.
                guard abs(offset) <= 26 * 3600 else { throw Problem(message: "a UTC offset of \(offset) s is out of range") }
                offsets.append(Int32(offset))
                try skip(2)  // isdst, designation index
            }
            try skip(header.charCount + header.leapCount * (timeSize + 4) + header.isStandardCount + header.isUTCCount)
            return (times, indices.map { offsets[$0] }, offsets[0])
        }

        /// The text between the two newlines after the last block.
        mutating func footer() throws(Problem) -> String {
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\n") else { throw Problem(message: "its footer does not start with a newline") }
            guard let end = bytes[(at + 1)...].firstIndex(of: UInt8(ascii: "\n")) else { throw Problem(message: "its footer does not end with a newline") }
            let text = bytes[(at + 1)..<end]
            guard text.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw Problem(message: "its footer is not ASCII text") }
            at = end + 1
            return String(decoding: text, as: UTF8.self)
        }
    }
}
