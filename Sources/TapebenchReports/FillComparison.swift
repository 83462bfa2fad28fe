/// Two fills.csv files compared fill by fill: a fill is matched by its agent, variant and order id (and
/// its place among that order's partial fills), never by its row number, so a lane that did not change
/// shows no difference however the other lanes moved; a matched fill that differs names the columns that
/// changed.
public struct FillComparison: Sendable, Equatable {
    /// The first fill that differs, in words: "2024-03-04T14:51:00Z AAPL buy, order 1 (vwap-mr under seed): price 91.229122 → 91.23".
    public var first: String?
    public var changed = 0
    public var added = 0
    public var removed = 0

    public var differing: Int { changed + added + removed }

    public init(old: String, new: String) {
        let before = Rows(old), after = Rows(new)
        let afterByKey = Dictionary(after.rows.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let beforeKeys = Set(before.rows.map(\.key))
        let columns = before.header.filter { $0 != "order_id" }
        let newColumns = after.header.filter { !before.header.contains($0) }
        // The old file's order first (changed and gone fills), then the new fills: the first difference is
        // the earliest old fill that did not stay as it was.
        for row in before.rows {
            guard let match = afterByKey[row.key] else {
                removed += 1
                if first == nil { first = "\(row.title) is gone" }
                continue
            }
            let moved = columns.compactMap { column -> String? in
                let (x, y) = (row.fields[column] ?? "–", match.fields[column] ?? "–")
                return x == y ? nil : "\(column) \(x) → \(y)"
            } + newColumns.map { "\($0) \(match.fields[$0] ?? "–") added" }
            if !moved.isEmpty {
                changed += 1
                if first == nil { first = "\(row.title): " + moved.joined(separator: ", ") }
            }
        }
        for row in after.rows where !beforeKeys.contains(row.key) {
            added += 1
            if first == nil { first = "\(row.title) is new" }
        }
    }

    public var lines: [String] {
        guard let first else { return [] }
        var counts: [String] = []
        if changed > 0 { counts.append("\(changed) changed") }
        if added > 0 { counts.append("\(added) new") }
        if removed > 0 { counts.append("\(removed) gone") }
        let more = differing > 1 ? " (fills: \(counts.joined(separator: ", ")))" : ""
        return ["first differing fill: \(first)\(more)"]
    }

    /// A fills.csv read by its header's names (older files with fewer columns still compare).
    struct Rows {
        struct Row {
            var key: String
            var fields: [String: String]

            var title: String {
                let order = fields["order_id"].map { ", order \($0)" } ?? ""
                return "\(fields["time"] ?? "?") \(fields["ticker"] ?? "?") \(fields["side"] ?? "?")\(order) (\(fields["agent"] ?? "?") under \(fields["variant"] ?? "seed"))"
            }
        }

        var header: [String] = []
        var rows: [Row] = []

        init(_ text: String) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            guard let first = lines.first else { return }
            header = Self.fields(first)
            var seen: [String: Int] = [:]
            for (index, line) in lines.dropFirst().enumerated() {
                let values = Self.fields(line)
                var fields: [String: String] = [:]
                for (column, value) in zip(header, values) { fields[column] = value }
                // Rows without an order id (not a Tapebench fills.csv) match by position.
                let order = fields["order_id"].map { "\(fields["agent"] ?? "")|\(fields["variant"] ?? "")|\($0)" } ?? "row \(index)"
                let occurrence = seen[order, default: 0]
                seen[order] = occurrence + 1
                rows.append(Row(key: "\(order)#\(occurrence)", fields: fields))
            }
        }

        /// Tapebench writes fills.csv without quoted commas (names are safe names, rules are words).
        static func fields(_ line: Substring) -> [String] {
            line.split(separator: ",", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        }
    }
}
