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

    /// `Dataset.flatFileDate` as it was written before its suffix was compared as bytes: by characters.
    static func flatFileDateByCharacters(_ name: String) -> String? {
        for suffix in [".csv.gz", ".csv"] where name.hasSuffix(suffix) {
            let stem = String(name.dropLast(suffix.count))
            return CivilDate(iso: stem) != nil ? stem : nil
        }
        return nil
    }

    @Test("a day file's date from its name: the same answers as comparing the suffix by characters")
    func flatFileDates() {
        var names = ["2024-03-11.csv.gz", "2024-03-11.csv", "2024-02-30.csv.gz", "2024-02-29.csv", "2023-02-29.csv", "2024-3-11.csv",
                     "2024-03-11.CSV", "2024-03-11.csv.gz.bak", "2024-03-11.txt", ".csv", ".csv.gz", "csv.gz", "", "x",
                     "2024-+3-05.csv", "20240311.csv.gz", "2024-03-11.gz", "2024-03-11csv", "2024-03-11..csv",
                     // A dot joined to the character before it (U+0600 is a prepended mark) or after it, a combining
                     // accent at the end, a kelvin sign: characters and bytes disagree on the suffix, not on the date.
                     "2024-03-11\u{600}.csv.gz", "2024-03-11\u{600}.csv", "2024-03-11.csv.gz\u{301}", "2024-03-11.csv\u{301}",
                     "2024-03-1\u{212A}.csv", "é.csv.gz", "2024-03-11\u{301}.csv"]
        var generator = SplitMix64(seed: 11)
        let pieces = ["2024", "-", "03", "11", ".csv", ".gz", "0", "\u{600}", "\u{301}", "+", "12-31", "1999-"]
        for _ in 0..<2_000 {
            names.append((0..<Int.random(in: 1...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
        }
        for name in names {
            let expected = Self.flatFileDateByCharacters(name)
            #expect(Dataset.flatFileDate(name) == expected, "\(name.unicodeScalars.map { String($0.value, radix: 16) })")
            #expect(Dataset.flatFileCivilDate(name) == expected.flatMap(CivilDate.init(iso:)), "\(name)")
            if expected != nil { #expect(Dataset.flatFileStem(name) == expected) }
        }
        #expect(Dataset.flatFileCivilDate("2024-03-11.csv.gz") == CivilDate(year: 2024, month: 3, day: 11))
    }
}
