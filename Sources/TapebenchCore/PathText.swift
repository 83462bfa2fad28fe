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
        let path = trimmed(path)
        guard path != "/", let slash = path.lastIndex(of: "/") else { return ("", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
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
