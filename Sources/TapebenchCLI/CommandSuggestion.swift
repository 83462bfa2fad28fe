import ArgumentParser

/// A mistyped command gets "did you mean": the words of a command line are walked down the command tree,
/// and the first word that names no subcommand where one is expected is compared with the names there.
enum CommandSuggestion {
    /// The one line for `arguments` (without the program name), or nil when every command word is known.
    static func problem(in arguments: [String], root: ParsableCommand.Type) -> String? {
        problem(in: arguments[...], names: [name(of: root)], children: children(of: root))
    }

    private static func problem(in arguments: ArraySlice<String>, names path: [String], children: [ParsableCommand.Type]) -> String? {
        guard let word = arguments.first, !children.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
        let names = children.map(name(of:))
        if let index = names.firstIndex(of: word) {
            return problem(in: arguments.dropFirst(), names: path + [word], children: self.children(of: children[index]))
        }
        let command = path.joined(separator: " ")
        if let best = closest(to: word, among: names) {
            return "unknown command '\(word)' for '\(command)'; did you mean '\(best)'? (see '\(command) --help')"
        }
        return "unknown command '\(word)' for '\(command)'; the commands are \(names.joined(separator: ", "))"
    }

    private static func name(of command: ParsableCommand.Type) -> String { command._commandName }

    private static func children(of command: ParsableCommand.Type) -> [ParsableCommand.Type] { command.configuration.subcommands }

    /// "tapebench data inspect" for the inspect command's type.
    static func path(of command: ParsableCommand.Type, root: ParsableCommand.Type) -> String {
        func search(_ node: ParsableCommand.Type, _ path: [String]) -> [String]? {
            if ObjectIdentifier(node) == ObjectIdentifier(command) { return path }
            for child in children(of: node) {
                if let found = search(child, path + [name(of: child)]) { return found }
            }
            return nil
        }
        return (search(root, [name(of: root)]) ?? [name(of: root), name(of: command)]).joined(separator: " ")
    }

    /// The name at the smallest edit distance, if it is small for the word's length (a typo, not another
    /// word), or the one name the word is a prefix of.
    static func closest(to word: String, among names: [String]) -> String? {
        let prefixed = names.filter { $0.hasPrefix(word.lowercased()) }
        if prefixed.count == 1 { return prefixed[0] }
        let scored = names.map { (name: $0, distance: editDistance(word.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        return best.distance <= max(1, min(3, best.name.count / 2)) ? best.name : nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours
    /// ("rnu" is one swap from "run").
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0 ... x.count { table[i][0] = i }
        for j in 0 ... y.count { table[0][j] = j }
        for i in 1 ... x.count {
            for j in 1 ... y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[x.count][y.count]
    }
}
