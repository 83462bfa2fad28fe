import TapebenchCore
import Yams

/// Typed, located access to a YAML mapping: every value read knows its dotted path and line, unknown
/// keys are errors, and every error is a `InputError` naming file, line and field.
struct YAMLFields {
    let file: String
    let path: String
    let line: Int?
    private(set) var entries: [(key: String, value: Node, line: Int?)] = []
    private var used: Set<String> = []

    /// Every key counts as read (a mapping taken whole, as `json()` takes it).
    mutating func markAllUsed() { used.formUnion(keys) }

    init(_ node: Node, file: String, path: String) throws {
        self.file = file
        self.path = path
        self.line = node.mark?.line
        guard let mapping = node.mapping else {
            throw InputError(file: file, line: node.mark?.line, field: path.isEmpty ? nil : path, message: "expected a mapping of keys to values")
        }
        for (key, value) in mapping {
            guard let name = key.string else {
                throw InputError(file: file, line: key.mark?.line, field: path.isEmpty ? nil : path, message: "keys must be strings")
            }
            if entries.contains(where: { $0.key == name }) {
                throw InputError(file: file, line: key.mark?.line, field: qualified(name), message: "key given twice")
            }
            entries.append((name, value, key.mark?.line))
        }
    }

    /// The keys, in file order.
    var keys: [String] { entries.map(\.key) }

    func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func error(_ key: String, _ message: String, node: Node? = nil) -> InputError {
        InputError(file: file, line: node?.mark?.line ?? entries.first { $0.key == key }?.line ?? line, field: qualified(key), message: message)
    }

    mutating func node(_ key: String) -> Node? {
        used.insert(key)
        return entries.first { $0.key == key }?.value
    }

    mutating func required(_ key: String) throws -> Node {
        guard let value = node(key) else {
            throw InputError(file: file, line: line, field: qualified(key), message: "required key is missing")
        }
        return value
    }

    /// Fails on keys that were never asked for, naming the first (in file order) and the known ones.
    func rejectUnknownKeys(known: [String]) throws {
        if let unknown = entries.first(where: { !used.contains($0.key) }) {
            throw InputError(file: file, line: unknown.line, field: qualified(unknown.key),
                                message: known.isEmpty ? "unknown key; none is expected here" : "unknown key; expected one of: \(known.joined(separator: ", "))")
        }
    }

    // MARK: - Typed values

    mutating func string(_ key: String) throws -> String? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, !scalar.string.isEmpty else { throw error(key, "expected a text value", node: value) }
        return scalar.string
    }

    mutating func requiredString(_ key: String) throws -> String {
        _ = try required(key)
        return try string(key)!
    }

    mutating func boolean(_ key: String) throws -> Bool? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, let flag = ["true": true, "false": false, "yes": true, "no": false][scalar.string.lowercased()] else {
            throw error(key, "expected true or false, got \(InputError.quote(value.string ?? "a collection"))", node: value)
        }
        return flag
    }

    mutating func integer(_ key: String, range: ClosedRange<Int64>) throws -> Int64? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, let number = Int64(scalar.string) else {
            throw error(key, "expected a whole number, got \(InputError.quote(value.string ?? "a collection"))", node: value)
        }
        guard range.contains(number) else { throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)", node: value) }
        return number
    }

    /// A decimal, exactly, within `range`.
    mutating func decimal(_ key: String, range: ClosedRange<Fixed>) throws -> Fixed? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, let number = Fixed(parsing: scalar.string) else {
            throw error(key, "expected a number, got \(InputError.quote(value.string ?? "a collection"))", node: value)
        }
        guard range.contains(number) else { throw error(key, "must be between \(range.lowerBound) and \(range.upperBound), got \(number)", node: value) }
        return number
    }

    /// A decimal with at most `fractionDigits` decimals, within `range`. More digits are refused, not rounded,
    /// so the value used is the value written (`0.00001` for four decimals is an error, and so is `1e-9`,
    /// which `Fixed` alone would round to 0).
    mutating func decimal(_ key: String, range: ClosedRange<Fixed>, fractionDigits: Int) throws -> Fixed? {
        guard let number = try decimal(key, range: range) else { return nil }
        var step: Int64 = 1
        for _ in fractionDigits..<Fixed.fractionDigits { step *= 10 }
        let text = entries.first { $0.key == key }?.value.string ?? ""
        let written = number.raw % step == 0 && (Fixed.significantFractionDigits(text) ?? 0) <= fractionDigits
        guard written else { throw error(key, "at most \(fractionDigits) decimals, got \(InputError.quote(text))") }
        return number
    }

    /// A percentage (`20` or `12.5`) as whole basis points.
    mutating func percentAsBasisPoints(_ key: String, range: ClosedRange<Fixed>) throws -> Int64? {
        guard let percent = try decimal(key, range: range) else { return nil }
        guard percent.raw % 1_000_000 == 0 else { throw error(key, "at most two decimals (whole basis points), got \(percent)") }
        return percent.raw / 1_000_000
    }

    mutating func date(_ key: String) throws -> CivilDate? {
        guard let value = node(key) else { return nil }
        guard case .scalar(let scalar) = value, let date = CivilDate(iso: scalar.string) else {
            throw error(key, "expected a date as YYYY-MM-DD, got \(InputError.quote(value.string ?? "a collection"))", node: value)
        }
        return date
    }

    mutating func strings(_ key: String) throws -> [(value: String, line: Int?)]? {
        guard let value = node(key) else { return nil }
        let items: [Node]
        if case .scalar = value { items = [value] } else if let sequence = value.sequence { items = Array(sequence) } else {
            throw error(key, "expected a list", node: value)
        }
        return try items.map { item in
            guard case .scalar(let scalar) = item, !scalar.string.isEmpty else { throw error(key, "expected a list of text values", node: item) }
            return (scalar.string, item.mark?.line)
        }
    }

    mutating func mapping(_ key: String) throws -> YAMLFields? {
        guard let value = node(key) else { return nil }
        return try YAMLFields(value, file: file, path: qualified(key))
    }
}
