import Testing
import TapebenchCore

/// `PathText.split` reads an ASCII path by its bytes (a day file's path is split twice while a dataset is
/// listed): the same folder and name as the reading by characters it replaced, on seeded random paths of
/// slashes, names, dots, CR LF and non-ASCII text (the byte reading is only for ASCII paths).
@Suite struct PathTextSplitTests {
    /// The reading by characters, as `PathText.split` was.
    static func byCharacters(_ path: String) -> (folder: String, name: String) {
        var text = Substring(path)
        while text.count > 1, text.last == "/" { text.removeLast() }
        let trimmed = String(text)
        guard trimmed != "/", let slash = trimmed.lastIndex(of: "/") else { return ("", trimmed) }
        let folder = String(trimmed[..<slash])
        return (folder.isEmpty ? "/" : folder, String(trimmed[trimmed.index(after: slash)...]))
    }

    @Test("random paths: the folder and name by characters", arguments: 0..<10)
    func randomPaths(seed: UInt64) {
        var rng = SplitMix64(seed: 0x9A7 &+ seed)
        let pieces = ["/", "/", "/", "a", "data", ".", "2024-03-11.csv.gz", "\r\n", "\r", "\n", " ", "é", "\u{301}", "日本"]
        for round in 0..<1_000 {
            // Every other round ASCII only, the byte path's case.
            let choices = round % 2 == 0 ? pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } } : pieces
            let path = (0..<Int(rng.next() % 9)).map { _ in choices[Int(rng.next() % UInt64(choices.count))] }.joined()
            let expected = Self.byCharacters(path)
            let found = PathText.split(path)
            #expect(found.folder == expected.folder && found.name == expected.name, "\(Array(path.utf8))")
        }
    }

    @Test("paths by hand")
    func byHand() {
        let cases: [(String, String, String)] = [
            ("", "", ""), ("/", "", "/"), ("//", "", "/"), ("a", "", "a"), ("a/", "", "a"), ("/a", "/", "a"), ("/a/", "/", "a"),
            ("a/b", "a", "b"), ("a//b", "a/", "b"), ("a/b//", "a", "b"), ("/data/us_stocks_sip/2024-03-11.csv.gz", "/data/us_stocks_sip", "2024-03-11.csv.gz"),
            ("é/b", "é", "b"), ("a/\u{301}b", "", "a/\u{301}b"),
        ]
        for (path, folder, name) in cases {
            let found = PathText.split(path)
            #expect(found.folder == folder && found.name == name, "\(path)")
        }
    }
}
