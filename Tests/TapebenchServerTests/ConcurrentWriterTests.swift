import Foundation
import GRDB
import Testing
@testable import TapebenchServer

/// Paper mode writes the database while the server reads it: WAL, a transaction per change. Every answer
/// is one committed state, never an error, and the latest commit shows.
@Suite struct ConcurrentWriterTests {
    @Test("reads during 300 committed writes: all 200, equity never goes back, the last write shows")
    func walWriter() async throws {
        let (database, registry) = try DefaultRun.copy()
        let writer = try DatabaseQueue(path: database)
        try await writer.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        let server = try await ServedProcess.start(database: database, registry: registry)
        let writes = Task.detached {
            for i in 1...300 {
                try await writer.write { db in
                    try db.execute(sql: "UPDATE paper_accounts SET equity = ?, updated_at = ? WHERE id = 1",
                                   arguments: [200_000.0 + Double(i), "2024-04-03T14:\(String(format: "%02d", i % 60)):00Z"])
                }
            }
        }
        var seen: [Double] = []
        while !writes.isCancelled {
            let answer = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/account")
            #expect(answer.status == 200, "\(answer.text)")
            seen.append(try answer.json()["equity"] as? Double ?? -1)
            if seen.last == 200_300 || seen.count > 5_000 { break }
        }
        try await writes.value
        let last = try await HTTP.request(port: server.port, path: "/api/paper-trading/agents/vwap-mr/account").json()
        await server.stop()
        #expect(last["equity"] as? Double == 200_300)
        #expect(seen == seen.sorted(), "an answer showed an older state than the one before it")
        #expect(seen.allSatisfy { $0 == 100_998.729038 || ($0 > 200_000 && $0 <= 200_300) })
    }
}
