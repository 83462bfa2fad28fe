import Foundation
import TapebenchTestSupport
import Testing

/// The real-data fixtures in `../shared/data` beside the repository. Tests that need them are
/// skipped, with this reason printed, when they are absent (a fresh clone outside CI).
enum SharedData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let root = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path
    static var available: Bool { FileManager.default.fileExists(atPath: root + "/SOURCES.md") }
    static let skipReason: Comment = "needs the real-data fixtures in ../shared/data, which are not beside this clone"

    static func path(_ relative: String) -> String { root + "/" + relative }
}

/// A fresh temporary folder for one test.
func temporaryFolder(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = TestScratch.root + "tapebench-tests-\(safe)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
