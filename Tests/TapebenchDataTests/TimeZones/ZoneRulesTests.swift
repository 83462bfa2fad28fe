import Foundation
import TapebenchTestSupport
import Testing
import TapebenchCore
@testable import TapebenchData

/// The machine's tz database, read by our TZif reader, against offsets known by hand (the zones' published
/// rules). Cancelled with the reason where the database is not installed.
@Suite struct ZoneRulesTests {
    static let available = FileManager.default.fileExists(atPath: TimeZoneDatabase.systemDirectory + "/Europe/London")

    func zone(_ name: String) throws -> ZoneRules {
        if !Self.available { try Test.cancel("needs the tz database in /usr/share/zoneinfo (apt-get install tzdata)") }
        return try TimeZoneDatabase.zone(name, directory: TimeZoneDatabase.systemDirectory)
    }

    /// Seconds since the epoch of a UTC date-time.
    func utc(_ date: String, _ hour: Int, _ minute: Int, _ second: Int = 0) -> Int64 {
        CivilDate(iso: date)!.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    @Test("Europe/London goes to BST at 01:00 UTC on 2024-03-31 and back at 01:00 UTC on 2024-10-27")
    func london2024() throws {
        let london = try zone("Europe/London")
        #expect(london.utcOffsetSeconds(at: utc("2024-03-31", 0, 59, 59)) == 0)
        #expect(london.utcOffsetSeconds(at: utc("2024-03-31", 1, 0)) == 3600)
        #expect(london.utcOffsetSeconds(at: utc("2024-10-27", 0, 59, 59)) == 3600)
        #expect(london.utcOffsetSeconds(at: utc("2024-10-27", 1, 0)) == 0)
    }

    @Test("past the file's last transition the footer rule (GMT0BST,M3.5.0/1,M10.5.0) gives 2080's changes")
    func londonByRule() throws {
        let london = try zone("Europe/London")
        // Last Sunday of March 2080 is the 31st; of October, the 27th.
        #expect(london.utcOffsetSeconds(at: utc("2080-03-31", 0, 59, 59)) == 0)
        #expect(london.utcOffsetSeconds(at: utc("2080-03-31", 1, 0)) == 3600)
        #expect(london.utcOffsetSeconds(at: utc("2080-10-27", 0, 59, 59)) == 3600)
        #expect(london.utcOffsetSeconds(at: utc("2080-10-27", 1, 0)) == 0)
    }

    @Test("Australia/Lord_Howe: +10:30 standard, +11:00 daylight, a 30-minute change each way")
    func lordHowe() throws {
        let zone = try zone("Australia/Lord_Howe")
        // Daylight from 02:00 +10:30 on the first Sunday of October (2024-10-06) = 15:30 UTC the day before.
        #expect(zone.utcOffsetSeconds(at: utc("2024-10-05", 15, 29, 59)) == 37_800)
        #expect(zone.utcOffsetSeconds(at: utc("2024-10-05", 15, 30)) == 39_600)
        // Until 02:00 +11:00 on the first Sunday of April (2024-04-07) = 15:00 UTC the day before.
        #expect(zone.utcOffsetSeconds(at: utc("2024-04-06", 14, 59, 59)) == 39_600)
        #expect(zone.utcOffsetSeconds(at: utc("2024-04-06", 15, 0)) == 37_800)
        // 02:15 local on 2024-10-06 was skipped (02:00 → 02:30); 01:45 local on 2024-04-07 happened twice.
        #expect(zone.resolve(local: utc("2024-10-06", 2, 15)) == .skipped(offsetBefore: 37_800, offsetAfter: 39_600))
        #expect(zone.resolve(local: utc("2024-04-07", 1, 45)) == .repeated(earlier: utc("2024-04-06", 14, 45), later: utc("2024-04-06", 15, 15)))
    }

    @Test("London local times: 01:30 on 2024-03-31 never happened; 01:30 on 2024-10-27 happened twice; noon once")
    func londonLocal() throws {
        let london = try zone("Europe/London")
        #expect(london.resolve(local: utc("2024-03-31", 1, 30)) == .skipped(offsetBefore: 0, offsetAfter: 3600))
        #expect(london.resolve(local: utc("2024-10-27", 1, 30)) == .repeated(earlier: utc("2024-10-27", 0, 30), later: utc("2024-10-27", 1, 30)))
        #expect(london.resolve(local: utc("2024-07-01", 12, 0)) == .unique(utc("2024-07-01", 11, 0)))
    }

    @Test("Pacific/Apia skipped the whole of 2011-12-30 (UTC−10 → UTC+14)")
    func samoa() throws {
        let apia = try zone("Pacific/Apia")
        #expect(apia.resolve(local: utc("2011-12-30", 12, 0)) == .skipped(offsetBefore: -36_000, offsetAfter: 50_400))
        #expect(apia.resolve(local: utc("2011-12-31", 0, 0)) == .unique(utc("2011-12-30", 10, 0)))
    }

    @Test("a naive CSV time in a named zone: the earlier instant when repeated, an error naming the zone when skipped")
    func naiveTimes() throws {
        let london = TimeZoneRule.named(try zone("Europe/London"))
        let repeated = LocalDateTime(date: CivilDate(iso: "2024-10-27")!, nanosecondOfDay: 5_400 * Timestamp.nanosecondsPerSecond + 250, utcOffsetSeconds: nil, hasTime: true)
        #expect(try repeated.checkedInstant(in: london) == Timestamp(nanoseconds: utc("2024-10-27", 0, 30) * Timestamp.nanosecondsPerSecond + 250))
        let skipped = LocalDateTime(date: CivilDate(iso: "2024-03-31")!, nanosecondOfDay: 5_400 * Timestamp.nanosecondsPerSecond, utcOffsetSeconds: nil, hasTime: true)
        #expect(throws: SkippedLocalTime(zone: "Europe/London", offsetBefore: 0, offsetAfter: 3600)) { try skipped.checkedInstant(in: london) }
        // Asked without the check, it takes the offset before the change (Python's fold=0): 01:30 GMT = 02:30 BST.
        #expect(skipped.instant(in: london) == Timestamp(seconds: utc("2024-03-31", 1, 30)))
        #expect(SkippedLocalTime(zone: "Europe/London", offsetBefore: 0, offsetAfter: 3600).message
            == "does not exist in Europe/London (the clocks went forward from UTC+00:00 to UTC+01:00); write such times in UTC or with their offset")
    }

    @Test("unknown, malformed and unsafe names are one-line errors naming the zone")
    func errors() throws {
        _ = try zone("UTC")
        #expect(throws: TimeZoneProblem(message: "unknown time zone 'Europe/Lundon': no such zone in /usr/share/zoneinfo (IANA names like Europe/London, America/Chicago, UTC)")) {
            try TimeZoneDatabase.zone("Europe/Lundon", directory: "/usr/share/zoneinfo")
        }
        #expect(throws: TimeZoneProblem(message: "'../etc/passwd' is not a time zone name: '..' is not a part of a zone name")) {
            try TimeZoneDatabase.zone("../etc/passwd", directory: "/usr/share/zoneinfo")
        }
        #expect(throws: TimeZoneProblem(message: "unknown time zone 'Europe': no such zone in /usr/share/zoneinfo (IANA names like Europe/London, America/Chicago, UTC)")) {
            try TimeZoneDatabase.zone("Europe", directory: "/usr/share/zoneinfo")
        }
        let folder = TestScratch.root + "tapebench-tz-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/Mars", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("not a zone".utf8).write(to: URL(fileURLWithPath: folder + "/Mars/Olympus"))
        #expect(throws: TimeZoneProblem(message: "time zone 'Mars/Olympus': \(folder)/Mars/Olympus cannot be read: it is not a TZif file (no 'TZif' magic)")) {
            try TimeZoneDatabase.zone("Mars/Olympus", directory: folder)
        }
        // A TZif file cut short.
        let london = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/London"))
        try london.prefix(100).write(to: URL(fileURLWithPath: folder + "/Mars/Short"))
        #expect(throws: TimeZoneProblem(message: "time zone 'Mars/Short': \(folder)/Mars/Short cannot be read: it ends early (100 bytes)")) {
            try TimeZoneDatabase.zone("Mars/Short", directory: folder)
        }
    }

    @Test("POSIX TZ footers", arguments: [
        ("GMT0BST,M3.5.0/1,M10.5.0", Int64(0), Int64?(3600)),
        ("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", 37_800, 39_600),
        ("EST5EDT,M3.2.0,M11.1.0", -18_000, -14_400),
        ("<-03>3", -10_800, nil),
        ("IST-2IDT,M3.4.4/26,M10.5.0", 7_200, 10_800),
    ])
    func posix(text: String, standard: Int64, daylight: Int64?) throws {
        let rule = try PosixTZ(text)
        #expect(rule.standardOffset == standard)
        #expect(rule.daylight?.offset == daylight)
    }
}
