import Foundation
import TapebenchTestSupport
import Testing
import TapebenchServer

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The `tapebench` binary built beside the test bundle.
    static var tapebench: String {
        BuiltTapebench.path
    }
}

func temporaryFolder(_ name: String = #function) throws -> String {
    let path = TestScratch.root + "tapebench-serve-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}


/// The default scenario replayed once per test process by `tapebench run` into a temporary folder; each
/// test copies its run.sqlite, so no test sees another's changes.
enum DefaultRun {
    static let folder: String = {
        let folder = try! temporaryFolder("defaultrun")
        let result = try! runTapebench(["run", Repository.root + "/scenarios/default.yaml", "--out", folder + "/run", "--quiet"], in: folder)
        precondition(result.status == 0, "tapebench run failed: \(result.stderr)")
        return folder + "/run"
    }()

    /// A fresh copy of the run's database in its own folder, with a registry path beside it (no file yet).
    static func copy(_ name: String = #function) throws -> (database: String, registry: String) {
        let folder = try temporaryFolder(name)
        try FileManager.default.copyItem(atPath: DefaultRun.folder + "/run.sqlite", toPath: folder + "/run.sqlite")
        return (folder + "/run.sqlite", folder + "/registry/agents.sqlite")
    }

    /// A server over a fresh copy; stopped by the caller.
    static func serve(_ name: String = #function, refresh: Int = 0) async throws -> (server: ServedProcess, database: String, registry: String) {
        let (database, registry) = try copy(name)
        let server = try await ServedProcess.start(database: database, registry: registry, refresh: refresh)
        return (server, database, registry)
    }
}

/// `tapebench serve` in a process of its own. An in-process server runs its handlers on Swift's cooperative
/// pool, which the rest of the test suite keeps busy (as wide as the machine has cores): under the full
/// `swift test` its answers could wait for seconds. A process of its own answers as it would for a user.
struct ServedProcess: Sendable {
    let port: Int
    let process: Process

    /// The first line a process writes to `pipe` (serve prints where it listens), read off the cooperative pool.
    static func firstLine(of pipe: Pipe) async throws -> String {
        let reader = pipe.fileHandleForReading
        return try await offPool { () -> String in
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            return String(decoding: line, as: UTF8.self)
        }
    }

    static func start(database: String, registry: String, refresh: Int = 0) async throws -> ServedProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.tapebench)
        process.arguments = ["serve", database, "--port", "0", "--registry", registry, "--refresh", String(refresh)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let line = try await firstLine(of: out)
        guard let port = line.components(separatedBy: "http://127.0.0.1:").dropFirst().first.flatMap({ Int($0.prefix { $0.isNumber }) }) else {
            process.terminate()
            throw POSIXError(.ECONNREFUSED)
        }
        return ServedProcess(port: port, process: process)
    }

    /// SIGINT, as Ctrl-C: the server finishes and exits.
    func stop() async {
        process.interrupt()
        _ = try? await offPool { process.waitUntilExit() }
    }
}

/// One HTTP/1.1 exchange over a plain loopback socket, so a test can send anything (raw bytes in the path,
/// any method, broken bodies) and read exactly what came back.
struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any], "not a JSON object: \(text.prefix(300))")
    }
}

/// Runs blocking work (a socket, a child process) on a thread of its own: blocked on Swift's cooperative
/// pool (as wide as the machine has cores) it would starve the in-process server it waits for.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

enum HTTP {
    static func request(port: Int, method: String = "GET", path: String, body: Data? = nil, extraHeaders: [String] = []) async throws -> HTTPAnswer {
        try await offPool { try blockingRequest(port: port, method: method, path: path, body: body, extraHeaders: extraHeaders) }
    }

    static func exchange(port: Int, _ bytes: Data) async throws -> HTTPAnswer {
        try await offPool { try blockingExchange(port: port, bytes) }
    }

    static func blockingRequest(port: Int, method: String = "GET", path: String, body: Data? = nil, extraHeaders: [String] = []) throws -> HTTPAnswer {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for line in extraHeaders { head += line + "\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        var bytes = Data((head + "\r\n").utf8)
        if let body { bytes.append(body) }
        return try blockingExchange(port: port, bytes)
    }

    /// Sends `bytes` as they are and reads the answer to the end of the connection.
    static func blockingExchange(port: Int, _ bytes: Data) throws -> HTTPAnswer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            answer.append(contentsOf: buffer[0..<n])
        }
        return try parse(answer)
    }

    static func parse(_ data: Data) throws -> HTTPAnswer {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = data.range(of: separator) else { throw POSIXError(.EBADMSG) }
        let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw POSIXError(.EBADMSG) }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Data(data[end.upperBound...])
        if let length = headers["content-length"].flatMap(Int.init), body.count > length { body = body.prefix(length) }
        return HTTPAnswer(status: status, headers: headers, body: body)
    }
}
