/// One table's rows on their way into a scratch database, `rows` at a time: one multi-row INSERT
/// (`INSERT … VALUES (…), (…), …`) runs per batch instead of one statement per row, so SQLite's cost per
/// statement (the step, the reset, the statement's start) is paid once per batch. The rows wait in `values`
/// (a reused buffer, at most one batch of rows: memory does not grow with the run); what is left at the end
/// goes in row by row (`flushRemainder`). Rows keep their order within the table.
final class RowBatch {
    let table: String
    let columnsPerRow: Int
    let rowsPerBatch: Int
    /// Rows that have gone into the table so far.
    private(set) var rowsWritten = 0
    private let batch: SQLiteStatement
    private let single: SQLiteStatement
    /// The waiting rows' values, row after row.
    var values = RowValues()
    private(set) var pending = 0

    /// `INSERT INTO table (columns)` for one row and for `rowsPerBatch` rows.
    init(table: String, columns: [String], rowsPerBatch: Int, on connection: SQLiteConnection) throws {
        self.table = table
        columnsPerRow = columns.count
        self.rowsPerBatch = rowsPerBatch
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        single = try connection.prepare(head + row)
        batch = try connection.prepare(head + Array(repeating: row, count: rowsPerBatch).joined(separator: ", "))
        values.reserve(columns: columns.count * rowsPerBatch)
    }

    /// A row's values are in `values`: returns the rows written, `rowsPerBatch` when this row completed a
    /// batch (and it went in), else 0.
    func rowEnded() throws -> Int {
        pending += 1
        precondition(values.columns.count == pending * columnsPerRow, "a row of \(values.columns.count - (pending - 1) * columnsPerRow) values for \(columnsPerRow) columns")
        guard pending == rowsPerBatch else { return 0 }
        try batch.run(values, columns: 0..<values.columns.count)
        values.removeAll()
        pending = 0
        rowsWritten += rowsPerBatch
        return rowsPerBatch
    }

    /// Writes the rows of an incomplete batch, one statement each; returns how many.
    func flushRemainder() throws -> Int {
        let rows = pending
        for row in 0..<rows {
            try single.run(values, columns: (row * columnsPerRow)..<((row + 1) * columnsPerRow))
        }
        values.removeAll()
        pending = 0
        rowsWritten += rows
        return rows
    }

    func finalize() {
        batch.finalize()
        single.finalize()
    }
}
