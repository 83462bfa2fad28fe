import Foundation

/// A pinned Python environment for differential tests against Python packages: `.ci/python-env NAME`
/// builds (once) and reuses `.build/pyenv-NAME` from `Tests/Python/NAME/requirements.txt`, and runs
/// scripts from `Tests/Python/NAME/` in it.
///
/// A test asks for a script's output and cancels itself with the reason when Python cannot be had
/// (Swift Testing prints `Test "…" was cancelled …: "reason"`, which `.ci/run` counts as skipped):
/// ```swift
/// switch try await PythonEnvironment("exchange-calendars").run("xnys_sessions.py", ["1998-01-01", "2040-12-31"]) {
/// case .output(let text): …
/// case .unavailable(let reason): try Test.cancel(Comment(rawValue: reason))
/// }
/// ```
/// This target does not import Testing, so that it builds wherever the package does.
public struct PythonEnvironment: Sendable {
    /// The folder name under `Tests/Python` (also the `.build/pyenv-NAME` suffix).
    public let name: String

    public init(_ name: String) { self.name = name }

    /// What running a script gave.
    public enum Outcome: Sendable, Equatable {
        /// The script's standard output; it exited 0.
        case output(String)
        /// The environment cannot be had here (no python3, no venv module, registry unreachable); the reason says which.
        case unavailable(reason: String)
    }

    /// A failure that is not about availability: pins that do not install, a script that exits non-zero.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The repository root, found from this file's place (`Tests/Support/`).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `.ci/python-env`'s status for "skipped" (the automake convention).
    static let skipStatus: Int32 = 77

    /// Runs `Tests/Python/NAME/script` with `arguments` in the environment, building it first if needed
    /// (the first build downloads the pinned wheels: tens of seconds; later runs only start Python).
    public func run(_ script: String, _ arguments: [String] = []) async throws -> Outcome {
        let root = PythonEnvironment.packageRoot
        // Files, not pipes: a script's output can exceed a pipe's buffer while we wait for it to exit.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tapebench-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let stdoutURL = folder.appendingPathComponent("stdout"), stderrURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdout = try FileHandle(forWritingTo: stdoutURL), stderr = try FileHandle(forWritingTo: stderrURL)
        defer { try? stdout.close(); try? stderr.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", root.appendingPathComponent(".ci/python-env").path, name, script] + arguments
        process.currentDirectoryURL = root
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        // Awaited, not waitUntilExit(): a first build takes tens of seconds, and tests share a few threads.
        let ended: (reason: Process.TerminationReason, status: Int32)
        do {
            ended = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: ($0.terminationReason, $0.terminationStatus)) }
                do { try process.run() } catch { continuation.resume(throwing: error) }
            }
        } catch {
            return .unavailable(reason: "bash cannot be started to run .ci/python-env: \(error)")
        }

        let output = String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self)
        let errors = String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
        let status = ended.status
        if ended.reason == .exit, status == 0 { return .output(output) }
        if ended.reason == .exit, status == PythonEnvironment.skipStatus,
           let line = errors.split(separator: "\n").last(where: { $0.hasPrefix("python-env: skip: ") }) {
            return .unavailable(reason: "Python environment '\(name)': " + line.dropFirst("python-env: skip: ".count))
        }
        throw Failure(description: "Python environment '\(name)', \(script) \(arguments.joined(separator: " ")): "
            + "exit \(status)\n\(errors.suffix(4000))")
    }
}
