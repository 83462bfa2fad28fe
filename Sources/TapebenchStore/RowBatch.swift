/// One table's rows on their way into a scratch database, `rows` at a time: one multi-row INSERT
/// (`INSERT … VALUES (…), (…), …`) runs per batch instead of one statement per row, so SQLite's cost per
/// statement (the step, the reset, the statement's start) is paid once per batch. The rows wait in `values`
/// (a reused buffer, at most one batch of rows: memory does not grow with the run); what is left at the end
/// goes in row by row (`flushRemainder`). Rows keep their order within the table.
///
/// A table whose ids the store counts itself, 1, 2, 3, … after a first id (`Numbering.consecutive`), gives
/// SQLite only its first row's id: the rest are inserted without one, and SQLite numbers each the largest
/// id so far plus one, which is the id the row carries (checked row by row). A row given its id makes SQLite
/// look the id up first (is it taken?), from the table's root down to a leaf: ≈ 940 instructions a row, 0.9 %
/// of the 200 × 13 run, for its 93,838 signals.
///
/// A column with the same integer in every row (a lane's `account_id`) is written into the statements as a
/// literal (`fixed`): it is stored as the same integer, and no row binds it (a bind and a value a row).
final class RowBatch {
    /// How the rows' ids (each row's first column) reach SQLite.
    enum Numbering {
        /// Each row's id is bound (ids in any order).
        case given
        /// The first row's id is bound; every later row's is the one before plus one, and SQLite assigns it.
        case consecutive
    }

    // Unchecked exclusivity on what changes per row (as `LaneSink`'s): one thread uses a batch, and no
    // access overlaps another (a row's values are appended through `values` by the store, then `rowEnded`).
    let table: String
    let columnsPerRow: Int
    let rowsPerBatch: Int
    let numbering: Numbering
    /// Rows that have gone into the table so far.
    @exclusivity(unchecked) private(set) var rowsWritten = 0
    /// The columns, and those with the same value in every row (`fixed`), to write the INSERTs from.
    private let columns: [String]
    private let fixed: [String: Int64]
    private unowned let connection: SQLiteConnection
    /// The one-row INSERT, the `rowsPerBatch`-row one, and the first row's with its id (`consecutive`), each
    /// prepared when first run (`statement`): a table that never fills a batch (a tape's run gives no signal)
    /// prepares no `rowsPerBatch`-row statement, the costliest (≈ 0.6 M instructions each).
    private var singleRow, manyRows, firstRow: SQLiteStatement?
    /// The id the next row must carry (`consecutive`, after the first row).
    @exclusivity(unchecked) private var nextID: Int64?
    /// The waiting rows' values, row after row.
    @exclusivity(unchecked) var values = RowValues()
    @exclusivity(unchecked) private(set) var pending = 0

    /// `INSERT INTO table (columns)` for one row and for `rowsPerBatch` rows; with `consecutive` numbering
    /// (`columns` starts with the id), those two without the id and one more for the first row with it.
    /// `fixed`: columns of `columns` with the same value in every row, which the rows leave out.
    init(table: String, columns: [String], fixed: [String: Int64] = [:], rowsPerBatch: Int, numbering: Numbering = .given,
         on connection: SQLiteConnection) throws {
        self.table = table
        columnsPerRow = columns.count(where: { fixed[$0] == nil })
        self.rowsPerBatch = rowsPerBatch
        self.numbering = numbering
        self.columns = columns
        self.fixed = fixed
        self.connection = connection
        values.reserve(columns: columnsPerRow * rowsPerBatch)
    }

    /// `slot`'s statement, prepared first if it is not yet: the INSERT of `rows` rows, the ids bound when the
    /// numbering is `given` or `withID`.
    private func statement(_ slot: inout SQLiteStatement?, rows: Int, withID: Bool = false) throws -> SQLiteStatement {
        if let statement = slot { return statement }
        let bound = numbering == .given || withID ? columns : Array(columns.dropFirst())
        let row = "(" + bound.map { fixed[$0].map { String($0) } ?? "?" }.joined(separator: ", ") + ")"
        let statement = try connection.prepare("INSERT INTO \(table) (\(bound.joined(separator: ", "))) VALUES "
                                               + Array(repeating: row, count: rows).joined(separator: ", "))
        slot = statement
        return statement
    }

    /// A row's values are in `values`: returns the rows written, `rowsPerBatch` when this row completed a
    /// batch (and it went in), 1 when it was the first row of a `consecutive` table (it goes in at once),
    /// else 0.
    func rowEnded() throws -> Int {
        pending += 1
        precondition(values.columns.count == pending * columnsPerRow, "a row of \(values.columns.count - (pending - 1) * columnsPerRow) values for \(columnsPerRow) columns")
        if numbering == .consecutive {
            guard case .integer(let id) = values.columns[(pending - 1) * columnsPerRow] else { preconditionFailure("a row of \(table) without its id") }
            if let expected = nextID {
                precondition(id == expected, "row \(id) of \(table) after row \(expected - 1): its ids are not consecutive")
            } else {
                try statement(&firstRow, rows: 1, withID: true).run(values, rows: 0..<1, of: columnsPerRow)
                values.removeAll()
                pending = 0
                rowsWritten = 1
                nextID = id + 1
                return 1
            }
            nextID = id + 1
        }
        guard pending == rowsPerBatch else { return 0 }
        try statement(&manyRows, rows: rowsPerBatch).run(values, rows: 0..<pending, of: columnsPerRow, skippingIDs: numbering == .consecutive)
        values.removeAll()
        pending = 0
        rowsWritten += rowsPerBatch
        return rowsPerBatch
    }

    /// Writes the rows of an incomplete batch, one statement each; returns how many.
    func flushRemainder() throws -> Int {
        let rows = pending
        for row in 0..<rows {
            try statement(&singleRow, rows: 1).run(values, rows: row..<(row + 1), of: columnsPerRow, skippingIDs: numbering == .consecutive)
        }
        values.removeAll()
        pending = 0
        rowsWritten += rows
        return rows
    }

    func finalize() {
        for statement in [singleRow, manyRows, firstRow] { statement?.finalize() }
        (singleRow, manyRows, firstRow) = (nil, nil, nil)
    }
}
