#if canImport(Glibc)
import Glibc
let systemKill = Glibc.kill
let systemClose = Glibc.close
#elseif canImport(Darwin)
import Darwin
let systemKill = Darwin.kill
let systemClose = Darwin.close
#endif
import CAgentSpawn

/// How to start an agent's program: the program resolved to a path, its arguments, its working folder.
public struct AgentLaunch: Sendable, Hashable {
    /// The program's path (found on PATH, or resolved against the scenario's folder).
    public var program: String
    /// The command as the scenario wrote it (`python3 agents/my_agent.py`), for messages.
    public var arguments: [String]
    /// The scenario's folder: relative paths in the command are relative to it.
    public var folder: String

    public init(program: String, arguments: [String], folder: String) {
        self.program = program
        self.arguments = arguments
        self.folder = folder
    }
}

/// What went wrong with a running program, in words; the agent adds which message and the stderr tail.
enum AgentProgramError: Error, Equatable {
    case cannotStart(String)
    /// It ended, or closed its standard output, without answering; the text says how it ended.
    case ended(String)
    case timedOut(milliseconds: Int)
    case lineTooLong(bytes: Int)
    /// It wrote something before it was asked (a second line for the last message, say).
    case unaskedOutput

    var text: String {
        switch self {
        case .cannotStart(let reason): "cannot start the program: \(reason)"
        case .ended(let how): how
        case .timedOut(let ms): "no answer within \(ms) ms (timeout_ms); the program was killed"
        case .lineTooLong(let bytes): "an answer line longer than \(bytes) bytes"
        case .unaskedOutput: "wrote more than one line for the previous message (one answer line per message)"
        }
    }
}

/// An agent's program, running, spoken to in lockstep: one line out, one line back. It runs in a process
/// group of its own with only its standard input, output and error open (every other descriptor of Tapebench
/// closed), in the scenario's folder. Its standard error is read all along (so it never blocks on a full
/// pipe) and only the last `stderrTailBytes` are kept, for messages. Deterministic as long as the program
/// is: Tapebench waits for each answer, whatever the time it takes, up to the time-out.
///
/// When the object goes away the program is killed (its whole group) and reaped, and every descriptor is
/// closed: a run that stops for any reason leaves no process and no descriptor behind. Used by one lane,
/// so by one thread at a time.
final class AgentProgram: @unchecked Sendable {
    static let maximumLineBytes = 16 << 20
    static let stderrTailBytes = 8 << 10

    let pid: pid_t
    /// Tapebench's ends of the program's standard input, output and error (-1 once closed).
    private(set) var input: Int32
    private(set) var output: Int32
    private(set) var errors: Int32
    /// Standard output read and not yet handed out as a line.
    private var buffer: [UInt8] = []
    private var stderrTail: [UInt8] = []
    /// The wait status once reaped.
    private var status: Int32?
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    init(_ launch: AgentLaunch, environment: [String]) throws(AgentProgramError) {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1], errChild: [Int32] = [-1, -1]
        // Close-on-exec, so that a program started by another lane at the same moment inherits none of them.
        guard tapebench_pipe_cloexec(&toChild) == 0 else { throw .cannotStart(AgentProgram.words(errno)) }
        guard tapebench_pipe_cloexec(&fromChild) == 0 else {
            AgentProgram.close(toChild)
            throw .cannotStart(AgentProgram.words(errno))
        }
        guard tapebench_pipe_cloexec(&errChild) == 0 else {
            AgentProgram.close(toChild + fromChild)
            throw .cannotStart(AgentProgram.words(errno))
        }
        var child: pid_t = 0
        let argv = ([launch.program] + launch.arguments.dropFirst()).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
            AgentProgram.close([toChild[0], fromChild[1], errChild[1]])
        }
        let error = tapebench_spawn_agent(launch.program, argv, envp, launch.folder, toChild[0], fromChild[1], errChild[1], &child)
        guard error == 0 else {
            AgentProgram.close([toChild[1], fromChild[0], errChild[0]])
            throw .cannotStart(AgentProgram.words(error))
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
        errors = errChild[0]
        for fd in [input, output, errors] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }

    deinit {
        kill()
        AgentProgram.close([input, output, errors])
    }

    /// The program's standard error so far, its last `stderrTailBytes` bytes.
    var stderrText: String { String(decoding: stderrTail, as: UTF8.self) }

    /// Writes `message` (one line, ending in a newline) and returns the next line of the program's output,
    /// without its newline. Throws when the program ends, closes its output, or takes longer than
    /// `timeout` milliseconds for the whole exchange (then it is killed).
    func exchange(_ message: [UInt8], timeout: Int) throws(AgentProgramError) -> [UInt8] {
        // A line nobody asked for (a second answer to the last message) would shift every answer after it.
        guard buffer.isEmpty, readOutput(), buffer.isEmpty else { throw buffer.isEmpty ? ended() : .unaskedOutput }
        let deadline = AgentProgram.monotonicMilliseconds() + Int64(timeout)
        var written = 0
        var searched = 0
        while true {
            if written == message.count, let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            searched = buffer.count
            guard buffer.count <= AgentProgram.maximumLineBytes else { throw .lineTooLong(bytes: AgentProgram.maximumLineBytes) }
            let left = deadline - AgentProgram.monotonicMilliseconds()
            guard left > 0 else {
                kill()
                drainErrors(for: 200)
                throw .timedOut(milliseconds: timeout)
            }
            var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: errors, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: written < message.count ? input : -1, events: Int16(POLLOUT), revents: 0)]
            let ready = poll(&fds, 3, Int32(min(left, 60_000)))
            if ready < 0 {
                if errno == EINTR { continue }
                throw .ended("cannot wait for the program: \(AgentProgram.words(errno))")
            }
            if fds[1].revents != 0 { readErrors() }
            if fds[2].revents != 0 {
                let count = message.withUnsafeBytes { writeIgnoringSIGPIPE(input, $0.baseAddress! + written, message.count - written) }
                if count > 0 {
                    written += count
                } else if count < 0, errno != EAGAIN, errno != EINTR {
                    // EPIPE: it closed its input, or ended; its output says which.
                    throw ended()
                }
            }
            if fds[0].revents != 0 {
                guard readOutput() else { throw ended() }
            }
        }
    }

    /// Writes the last message and waits, up to `timeout` milliseconds, for the program to close its output
    /// and exit with status 0.
    func finish(_ message: [UInt8], timeout: Int) throws(AgentProgramError) {
        guard buffer.isEmpty else { throw .unaskedOutput }
        let deadline = AgentProgram.monotonicMilliseconds() + Int64(timeout)
        var written = 0
        while written < message.count {
            let count = message.withUnsafeBytes { writeIgnoringSIGPIPE(input, $0.baseAddress! + written, message.count - written) }
            if count > 0 { written += count; continue }
            if count < 0, errno == EPIPE { break }  // it ended already; the status says how
            var fd = pollfd(fd: input, events: Int16(POLLOUT), revents: 0)
            let left = deadline - AgentProgram.monotonicMilliseconds()
            guard left > 0 else { kill(); throw .timedOut(milliseconds: timeout) }
            _ = poll(&fd, 1, Int32(left))
        }
        AgentProgram.close([input])
        input = -1
        while true {
            let left = deadline - AgentProgram.monotonicMilliseconds()
            guard left > 0 else { kill(); throw .timedOut(milliseconds: timeout) }
            var fds = [pollfd(fd: output, events: Int16(POLLIN), revents: 0), pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, Int32(min(left, 60_000)))
            if fds[1].revents != 0 { readErrors() }
            if fds[0].revents != 0 {
                if readOutput() { throw .unaskedOutput }
                break
            }
        }
        drainErrors(for: Int(max(0, deadline - AgentProgram.monotonicMilliseconds())))
        guard let status = reap(within: max(0, deadline - AgentProgram.monotonicMilliseconds())) else {
            kill()
            throw .timedOut(milliseconds: timeout)
        }
        guard AgentProgram.exitedCleanly(status) else { throw .ended(AgentProgram.describe(status)) }
    }

    /// Kills the program's group and reaps the program (nothing when it was reaped already).
    func kill() {
        guard status == nil else { return }
        _ = systemKill(-pid, SIGKILL)
        _ = systemKill(pid, SIGKILL)  // in case it left its group
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0, errno == EINTR {}
        status = raw
    }

    // MARK: - Reading

    /// Reads what the program wrote; false at the end of its output.
    private func readOutput() -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress!, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[..<count])
                if count < chunk.count { return true }
            } else if count == 0 {
                return false
            } else {
                return errno == EAGAIN || errno == EINTR
            }
        }
    }

    /// Reads its standard error, keeping the tail; at the end of it, stops polling it.
    private func readErrors() {
        guard errors >= 0 else { return }
        while true {
            let count = chunk.withUnsafeMutableBytes { read(errors, $0.baseAddress!, $0.count) }
            if count > 0 {
                stderrTail.append(contentsOf: chunk[..<count])
                if stderrTail.count > AgentProgram.stderrTailBytes { stderrTail.removeFirst(stderrTail.count - AgentProgram.stderrTailBytes) }
            } else {
                if count == 0 {
                    AgentProgram.close([errors])
                    errors = -1
                }
                return
            }
        }
    }

    /// Reads standard error until it ends (the program exited) or `milliseconds` pass: the last words of a
    /// crashing program (a traceback) arrive after its output closes.
    private func drainErrors(for milliseconds: Int) {
        let deadline = AgentProgram.monotonicMilliseconds() + Int64(milliseconds)
        while errors >= 0 {
            let left = deadline - AgentProgram.monotonicMilliseconds()
            guard left > 0 else { return }
            var fd = pollfd(fd: errors, events: Int16(POLLIN), revents: 0)
            if poll(&fd, 1, Int32(left)) > 0 { readErrors() }
        }
    }

    /// The program closed its output or its input: how it ended, once it has (a second at most), or that it
    /// is still running (then it is killed).
    private func ended() -> AgentProgramError {
        drainErrors(for: 1_000)
        if let status = reap(within: 1_000) { return .ended(AgentProgram.describe(status)) }
        kill()
        return .ended("the program closed its standard output without answering")
    }

    /// Waits up to `milliseconds` for the program to exit; its wait status, or nil while it runs.
    private func reap(within milliseconds: Int64) -> Int32? {
        if let status { return status }
        let deadline = AgentProgram.monotonicMilliseconds() + milliseconds
        while true {
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid { status = raw; return raw }
            if result < 0, errno != EINTR { return nil }
            guard AgentProgram.monotonicMilliseconds() < deadline else { return nil }
            var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&pause, nil)
        }
    }
}
