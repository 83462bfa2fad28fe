import Foundation

/// What a run of the built `tapebench` gave.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// The `tapebench` binary built beside the test bundle.
public enum BuiltTapebench {
    public static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path + "/tapebench"
    }
}

/// Runs the built `tapebench` with `arguments` in `folder`, with `environment` added to ours (or to `replacing`).
public func runTapebench(_ arguments: [String], in folder: String, environment: [String: String] = [:],
                         replacing: [String: String]? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: BuiltTapebench.path)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    if replacing != nil || !environment.isEmpty {
        process.environment = (replacing ?? ProcessInfo.processInfo.environment).merging(environment) { $1 }
    }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both to their end before waiting: a child blocked on a full pipe would never exit.
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
}
