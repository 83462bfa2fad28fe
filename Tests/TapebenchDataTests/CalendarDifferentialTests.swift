import Testing
import TapebenchCore
import TapebenchData
import TapebenchTestSupport

/// Tapebench's NYSE calendar against `exchange_calendars`' XNYS, pinned in
/// `Tests/Python/exchange-calendars/requirements.txt`: every calendar day 1998–2040 must be a session in
/// both with the same open and close instant (UTC, so daylight time is compared too), or a session in neither.
/// Python dumps its sessions once and Swift compares; cancelled, with the reason, where the environment cannot
/// be built (no python3, no venv, registry unreachable). The first run installs the pins (tens of seconds).
@Suite struct CalendarDifferentialTests {
    let calendar = ExchangeCalendar.nyse

    @Test("every day 1998–2040: the same sessions, opens and closes as exchange_calendars' XNYS")
    func againstExchangeCalendars() async throws {
        let first = CivilDate(iso: "1998-01-01")!, last = CivilDate(iso: "2040-12-31")!
        let text: String
        switch try await PythonEnvironment("exchange-calendars").run("xnys_sessions.py", [first.description, last.description]) {
        case .output(let output): text = output
        case .unavailable(let reason): try Test.cancel(Comment(rawValue: reason))
        }
        let reference = try ReferenceSessions(text)

        var differences: [String] = []
        var compared = 0
        var date = first
        while date <= last {
            let ours = calendar.regularSession(on: date).map { "\($0.open.iso8601)–\($0.close.iso8601)" }
            let theirs = reference.sessions[date]
            if theirs != nil { compared += 1 }
            if ours != theirs {
                differences.append("\(date): Tapebench \(ours ?? "closed"), exchange_calendars \(theirs ?? "closed")")
            }
            date = date.adding(days: 1)
        }
        #expect(compared == reference.sessions.count, "exchange_calendars listed sessions outside \(first)…\(last)")
        #expect(differences.count == 0, """
            \(differences.count) days differ from \(reference.source):
            \(differences.prefix(40).joined(separator: "\n"))
            """)
    }
}

/// The script's output: `# versions` then `date,open,close` lines.
struct ReferenceSessions {
    var source = "exchange_calendars"
    /// Session date → "open–close" as ISO 8601 UTC instants.
    var sessions: [CivilDate: String] = [:]

    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    init(_ text: String) throws {
        for (index, line) in text.split(separator: "\n").enumerated() {
            if line.hasPrefix("# ") {
                source = String(line.dropFirst(2))
                continue
            }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3, let date = CivilDate(iso: fields[0]), sessions[date] == nil else {
                throw Malformed(description: "xnys_sessions.py line \(index + 1): '\(line.prefix(120))'")
            }
            sessions[date] = "\(fields[1])–\(fields[2])"
        }
    }
}
