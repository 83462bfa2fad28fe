import ArgumentParser

/// How many threads a replaying command uses. The reports are the same bytes whatever the number.
struct ThreadOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Threads to use (default: the machine's cores). 1: everything on one thread; more: the data is read on a thread of its own and the lanes (agent × fill model) are shared out among the threads. The reports do not depend on it.",
        valueName: "n"))
    var threads: Int?

    func validate() throws {
        if let threads, !(1...1_024).contains(threads) { throw ValidationError("--threads takes a whole number from 1 to 1024, got \(threads)") }
    }
}
