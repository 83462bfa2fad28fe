import Foundation
import Testing
import TapebenchCore
import TapebenchLive
import TapebenchTestSupport

/// A key that must appear in no output: long and unlike anything else in a response.
let secretKey = "TbK3y-5ecret-9f2a7c"

/// 2013-10-07 09:30 New York (EDT), the session whose real bars the mock serves.
let sessionOpen = Timestamp(milliseconds: 1_381_152_600_000)

/// Starts the mock with `plan`, or cancels the test (printed as skipped) when it cannot run here.
func startMock(_ plan: String, pageSize: Int = 300, folder: String) throws -> MockPolygonServer {
    if let reason = MockPolygonServer.unavailableReason { try Test.cancel(Comment(rawValue: reason)) }
    return try MockPolygonServer(plan: plan, folder: folder, pageSize: pageSize)
}

func client(_ mock: MockPolygonServer, clock: ManualWallClock, attempts: Int = 6) throws -> PolygonClient {
    try PolygonClient(baseURL: mock.baseURL, key: secretKey, clock: clock, retry: RetryPolicy(attempts: attempts, seed: 42))
}

func temporaryFolder(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = TestScratch.root + "tapebench-live-\(safe)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The error's one line (what the CLI prints).
func line(of error: Error) -> String { String(describing: error) }
