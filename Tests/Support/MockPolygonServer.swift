import Foundation

/// The loopback Polygon stand-in (`Tests/Python/polygon-mock/mock_polygon.py`, standard library only)
/// serving the real recorded bodies of `../shared/data/real/rest` under a plan of faults. Started per
/// test on a free port; stopped (by its own process id) when the test ends.
public final class MockPolygonServer: @unchecked Sendable {
    public let baseURL: String
    public let logPath: String
    private let server: LoopbackServerProcess

    /// Why the server cannot run here (no python3, or no shared data), or nil.
    public static var unavailableReason: String? {
        let data = PythonEnvironment.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/real/rest").path
        guard FileManager.default.fileExists(atPath: data) else { return "needs the real REST fixtures in ../shared/data/real/rest" }
        guard LoopbackServerProcess.python3 != nil else { return "needs python3 on PATH for the loopback Polygon mock" }
        return nil
    }

    /// `plan`: the JSON plan (see the script's doc); `pageSize`: bars per page.
    public init(plan: String, folder: String, pageSize: Int = 300) throws {
        let planPath = folder + "/mock-plan.json"
        logPath = folder + "/mock-requests.jsonl"
        try plan.write(toFile: planPath, atomically: true, encoding: .utf8)
        let data = PythonEnvironment.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/real/rest").path
        server = try LoopbackServerProcess(script: "Tests/Python/polygon-mock/mock_polygon.py",
                                           arguments: ["--data", data, "--plan", planPath, "--log", logPath, "--page-size", String(pageSize)])
        baseURL = "http://127.0.0.1:\(server.port)"
    }

    public func stop() { server.stop() }

    /// Every request the server saw: path and query, and the Authorization header.
    public func requests() -> [(path: String, authorization: String)] {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] else { return nil }
            return (object["path"] ?? "", object["authorization"] ?? "")
        }
    }
}
