import Foundation
import TapebenchCore
import TapebenchData

/// Reads a fill log in any layout of `FillLogLayout`: JSON (Alpaca) by its first character, thinkorswim by
/// its `Account Trade History` section, CSV otherwise, with columns found by name (`FillColumns`) or declared.
public enum FillLogReader {
    /// Fill logs are small; a larger file is refused rather than held in memory.
    static let maximumBytes = 256 << 20

    public static func read(path: String, hints: FillLogHints = FillLogHints()) throws -> FillLog {
        let bytes = try InputFile(path: path).readAll(limit: maximumBytes, what: "a fill log")
        let lines = try textLines(bytes, path: path)
        guard let first = lines.first(where: { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw InputError(file: path, message: "empty file: expected a fill log (CSV with a header, or Alpaca's JSON)")
        }
        if first.text.trimmingCharacters(in: .whitespaces).hasPrefix("[") || first.text.trimmingCharacters(in: .whitespaces).hasPrefix("{") {
            return try AlpacaFills.read(bytes, path: path, hints: hints)
        }
        if let title = lines.firstIndex(where: { $0.text.trimmingCharacters(in: .whitespaces) == "Account Trade History" }) {
            // thinkorswim: the header follows the title; the section ends at the first blank line.
            let section = lines[(title + 1)...].prefix { !$0.text.trimmingCharacters(in: .whitespaces).isEmpty }
            guard !section.isEmpty else {
                throw InputError(file: path, line: lines[title].number + 1, message: "the Account Trade History section has no header")
            }
            return try readCSV(Array(section), path: path, hints: hints, layoutHint: .thinkorswim)
        }
        let body = Array(lines.drop { $0.text.trimmingCharacters(in: .whitespaces).isEmpty })
        return try readCSV(body, path: path, hints: hints, layoutHint: nil)
    }

    struct Line { var number: Int; var text: String }

    /// The file's records as text with their line numbers (a quoted field may span lines).
    static func textLines(_ bytes: [UInt8], path: String) throws -> [Line] {
        var splitter = LineSplitter(source: path, quoted: true)
        var lines: [Line] = []
        try bytes.withUnsafeBytes { raw in
            try splitter.feed(raw) { line, number in lines.append(Line(number: number, text: String(decoding: line, as: UTF8.self))) }
        }
        try splitter.finish { line, number in lines.append(Line(number: number, text: String(decoding: line, as: UTF8.self))) }
        return lines
    }

    static func readCSV(_ lines: [Line], path: String, hints: FillLogHints, layoutHint: FillLogLayout?) throws -> FillLog {
        let header = lines[0]
        let separator = guessSeparator(header.text)
        let names = CSVFields.split(header.text, separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }
        let columns = try FillColumns(header: names, declared: hints.columns, file: path, line: header.number)
        let layout = layoutHint ?? columns.layout
        var rows = FillRows(path: path, columns: columns, hints: hints)
        for line in lines.dropFirst() where !line.text.trimmingCharacters(in: .whitespaces).isEmpty {
            // A bad row is one problem among possibly several: all are listed, none is fitted around.
            do { try rows.add(CSVFields.split(line.text, separator: separator), line: line.number) } catch let error as InputError { rows.problems.append(error) }
        }
        return FillLog(file: path, layout: layout, fills: rows.fills, skipped: rows.skipped, problems: rows.problems)
    }

    /// The most frequent of `,` `;` tab outside quotes in the header (`,` when none).
    static func guessSeparator(_ header: String) -> UInt8 {
        var best: (UInt8, Int) = (UInt8(ascii: ","), 0)
        for candidate in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] {
            var inQuotes = false, count = 0
            for c in header.utf8 {
                if c == 34 { inQuotes.toggle() } else if c == candidate, !inQuotes { count += 1 }
            }
            if count > best.1 { best = (candidate, count) }
        }
        return best.0
    }
}

/// The rows of a CSV fill log, read one by one against the found columns. Whether quantities are signed is
/// decided by the first sell: a negative quantity there means the file signs them (IB, thinkorswim), and
/// then every sell must be negative and every buy positive; otherwise every quantity must be positive.
struct FillRows {
    let path: String
    let columns: FillColumns
    let layout: FillLogLayout
    let hints: FillLogHints
    var fills: [ObservedFill] = []
    var skipped: [(line: Int, reason: String)] = []
    var problems: [InputError] = []
    /// Tapebench's fills.csv: the variant of the first row (one per file).
    var firstVariant: (name: String, line: Int)?
    /// Whether sells are written negative, and the line that decided it.
    var signedSells: (signed: Bool, line: Int)?

    init(path: String, columns: FillColumns, hints: FillLogHints) {
        self.path = path
        self.columns = columns
        self.layout = columns.layout
        self.hints = hints
    }

    mutating func add(_ fields: [String], line: Int) throws {
        func fail(_ role: FillColumns.Role, _ message: String) -> InputError {
            InputError(file: path, line: line, field: columns.name(role) ?? role.rawValue, message: message)
        }
        func value(_ role: FillColumns.Role) -> String? {
            guard let index = columns.index[role] else { return nil }
            return index < fields.count ? fields[index].trimmingCharacters(in: .whitespaces) : ""
        }
        guard fields.count >= columns.requiredWidth else {
            throw InputError(file: path, line: line, message: "expected at least \(columns.requiredWidth) fields, found \(fields.count)")
        }
        if let detail = value(.levelOfDetail), !detail.isEmpty, detail.uppercased() != "EXECUTION" {
            skipped.append((line, "\(detail) row (not an execution)"))
            return
        }
        let rawTime = value(.time) ?? ""
        guard var time = FillFields.time(rawTime, zone: hints.timezone, order: hints.dateOrder) else {
            throw fail(.time, rawTime.isEmpty ? "empty: every fill needs its time" : "expected a date and time (2013-10-04T09:58:27-04:00, 20131004;095827, 10/4/13 09:58:27), got \(InputError.quote(rawTime))")
        }
        if layout == .tapebench {
            // Tapebench stamps a fill with its bar's end; a nanosecond earlier is inside the bar.
            time = time.adding(nanoseconds: -1)
            let variant = value(.variant) ?? ""
            if let first = firstVariant, first.name != variant {
                throw fail(.variant, "this fills.csv holds fills of fill model \(InputError.quote(first.name)) (line \(first.line)) and \(InputError.quote(variant)); calibrate one fill model's fills at a time")
            }
            if firstVariant == nil { firstVariant = (variant, line) }
        }
        var decision: Timestamp? = nil
        if let text = value(.decisionTime), !text.isEmpty {
            guard let parsed = FillFields.time(text, zone: hints.timezone, order: hints.dateOrder) else {
                throw fail(.decisionTime, "expected a date and time, got \(InputError.quote(text))")
            }
            guard parsed <= time else { throw fail(.decisionTime, "\(InputError.quote(text)) is after the fill's time: an order is decided before it fills") }
            decision = parsed
        }
        let ticker = value(.ticker) ?? ""
        guard !ticker.isEmpty else { throw fail(.ticker, "empty") }
        let quantityText = value(.quantity) ?? ""
        guard let signed = FillFields.signedQuantity(quantityText) else {
            throw fail(.quantity, "expected a whole, non-zero number of shares (at most \(Limits.maxShares)), got \(InputError.quote(quantityText))")
        }
        var side: OrderSide
        if let sideText = value(.side) {
            guard let parsed = FillFields.side(sideText) else { throw fail(.side, "expected buy or sell (BUY, SELL, BOT, SLD, sell_short), got \(InputError.quote(sideText))") }
            if parsed.cancelled {
                skipped.append((line, "cancelled trade \(InputError.quote(sideText))"))
                return
            }
            side = parsed.side
            if let message = checkSign(signed, side: side, line: line) { throw fail(.quantity, message) }
        } else {
            side = signed < 0 ? .sell : .buy  // backtrader's `amount`: the sign is the side
        }
        let priceText = value(.price) ?? ""
        guard let price = FillFields.price(priceText) else {
            throw fail(.price, priceText.isEmpty ? "empty: every fill needs its price" : "expected a positive price, got \(InputError.quote(priceText))")
        }
        var type: OrderType? = nil
        if let typeText = value(.orderType) {
            guard let parsed = FillFields.orderType(typeText) else {
                throw fail(.orderType, "expected market, limit, stop or stop_limit (MKT, LMT, STP, STPLMT), got \(InputError.quote(typeText))")
            }
            type = parsed
        }
        let orderID = value(.orderID).flatMap { $0.isEmpty ? nil : $0 }
        fills.append(ObservedFill(time: time, decisionTime: decision, ticker: ticker.uppercased(), side: side, quantity: Int64(signed.magnitude),
                                  price: price, orderType: type, orderID: orderID, line: line))
    }

    /// What is wrong with the quantity's sign on this side, or nil.
    mutating func checkSign(_ quantity: Int64, side: OrderSide, line: Int) -> String? {
        if side == .buy {
            return quantity > 0 ? nil : "\(quantity) shares on a buy: a buy's quantity is positive"
        }
        guard let decided = signedSells else {
            signedSells = (quantity < 0, line)
            return nil
        }
        if decided.signed, quantity > 0 {
            return "\(quantity) shares on a sell, but this file writes sells negative (line \(decided.line)); one convention per file"
        }
        if !decided.signed, quantity < 0 {
            return "\(quantity) shares on a sell, but this file writes quantities unsigned (line \(decided.line)); one convention per file"
        }
        return nil
    }
}
