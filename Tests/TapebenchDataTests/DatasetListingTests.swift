import Foundation
import Testing
import TapebenchCore
@testable import TapebenchData

/// A dataset folder is listed with `readdir` (no URL and no `stat` per ordinary file): the same files as
/// FileManager's enumerator gave, hidden ones skipped, links to files kept, links to folders not followed.
@Suite struct DatasetListingTests {
    static func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/tapebench-listing-\(UUID().uuidString)"
        let manager = FileManager.default
        for sub in ["sub/deeper", ".hidden", "sub/.inner", "empty"] {
            try manager.createDirectory(atPath: path + "/" + sub, withIntermediateDirectories: true)
        }
        for file in ["a.csv", "b.txt", ".dot.csv", "sub/c.csv", "sub/deeper/d.csv", ".hidden/e.csv", "sub/.inner/f.csv", "sub/.g.csv"] {
            #expect(manager.createFile(atPath: path + "/" + file, contents: Data("x\n".utf8)))
        }
        try manager.createSymbolicLink(atPath: path + "/link-to-file.csv", withDestinationPath: path + "/a.csv")
        try manager.createSymbolicLink(atPath: path + "/link-to-folder", withDestinationPath: path + "/sub")
        try manager.createSymbolicLink(atPath: path + "/dangling.csv", withDestinationPath: path + "/nowhere.csv")
        return path
    }

    @Test("files at every depth, sorted; hidden files and folders, folder links and dangling links left out")
    func listing() throws {
        let path = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected = ["a.csv", "b.txt", "link-to-file.csv", "sub/c.csv", "sub/deeper/d.csv"].map { path + "/" + $0 }
        #expect(try Dataset.listFiles(path) == expected)
        // A trailing slash: the same files, written without a doubled slash.
        #expect(try Dataset.listFiles(path + "/") == expected)
        // A file is itself; a missing path is the one input error.
        #expect(try Dataset.listFiles(path + "/a.csv") == [path + "/a.csv"])
        #expect(throws: InputError.self) { try Dataset.listFiles(path + "/missing") }
    }
}
