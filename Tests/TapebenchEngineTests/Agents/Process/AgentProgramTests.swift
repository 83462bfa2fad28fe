import Foundation
import Testing
@testable import TapebenchEngine

/// The running program, with `/bin/sh` scripts (no Python needed): lockstep lines, failures in words, and
/// nothing left behind — no process, no zombie, no descriptor — however the program ends.
@Suite struct AgentProgramTests {
    func start(_ script: String) throws -> AgentProgram {
        try AgentProgram(AgentLaunch(program: "/bin/sh", arguments: ["sh", "-c", script], folder: NSTemporaryDirectory()),
                         environment: ["PATH=/usr/bin:/bin"])
    }

    func line(_ text: String) -> [UInt8] { Array((text + "\n").utf8) }

    /// The inodes of a program's three pipes, to look for them among this process's descriptors later (a
    /// number may be reused by another test at once; a pipe's inode is not while it is open).
    func pipeInodes(_ program: AgentProgram) -> [UInt64] {
        [program.input, program.output, program.errors].map { fd in
            var info = stat()
            fstat(fd, &info)
            return UInt64(info.st_ino)
        }
    }

    func openPipes(_ inodes: [UInt64]) throws -> [String] {
        let names = Set(inodes.map { "pipe:[\($0)]" })
        return try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap {
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)
        }.filter { names.contains($0) }
    }

    /// Whether the process still exists (running, or a zombie nobody reaped).
    func exists(_ pid: pid_t) -> Bool { FileManager.default.fileExists(atPath: "/proc/\(pid)/stat") }

    @Test("one line out, one line back, in lockstep; end waits for exit 0")
    func lockstep() throws {
        let program = try start("while read line; do case $line in end) exit 0;; *) echo \"got $line\";; esac; done")
        #expect(try program.exchange(line("a"), timeout: 5_000) == Array("got a".utf8))
        #expect(try program.exchange(line("b"), timeout: 5_000) == Array("got b".utf8))
        try program.finish(line("end"), timeout: 5_000)
        #expect(!exists(program.pid))
    }

    @Test("a message larger than the pipe's buffer is written while the answer is read")
    func largeMessage() throws {
        let program = try start("read line; echo ${#line}; read line")
        let big = String(repeating: "x", count: 1 << 20)
        #expect(try program.exchange(line(big), timeout: 10_000) == Array("1048576".utf8))
    }

    @Test("a program that exits without answering: its status and its last words on stderr; reaped")
    func crash() throws {
        let program = try start("read line; echo 'Traceback: boom' >&2; exit 3")
        let pid = program.pid, inodes = pipeInodes(program)
        #expect(throws: AgentProgramError.ended("the program exited with status 3")) { try program.exchange(line("x"), timeout: 5_000) }
        #expect(program.stderrText == "Traceback: boom\n")
        #expect(!exists(pid))
        #expect(try !openPipes(inodes).isEmpty)  // input and output still held by the object …
        _ = consume program
        #expect(try openPipes(inodes).isEmpty)  // … and closed with it
    }

    @Test("a program killed by a signal says which")
    func killed() throws {
        let program = try start("read line; kill -SEGV $$")
        #expect(throws: AgentProgramError.ended("the program was killed by signal 11 (SIGSEGV)")) { try program.exchange(line("x"), timeout: 5_000) }
    }

    @Test("a program that does not answer in time is killed with its whole group and reaped")
    func timeout() throws {
        // A child of the program, in its group, holding its output open: killed too, or the pipe would stay open.
        let program = try start("sleep 30 & read line; sleep 30")
        let pid = program.pid
        let started = Date()
        #expect(throws: AgentProgramError.timedOut(milliseconds: 300)) { try program.exchange(line("x"), timeout: 300) }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(!exists(pid))
    }

    @Test("dropping a running program kills and reaps it, and closes its pipes")
    func dropped() throws {
        var program: AgentProgram? = try start("read line; echo ok; sleep 30")
        #expect(try program!.exchange(line("x"), timeout: 5_000) == Array("ok".utf8))
        let pid = program!.pid, inodes = pipeInodes(program!)
        #expect(exists(pid))
        program = nil
        #expect(!exists(pid))
        #expect(try openPipes(inodes).isEmpty)
    }

    @Test("the program inherits only its standard input, output and error, whatever Tapebench has open")
    func descriptors() throws {
        // A descriptor without close-on-exec, as a library might leave one.
        let stray = open("/dev/null", O_RDONLY)
        defer { close(stray) }
        // `ls` lists its own descriptors: 0, 1, 2 and the directory it reads (3, the lowest free one). The
        // shell's own are not listed (dash keeps copies of redirected ones, and a pipeline's pipe, for itself).
        let program = try start("read line; echo \"$(ls /proc/self/fd | tr '\\n' ' ')\"")
        #expect(try program.exchange(line("x"), timeout: 5_000) == Array("0 1 2 3 ".utf8))
    }

    @Test("two lines for one message are an error at the next message, not a silent shift of every answer")
    func twoLines() throws {
        let program = try start("read line; echo one; echo two; read line; echo three")
        #expect(try program.exchange(line("x"), timeout: 5_000) == Array("one".utf8))
        usleep(200_000)
        #expect(throws: AgentProgramError.unaskedOutput) { try program.exchange(line("y"), timeout: 5_000) }
    }

    @Test("a program that ends with a status other than 0 after end is an error")
    func badExit() throws {
        let program = try start("read line; exit 4")
        #expect(throws: AgentProgramError.ended("the program exited with status 4")) { try program.finish(line("end"), timeout: 5_000) }
    }

    @Test("a program that cannot be started is an error in words")
    func cannotStart() {
        #expect(throws: AgentProgramError.cannotStart("No such file or directory")) {
            try AgentProgram(AgentLaunch(program: "/nonexistent/agent", arguments: ["agent"], folder: "/"), environment: [])
        }
    }
}
