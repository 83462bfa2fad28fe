import Foundation
import Testing
import TapebenchTestSupport
@testable import TapebenchReports

@Suite("FileSystem.entries: a folder's names, all or those with a prefix")
struct FileSystemTests {
    @Test("with a prefix only the matching names come back, sorted; without one every name but . and ..")
    func entriesWithPrefix() throws {
        let folder = try TestScratch.folder("entries")
        let names = ["report", ".report", ".report.v2", ".report.v10", ".reports", ".report.staging-7", "zeta", ".r", "é.report."]
        for name in names {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data()))
        }
        #expect(try FileSystem.entries(folder, startingWith: ".report.") == [".report.staging-7", ".report.v10", ".report.v2"])
        #expect(try FileSystem.entries(folder, startingWith: ".report.v") == [".report.v10", ".report.v2"])
        #expect(try FileSystem.entries(folder, startingWith: "nothing") == [])
        #expect(try FileSystem.entries(folder) == names.sorted())
    }

    @Test("a missing folder is an error naming it")
    func missingFolder() throws {
        let missing = try TestScratch.folder("missing") + "/not-here"
        #expect(throws: (any Error).self) { try FileSystem.entries(missing, startingWith: ".x.") }
    }
}
