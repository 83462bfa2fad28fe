import ArgumentParser
import Foundation
import TapebenchCore
import TapebenchReports

/// Runs `body`; a problem with the user's input becomes one line on stderr and exit code 2.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        fail(error.description)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(ErrorReport.oneLine(message))\n".utf8))
    exit(ErrorReport.inputOrEnvironment)
}

/// How a command that writes an output folder treats another tapebench writing the same folder.
struct WriteLockOptions: ParsableArguments {
    @Flag(help: "Do not wait for another tapebench writing the same output folder: fail at once, naming its process.")
    var noWait = false

    func options(for folder: String) -> WriteOptions {
        var options = WriteOptions(wait: noWait ? .no : .forever)
        options.waiting = { holder in
            let who = holder.map { "process \($0)" } ?? "another process"
            FileHandle.standardError.write(Data("tapebench: waiting for \(who), which is writing \(folder)\n".utf8))
        }
        return options
    }
}
