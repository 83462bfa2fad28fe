import Foundation
import TapebenchCore

/// The UTC offsets of one IANA time zone through history, read from the machine's tz database
/// (`TimeZoneDatabase`). The same TZif file gives the same answers on every machine.
public struct ZoneRules: Sendable, Hashable, CustomStringConvertible {
    /// The zone's name, as given (`Europe/London`).
    public let name: String
    /// Transition instants, UTC seconds, ascending; `offsets[i]` is in force from `transitions[i]` on.
    let transitions: [Int64]
    let offsets: [Int32]
    /// In force before the first transition (or always, with no transitions and no rule).
    let initialOffset: Int32
    /// In force after the last transition.
    let rule: PosixTZ?

    init(name: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32, rule: PosixTZ?) {
        self.name = name
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = initialOffset
        self.rule = rule
    }

    public var description: String { name }

    /// The UTC offset in force at `epochSecond`, in seconds east of UTC.
    public func utcOffsetSeconds(at epochSecond: Int64) -> Int64 {
        // At and after the last transition the rule speaks (as Python's zoneinfo reads it); without one, the last offset.
        if let rule, transitions.last.map({ epochSecond >= $0 }) ?? true { return rule.utcOffset(at: epochSecond) }
        // The last transition at or before `epochSecond`.
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] <= epochSecond { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? Int64(initialOffset) : Int64(offsets[low - 1])
    }

    /// How a wall-clock time (seconds since the epoch, as if the local time were UTC) maps to instants.
    public enum LocalTime: Sendable, Hashable {
        /// One instant.
        case unique(Int64)
        /// Twice (clocks went back): the earlier and the later instant.
        case repeated(earlier: Int64, later: Int64)
        /// Never (clocks went forward over it): the offsets before and after the gap.
        case skipped(offsetBefore: Int64, offsetAfter: Int64)
    }

    /// The instants whose local time is `local`. Every offset in force within two days either side is a
    /// candidate (no zone changed by more than a day at once: Samoa's skipped 2011-12-30 is the largest);
    /// a candidate holds when the offset at its instant is itself.
    public func resolve(local: Int64) -> LocalTime {
        let window: Int64 = 2 * 86_400
        var candidates = [utcOffsetSeconds(at: local - window), utcOffsetSeconds(at: local + window), utcOffsetSeconds(at: local)]
        // And the offsets of the listed transitions near it, and the rule's two.
        if let rule, let daylight = rule.daylight { candidates += [rule.standardOffset, daylight.offset] }
        var low = 0, high = transitions.count
        while low < high {
            let mid = (low + high) / 2
            if transitions[mid] < local - window - 86_400 { low = mid + 1 } else { high = mid }
        }
        var i = low
        while i < transitions.count, transitions[i] <= local + window + 86_400 {
            candidates.append(Int64(offsets[i]))
            i += 1
        }
        var instants: [Int64] = []
        for offset in Set(candidates).sorted() {
            let instant = local - offset
            if utcOffsetSeconds(at: instant) == offset { instants.append(instant) }
        }
        instants.sort()
        if let first = instants.first {
            return instants.count == 1 ? .unique(first) : .repeated(earlier: first, later: instants.last!)
        }
        return .skipped(offsetBefore: utcOffsetSeconds(at: local - window), offsetAfter: utcOffsetSeconds(at: local + window))
    }
}

/// The machine's tz database: TZif files under a folder (`/usr/share/zoneinfo`, or `$TZDIR` as the C
/// library honours it), read by `TZif`, never through Foundation's `TimeZone`.
public enum TimeZoneDatabase {
    public static let systemDirectory = "/usr/share/zoneinfo"

    /// `$TZDIR` when set (a pinned copy of tzdata), else the system folder.
    public static var directory: String {
        ProcessInfo.processInfo.environment["TZDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? systemDirectory
    }

    /// The zone named `name` (`Europe/London`, `Asia/Tokyo`, `UTC`). The message of the error names the
    /// zone and the file.
    public static func zone(_ name: String, directory: String = TimeZoneDatabase.directory) throws(TimeZoneProblem) -> ZoneRules {
        if let problem = nameProblem(name) { throw TimeZoneProblem(message: "'\(name)' is not a time zone name: \(problem)") }
        let path = directory + "/" + name
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw TimeZoneProblem(message: "unknown time zone '\(name)': no such zone in \(directory) (IANA names like Europe/London, America/Chicago, UTC)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TimeZoneProblem(message: "time zone '\(name)': cannot read \(path)")
        }
        do {
            let parsed = try TZif.parse([UInt8](data))
            return ZoneRules(name: name, transitions: parsed.transitions, offsets: parsed.offsets, initialOffset: parsed.initial, rule: parsed.footer)
        } catch {
            throw TimeZoneProblem(message: "time zone '\(name)': \(path) cannot be read: \(error.message)")
        }
    }

    /// Names are paths inside the database: letters, digits, `_ + -`, parts joined by `/`, none `.` or `..`.
    static func nameProblem(_ name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= 128 else { return "empty or too long" }
        for part in name.split(separator: "/", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.first != "." else { return "'\(part)' is not a part of a zone name" }
            guard part.utf8.allSatisfy({ c in
                (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
            }) else { return "only letters, digits, '_', '+', '-' and '/' may appear" }
        }
        return nil
    }
}

/// A zone that cannot be used; `message` is the text after `file:line: field 'timezone': `.
public struct TimeZoneProblem: Error, Sendable, Equatable {
    public let message: String
}
