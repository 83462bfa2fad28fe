import ArgumentParser
import TapebenchCore

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

    /// The name closest to `word` (`NameSuggestion`, shared with the sweep's parameter names).
    static func closest(to word: String, among names: [String]) -> String? { NameSuggestion.closest(to: word, among: names) }
}
