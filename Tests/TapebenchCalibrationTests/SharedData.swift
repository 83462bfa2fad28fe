import Foundation
import Testing

/// The real-data fixtures in `../shared/data` beside the repository; tests that need them are skipped, with
/// this reason printed, when they are absent.
enum SharedData {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let root = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path
    static var available: Bool { FileManager.default.fileExists(atPath: root + "/SOURCES.md") }
    static let skipReason: Comment = "needs the real-data fixtures in ../shared/data, which are not beside this clone"

    static func path(_ relative: String) -> String { root + "/" + relative }
}
