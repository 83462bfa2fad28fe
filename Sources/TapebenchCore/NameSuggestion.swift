/// "Did you mean": the known name closest to a mistyped one. Shared by the command line (mistyped commands)
/// and the sweep (mistyped parameters and agent ids).
public enum NameSuggestion {
    /// The name at the smallest edit distance, if it is small for the word's length (a typo, not another
    /// word), or the one name the word is a prefix of.
    public static func closest(to word: String, among names: [String]) -> String? {
        let prefixed = names.filter { $0.hasPrefix(word.lowercased()) }
        if prefixed.count == 1 { return prefixed[0] }
        let scored = names.map { (name: $0, distance: editDistance(word.lowercased(), $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        return best.distance <= max(1, min(3, best.name.count / 2)) ? best.name : nil
    }

    /// `; did you mean 'x'?` when a name is close, else `; expected one of: a, b, c` (empty list: nothing).
    public static func hint(for word: String, among names: [String]) -> String {
        if let best = closest(to: word, among: names) { return "; did you mean '\(best)'?" }
        return names.isEmpty ? "" : "; expected one of: \(names.joined(separator: ", "))"
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours
    /// ("rnu" is one swap from "run").
    public static func editDistance(_ a: String, _ b: String) -> Int {
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
