import Foundation
import TapebenchEngine
import TapebenchReports

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let defaultScenario = root + "/scenarios/default.yaml"

    /// The `tapebench` binary built beside the test bundle.
    static var tapebench: String {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        return folder + "/tapebench"
    }
}

func temporaryFolder(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "tapebench-scenario-\(safe)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `tapebench` with arguments in a working folder.
func runTapebench(_ arguments: [String], in folder: String) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Repository.tapebench)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
}
