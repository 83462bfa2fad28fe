import Foundation

/// A Python script serving on a free loopback port, which it prints as its first line; it ends when its stdin
/// closes (`stop`, or the test process ending). Used by the Polygon mock and the transport's fixture server.
public final class LoopbackServerProcess: @unchecked Sendable {
    public let port: Int
    private let process: Process
    private let input = Pipe()

    /// `script`: a path under the package root.
    public init(script: String, arguments: [String]) throws {
        guard let python3 = Self.python3 else { throw Failure(description: "no python3 on PATH") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: python3)
        process.arguments = [PythonEnvironment.packageRoot.appendingPathComponent(script).path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([10]) { line += byte }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw Failure(description: "\(script) did not start")
        }
        self.port = port
    }

    deinit { stop() }

    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    public static var python3: String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(folder)/python3"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    public struct Failure: Error, CustomStringConvertible { public let description: String }
}
