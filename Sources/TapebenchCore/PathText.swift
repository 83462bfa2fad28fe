/// Path arithmetic on text, for the few places a path is taken apart or joined. Foundation's `NSString`
/// path methods trap on some one-character paths on Linux (`("a" as NSString).deletingLastPathComponent`),
/// and `tapebench run a` must not crash because the scenario file is called `a`.
public enum PathText {
    /// `path` without trailing slashes ("/" stays "/").
    public static func trimmed(_ path: String) -> String {
        var text = Substring(path)
        while text.count > 1, text.last == "/" { text.removeLast() }
        return String(text)
    }

    /// The folder a path is in ("" for a bare name; "/" for a name in the root) and its last component.
    public static func split(_ path: String) -> (folder: String, name: String) {
        if let parts = splitASCII(path) { return parts }
        let path = trimmed(path)
        guard path != "/", let slash = path.lastIndex(of: "/") else { return ("", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    /// `split` of an ASCII path, by its bytes: in ASCII each character is one byte but CR LF, and a slash is
    /// a character of its own, so the answer is the one by characters (which walked the path's characters
    /// for each trailing-slash test, 12 k instructions a path, two paths a day file on the peers tape).
    /// Nil for any other path.
    static func splitASCII(_ path: String) -> (folder: String, name: String)? {
        let slash = UInt8(ascii: "/")
        let parts = path.utf8.withContiguousStorageIfAvailable { bytes -> (folder: String, name: String)? in
            for byte in bytes where byte >= 0x80 { return nil }
            var end = bytes.count
            while end > 1, bytes[end - 1] == slash { end -= 1 }
            if end == 1, bytes[0] == slash { return ("", "/") }
            guard let last = bytes[..<end].lastIndex(of: slash) else { return ("", String(decoding: bytes[..<end], as: UTF8.self)) }
            let folder = last == 0 ? "/" : String(decoding: bytes[..<last], as: UTF8.self)
            return (folder, String(decoding: bytes[(last + 1)..<end], as: UTF8.self))
        }
        return parts ?? nil
    }

    /// The last component: `a/b.csv` → `b.csv`.
    public static func lastComponent(_ path: String) -> String { split(path).name }

    /// The folder a path is in, "" for a bare name.
    public static func folder(_ path: String) -> String { split(path).folder }

    public static func isAbsolute(_ path: String) -> Bool { path.hasPrefix("/") }

    /// `relative` inside `folder`; an absolute `relative`, or an empty folder, leaves it as it is.
    public static func resolve(_ relative: String, in folder: String) -> String {
        if isAbsolute(relative) || folder.isEmpty { return relative }
        // One buffer, sized once: `folder + "/" + relative` made an intermediate string (a dataset joins a
        // path per file).
        var joined = String()
        joined.reserveCapacity(folder.utf8.count + 1 + relative.utf8.count)
        joined += folder
        if !folder.hasSuffix("/") { joined += "/" }
        joined += relative
        return joined
    }

    /// The last component without its final extension: `scenarios/a.yaml` → `a`; `.hidden` stays.
    public static func stem(_ path: String) -> String {
        let name = lastComponent(path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
