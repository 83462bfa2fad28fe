import ArgumentParser
import Foundation
import TapebenchData
import TapebenchEngine

/// Runs `body`; a problem with the user's input becomes one line on stderr and exit code 2.
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ScenarioError {
        fail(error.description)
    } catch let error as DataError {
        fail(error.description)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(2)
}
