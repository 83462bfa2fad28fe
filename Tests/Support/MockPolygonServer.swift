import Foundation

/// The loopback Polygon stand-in (`Tests/Python/polygon-mock/mock_polygon.py`, standard library only)
/// serving the real recorded bodies of `../shared/data/real/rest` under a plan of faults. Started per
/// test on a free port; stopped (by its own process id) when the test ends.
public final class MockPolygonServer: @unchecked Sendable {
    public let baseURL: String
    public let logPath: String
    private let process: Process
    private let input = Pipe()

    /// Why the server cannot run here (no python3, or no shared data), or nil.
    public static var unavailableReason: String? {
        let data = PythonEnvironment.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/real/rest").path
        guard FileManager.default.fileExists(atPath: data) else { return "needs the real REST fixtures in ../shared/data/real/rest" }
        guard python3 != nil else { return "needs python3 on PATH for the loopback Polygon mock" }
        return nil
    }

    static var python3: String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(folder)/python3"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// `plan`: the JSON plan (see the script's doc); `pageSize`: bars per page.
    public init(plan: String, folder: String, pageSize: Int = 300) throws {
        let planPath = folder + "/mock-plan.json"
        logPath = folder + "/mock-requests.jsonl"
        try plan.write(toFile: planPath, atomically: true, encoding: .utf8)
        let script = PythonEnvironment.packageRoot.appendingPathComponent("Tests/Python/polygon-mock/mock_polygon.py").path
        let data = PythonEnvironment.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/real/rest").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: MockPolygonServer.python3 ?? "/usr/bin/python3")
        process.arguments = [script, "--data", data, "--plan", planPath, "--log", logPath, "--page-size", String(pageSize)]
        let out = Pipe()
        process.standardOutput = out
        // The server ends when this pipe closes: with `stop`, or with the test process.
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is the port.
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([10]) { line += byte }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw MockFailure(description: "the mock server did not start")
        }
        baseURL = "http://127.0.0.1:\(port)"
    }

    deinit { stop() }

    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Every request the server saw: path and query, and the Authorization header.
    public func requests() -> [(path: String, authorization: String)] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else { return nil }
            return (object["path"] ?? "", object["authorization"] ?? "")
        }
    }

    public struct MockFailure: Error, CustomStringConvertible { public let description: String }
}
