#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AgentProgram {
    // Wait statuses, errors and clocks in words and numbers.

    static func exitedCleanly(_ status: Int32) -> Bool { status & 0x7F == 0 && (status >> 8) & 0xFF == 0 }

    /// A wait status in words: `the program exited with status 1`, `… was killed by signal 11 (SIGSEGV)`.
    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7F
        if signal == 0 { return "the program exited with status \((status >> 8) & 0xFF)" }
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGBUS: "SIGBUS",
                                      SIGFPE: "SIGFPE", SIGILL: "SIGILL", SIGPIPE: "SIGPIPE", SIGINT: "SIGINT"]
        return "the program was killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
    }

    static func words(_ code: Int32) -> String { String(cString: strerror(code)) }

    static func close(_ fds: [Int32]) {
        for fd in fds where fd >= 0 { _ = systemClose(fd) }
    }

    static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000 + Int64(now.tv_nsec) / 1_000_000
    }
}

/// `write` with SIGPIPE blocked on this thread: a program that ended gives EPIPE, not a signal that would
/// end Tapebench. A SIGPIPE that the write raised is taken off the thread before the mask is restored.
func writeIgnoringSIGPIPE(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    var pipeOnly = sigset_t(), previous = sigset_t()
    sigemptyset(&pipeOnly)
    sigaddset(&pipeOnly, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &pipeOnly, &previous)
    let result = write(fd, bytes, count)
    let failure = errno
    #if os(Linux)
    if result < 0, failure == EPIPE, sigismember(&previous, SIGPIPE) == 0 {
        var zero = timespec()
        _ = sigtimedwait(&pipeOnly, nil, &zero)
    }
    #endif
    pthread_sigmask(SIG_SETMASK, &previous, nil)
    errno = failure
    return result
}
