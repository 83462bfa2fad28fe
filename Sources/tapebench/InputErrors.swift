import ArgumentParser
import Foundation
import TapebenchCore

/// Runs `body`; a problem with the user's input becomes one line on stderr and exit code 2.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as InputError {
        fail(error.description)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(2)
}
