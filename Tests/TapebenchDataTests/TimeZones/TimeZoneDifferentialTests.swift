import Foundation
import Testing
import TapebenchCore
@testable import TapebenchData

/// Our TZif reader against Python's `zoneinfo` (standard library; it reads the same system tz database):
/// the UTC offset at a few thousand instants, 1970–2090, in zones with odd rules (30-minute and 45-minute
/// daylight changes, southern summers, negative daylight time, a skipped day), and how local wall-clock
/// times map back, near every change. Cancelled, with the reason, where python3 is missing.
@Suite struct TimeZoneDifferentialTests {
    static let zones = [
        "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Apia",
        "Asia/Tokyo", "Europe/Berlin", "America/Santiago", "Africa/Casablanca", "Asia/Tehran", "Pacific/Chatham",
        "America/St_Johns", "Europe/Dublin", "UTC",
    ]

    @Test("offsets at instants and local times near each change agree with Python's zoneinfo")
    func againstZoneinfo() throws {
        guard FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/Europe/London") else {
            try Test.cancel("needs the tz database in /usr/share/zoneinfo (apt-get install tzdata)")
        }
        var rng = SplitMix64(seed: 20_261_201)
        var queries: [(kind: String, zone: ZoneRules, value: Int64)] = []
        let low = CivilDate(iso: "1970-01-01")!.daysSinceEpoch * 86_400, high = CivilDate(iso: "2090-12-31")!.daysSinceEpoch * 86_400
        for name in Self.zones {
            let zone = try TimeZoneDatabase.zone(name, directory: TimeZoneDatabase.systemDirectory)
            for _ in 0..<200 { queries.append(("u", zone, low + Int64(rng.next() % UInt64(high - low)))) }
            // Each listed change from 1970 on, and the rule's changes 2030–2090: the second before, at, and after,
            // and local times within two hours of it, every 15 minutes.
            let listed = zone.transitions.filter { $0 >= low }
            var changes = stride(from: 0, to: listed.count, by: max(1, listed.count / 24)).map { listed[$0] }
            var t = CivilDate(iso: "2030-01-01")!.daysSinceEpoch * 86_400
            while t < high {
                if zone.utcOffsetSeconds(at: t) != zone.utcOffsetSeconds(at: t + 7 * 86_400) {
                    var a = t, b = t + 7 * 86_400
                    while b - a > 1 { let m = (a + b) / 2; if zone.utcOffsetSeconds(at: m) == zone.utcOffsetSeconds(at: a) { a = m } else { b = m } }
                    changes.append(b)
                }
                t += 7 * 86_400
            }
            for change in changes {
                for delta in [-1, 0, 1] as [Int64] { queries.append(("u", zone, change + delta)) }
                let local = change + zone.utcOffsetSeconds(at: change - 1)
                for quarter in stride(from: -8, through: 8, by: 1) { queries.append(("l", zone, local + Int64(quarter) * 900)) }
            }
        }
        let input = queries.map { "\($0.kind) \($0.zone.name) \($0.value)\n" }.joined()
        let output: String
        switch Python3.run(script: "zoneinfo/zone_offsets.py", input: input) {
        case let .output(text): output = text
        case let .unavailable(reason): try Test.cancel(Comment(rawValue: reason))
        }
        let lines = output.split(separator: "\n").filter { !$0.hasPrefix("#") }
        try #require(lines.count == queries.count, "python printed \(lines.count) answers for \(queries.count) questions")
        var differences: [String] = []
        for (query, line) in zip(queries, lines) {
            let ours: String
            if query.kind == "u" {
                ours = "u \(query.zone.utcOffsetSeconds(at: query.value))"
            } else {
                switch query.zone.resolve(local: query.value) {
                case let .unique(t): ours = "l unique \(t)"
                case let .repeated(a, b): ours = "l repeated \(a) \(b)"
                case .skipped: ours = "l skipped"
                }
            }
            if ours != line { differences.append("\(query.zone.name) \(query.kind) \(query.value): Tapebench '\(ours)', zoneinfo '\(line)'") }
        }
        #expect(queries.count > 3_000)
        #expect(differences.count == 0, "\(differences.count) of \(queries.count) differ:\n\(differences.prefix(30).joined(separator: "\n"))")
    }
}


/// python3 from the PATH, with no packages beyond the standard library.
enum Python3 {
    enum Outcome { case output(String), unavailable(String) }

    static func run(script: String, input: String) -> Outcome {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("Python/\(script)").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch { return .unavailable("python3 could not be started: \(error)") }
        // Written from another thread: the answers may fill the output pipe before the questions are all read.
        let data = Data(input.utf8)
        let writer = Thread { stdin.fileHandleForWriting.write(data); try? stdin.fileHandleForWriting.close() }
        writer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 { return .unavailable("python3 is not installed (the zoneinfo comparison needs only its standard library)") }
        guard process.terminationStatus == 0 else {
            let message = String(decoding: err, as: UTF8.self)
            if message.contains("No module named 'zoneinfo'") { return .unavailable("python3 older than 3.9 has no zoneinfo") }
            return .output("python3 failed: " + message)
        }
        return .output(String(decoding: out, as: UTF8.self))
    }
}
