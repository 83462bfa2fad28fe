import Foundation
import GRDBSQLite
import TapebenchCore

/// A SQLite connection used through the C API, for writers that insert a row per event: statements are
/// prepared once and reused for the whole run, and a row's text is bound straight from a reused byte
/// buffer (`RowValues`), so an insert allocates nothing. Used by one thread at a time (a lane's); GRDB
/// (`DatabaseQueue`) does the rest of the store's work.
final class SQLiteConnection {
    let path: String
    private(set) var handle: OpaquePointer?

    /// Opens (creating) the database at `path`, without the connection's mutex (`SQLITE_OPEN_NOMUTEX`): the
    /// connection and its statements are used by one thread at a time (a lane's), so the lock SQLite takes
    /// and releases in every bind, step and reset guards nothing (≈ 1 % of the 200 × 13 run's CPU time went
    /// to those locks).
    init(path: String) throws {
        self.path = path
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        self.handle = handle
        if code != SQLITE_OK {
            let error = failure(code, action: "cannot create the database")
            close()
            throw error
        }
    }

    deinit { close() }

    /// Whether SQLite locks the connection's mutex in every call (it does not: `init`).
    var locksEachCall: Bool { handle.map { sqlite3_db_mutex($0) != nil } ?? false }

    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        if code != SQLITE_OK { throw failure(code, action: "cannot write the database") }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code, action: "cannot write the database") }
        return SQLiteStatement(pointer: statement, connection: self)
    }

    /// A SQLite result code in words, naming the database.
    func failure(_ code: Int32, action: String) -> FileSystemError {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return RunDatabase.failure(code: code, message: message, path: path, action: action)
    }
}

/// A prepared statement and the connection it belongs to; finalized by its owner (`finalize`).
struct SQLiteStatement {
    let pointer: OpaquePointer
    unowned let connection: SQLiteConnection
    /// The value each parameter holds from the runs before (`Held`): SQLite keeps a parameter's value from
    /// one run to the next, so a parameter given the value it holds already is not bound again. A bind is
    /// 80 to 180 instructions; a row's nulls, flags and zero amounts mostly repeat those of the row in its
    /// place in the batch before (an order's stop price, a signal's strength and `acted_on`).
    private let held: UnsafeMutableBufferPointer<Held>

    /// A parameter's value, as far as it can be compared without reading text: an integer, a real (by its
    /// bits), null or a constant text (by its address, `RowValues.Column.constant`). Any other text is
    /// `unknown`: its bytes sit in a buffer reused batch after batch, so an address says nothing of them.
    struct Held: Equatable {
        enum Kind: UInt8 { case unknown, integer, real, null, constant }
        var kind: Kind
        var bits: UInt64

        static let unknown = Held(kind: .unknown, bits: 0)
    }

    init(pointer: OpaquePointer, connection: SQLiteConnection) {
        self.pointer = pointer
        self.connection = connection
        held = .allocate(capacity: Int(max(sqlite3_bind_parameter_count(pointer), 0)))
        held.initialize(repeating: .unknown)
    }

    /// Binds the values of `rows` (rows of `columnsPerRow` values each, in `values.columns`) to the
    /// statement's parameters 1, 2, …, leaving out each row's first value (its id) when `skippingIDs`, runs
    /// it once, and resets it for the next rows. Every parameter ends up holding its value (bound now, or
    /// left as it was when it held that value already: `held`), so no binding is cleared.
    func run(_ values: borrowing RowValues, rows: Range<Int>, of columnsPerRow: Int, skippingIDs: Bool = false) throws {
        let columns = values.columns
        let code: Int32 = values.text.withUnsafeBytes { text in
            var position: Int32 = 1
            for row in rows {
                for index in (row * columnsPerRow + (skippingIDs ? 1 : 0))..<((row + 1) * columnsPerRow) {
                    let slot = Int(position) - 1
                    switch columns[index] {
                    case .integer(let value):
                        let now = Held(kind: .integer, bits: UInt64(bitPattern: value))
                        if held[slot] != now { sqlite3_bind_int64(pointer, position, value) }
                        held[slot] = now
                    case .real(let value):
                        let now = Held(kind: .real, bits: value.bitPattern)
                        if held[slot] != now { sqlite3_bind_double(pointer, position, value) }
                        held[slot] = now
                    case .null:
                        let now = Held(kind: .null, bits: 0)
                        if held[slot] != now { sqlite3_bind_null(pointer, position) }
                        held[slot] = now
                    case let .text(start, count):
                        // SQLITE_STATIC (nil): the bytes stay put until the statement has run, below.
                        sqlite3_bind_text(pointer, position, (text.baseAddress! + start).assumingMemoryBound(to: CChar.self),
                                          Int32(count), nil)
                        held[slot] = .unknown
                    case let .constant(address, count):
                        // SQLITE_STATIC: a constant's bytes outlive the statement (`ConstantTexts`).
                        let now = Held(kind: .constant, bits: UInt64(UInt(bitPattern: address)))
                        if held[slot] != now { sqlite3_bind_text(pointer, position, address, count, nil) }
                        held[slot] = now
                    }
                    position += 1
                }
            }
            let code = sqlite3_step(pointer)
            sqlite3_reset(pointer)
            return code
        }
        if code != SQLITE_DONE { throw connection.failure(code, action: "cannot write the database") }
    }

    func finalize() {
        sqlite3_finalize(pointer)
        held.deallocate()
    }
}

/// Rows' values for `SQLiteStatement.run`, built in place and reused batch after batch: text goes into one
/// byte buffer (a time written by `ByteText`, no `String` made), columns point into it. The columns are kept
/// in storage of the values' own (grown by doubling, never shrunk), not an array: an array's append checks
/// its buffer's uniqueness and capacity and its read checks the index, ≈ 20 instructions a column of the
/// 7 million a run of 500 × 26 writes. Not copyable: no copy shares (or frees) the storage.
struct RowValues: ~Copyable {
    enum Column {
        case integer(Int64)
        case real(Double)
        case null
        case text(start: Int, count: Int)
        /// Text that stays put for as long as the statements it is bound to (`ConstantTexts`).
        case constant(UnsafePointer<CChar>, count: Int32)
    }

    var text = ByteText(capacity: 8_192)
    /// `columnCount` columns, in storage for `columnCapacity` (`Column` is trivial: nothing to deinitialize).
    private var columnStorage: UnsafeMutablePointer<Column>
    private var columnCapacity: Int
    private(set) var columnCount = 0
    private var recentTimes = RecentTimes()
    /// The date part of the last time formatted (most rows of a run share their day with the one before).
    private var day = DayText()

    init() {
        columnCapacity = 24
        columnStorage = .allocate(capacity: columnCapacity)
    }

    deinit { columnStorage.deallocate() }

    /// The columns so far; valid until the values next change.
    var columns: UnsafeBufferPointer<Column> { UnsafeBufferPointer(start: columnStorage, count: columnCount) }

    mutating func reserve(columns count: Int) { if count > columnCapacity { grow(to: count) } }

    private mutating func grow(to capacity: Int) {
        let storage = UnsafeMutablePointer<Column>.allocate(capacity: capacity)
        storage.moveInitialize(from: columnStorage, count: columnCount)
        columnStorage.deallocate()
        columnStorage = storage
        columnCapacity = capacity
    }

    private mutating func append(_ column: Column) {
        if columnCount == columnCapacity { grow(to: columnCapacity * 2) }
        (columnStorage + columnCount).initialize(to: column)
        columnCount += 1
    }

    mutating func removeAll() {
        text.removeAll()
        columnCount = 0
    }

    mutating func integer(_ value: Int64) { append(.integer(value)) }
    mutating func integer(_ value: Int) { append(.integer(Int64(value))) }
    mutating func integer(_ value: Int64?) { append(value.map { .integer($0) } ?? .null) }
    mutating func null() { append(.null) }
    mutating func real(_ value: Double) { append(.real(value)) }
    /// Money and prices as REAL, for querying (the exact values are in report.json and the CSV files).
    mutating func money(_ value: Fixed) { append(.real(value.doubleValue)) }
    mutating func money(_ value: Fixed?) { if let value { money(value) } else { append(.null) } }

    mutating func text(_ value: String) {
        let start = text.count
        text.append(value)
        append(.text(start: start, count: text.count - start))
    }

    mutating func text(_ value: String?) { if let value { text(value) } else { append(.null) } }

    /// `value`, as the constant of `constants` when it is one of them.
    mutating func text(_ value: String, from constants: ConstantTexts) {
        if let constant = constants.column(for: value) { append(constant) } else { text(value) }
    }

    /// A case's raw value, as its constant in `constants` (found by the case, no text compared).
    mutating func text<Case>(_ value: Case, from constants: CaseTexts<Case>) {
        if let constant = constants.column(for: value) { append(constant) } else { text(value.rawValue) }
    }

    /// A signal's reason, as its constant in `constants` when it keeps one (`ReasonTexts`), else written.
    mutating func text(_ reason: SignalReason?, from constants: ReasonTexts) {
        guard let reason else { return append(.null) }
        if let constant = constants.column(for: reason) { append(constant) } else { text(writing: reason.write(to:)) }
    }

    /// Text written by `write` straight into the buffer (a reason: its text is never a `String` of its own).
    mutating func text(writing write: (inout ByteText) -> Void) {
        let start = text.count
        write(&text)
        append(.text(start: start, count: text.count - start))
    }

    mutating func text(_ reason: OrderReason?) {
        guard let reason else { return append(.null) }
        text(writing: reason.write(to:))
    }

    mutating func text(_ reason: SignalReason?) {
        guard let reason else { return append(.null) }
        text(writing: reason.write(to:))
    }

    /// A time's text, copied from `recentTimes` when a time of one of the last few minutes was the same: the
    /// rows of a minute (its signals, the orders placed and closed in it) repeat a few times many times over,
    /// and formatting each again was ≈ 0.7 % of the 200 × 13 run.
    mutating func time(_ value: Timestamp) {
        let start = text.count
        if !recentTimes.append(value, to: &text) {
            text.append(iso8601: value, day: &day)
            recentTimes.keep(value, text: text, from: start)
        }
        append(.text(start: start, count: text.count - start))
    }

    mutating func time(_ value: Timestamp?) { if let value { time(value) } else { append(.null) } }

    mutating func date(_ value: CivilDate) {
        let start = text.count
        text.append(date: value)
        append(.text(start: start, count: text.count - start))
    }
}

/// The texts of recent times `RowValues.time` wrote (an ISO 8601 time is at most 30 bytes), one per minute of
/// the last `ways` minutes: a time's slot is its minute's number modulo `ways`, so a time is found by one
/// comparison and replaces only another time of its slot. The slots outlive the batch buffer the texts were
/// written into, which is emptied after every batch. `ways` minutes, not the last two times: a lane's signals
/// come ticker by ticker, each with the few minutes its agent looked back over (500 × 26: a run of 4–5 minutes
/// per ticker), so the last two times missed 416,000 of 482,535 signals' times, each formatted again.
struct RecentTimes {
    typealias Slot = (UInt64, UInt64, UInt64, UInt64)
    static let ways = 8
    /// Each slot's time (its nanoseconds), its text's length (0: nothing kept) and its text.
    private var times: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var counts: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var slots: (Slot, Slot, Slot, Slot, Slot, Slot, Slot, Slot) =
        ((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))

    /// `time`'s slot: its minute's number (from the epoch, rounded toward zero) modulo `ways`.
    private static func way(_ time: Timestamp) -> Int {
        Int(truncatingIfNeeded: UInt64(bitPattern: time.nanoseconds / 60_000_000_000)) & (ways - 1)
    }

    /// Appends `time`'s text to `text` if it is kept; returns whether it was. (Mutating only to read the slots
    /// in place.)
    mutating func append(_ time: Timestamp, to text: inout ByteText) -> Bool {
        let way = RecentTimes.way(time)
        let kept = withUnsafeMutableBytes(of: &times) { $0.load(fromByteOffset: way &* 8, as: Int64.self) }
        let count = withUnsafeMutableBytes(of: &counts) { $0.load(fromByteOffset: way &* 8, as: Int.self) }
        guard kept == time.nanoseconds, count > 0 else { return false }
        // A slot's address by arithmetic (a slice of the tuple's bytes cost a call to `prefix` per time).
        withUnsafeMutableBytes(of: &slots) { raw in
            guard let base = raw.baseAddress else { return }
            text.append(UnsafeBufferPointer(start: (base + way &* MemoryLayout<Slot>.stride).assumingMemoryBound(to: UInt8.self), count: count))
        }
        return true
    }

    /// Keeps `time`, whose text `text` holds from `start` to its end, in its slot (in place of the time there).
    mutating func keep(_ time: Timestamp, text: ByteText, from start: Int) {
        let count = text.count - start
        guard count > 0, count <= MemoryLayout<Slot>.size else { return }
        let way = RecentTimes.way(time)
        withUnsafeMutableBytes(of: &slots) { raw in
            guard let base = raw.baseAddress else { return }
            text.withUnsafeBytes { written in
                guard let from = written.baseAddress else { return }
                (base + way &* MemoryLayout<Slot>.stride).copyMemory(from: from + start, byteCount: count)
            }
        }
        withUnsafeMutableBytes(of: &counts) { $0.storeBytes(of: count, toByteOffset: way &* 8, as: Int.self) }
        withUnsafeMutableBytes(of: &times) { $0.storeBytes(of: time.nanoseconds, toByteOffset: way &* 8, as: Int64.self) }
    }
}

/// Stable copies of the few texts a column repeats row after row (a lane's agent, an order's side, type or
/// status), made once: a row gives the column its copy's address (`RowValues.Column.constant`), which
/// `SQLiteStatement.run` binds only when the parameter does not hold it already. Freed with their owner
/// (a store's agent), after its statements; the enumerations' texts live as long as the process
/// (`LaneStore`). Immutable once made, so shared by the lanes' threads.
final class ConstantTexts: @unchecked Sendable {
    /// In the order given; nil for a text left out.
    private let texts: [(text: String, column: RowValues.Column?)]
    private let copies: [UnsafeMutableBufferPointer<CChar>]

    /// Texts of more than 2³¹ bytes are left out (a column's constant never is one).
    init(_ texts: [String]) {
        let kept = texts.filter { $0.utf8.count <= Int(Int32.max) }
        // One byte at least: an allocation of none may have no address.
        copies = kept.map { .allocate(capacity: max($0.utf8.count, 1)) }
        var columns: [String: RowValues.Column] = [:]
        for (text, copy) in zip(kept, copies) {
            for (index, byte) in text.utf8.enumerated() { copy[index] = CChar(bitPattern: byte) }
            guard let address = copy.baseAddress else { continue }
            columns[text] = columns[text] ?? .constant(UnsafePointer(address), count: Int32(text.utf8.count))
        }
        self.texts = texts.map { ($0, columns[$0]) }
    }

    deinit { for copy in copies { copy.deallocate() } }

    /// The column for `text` if it is one of the constants.
    func column(for text: String) -> RowValues.Column? {
        for entry in texts where entry.text == text { return entry.column }
        return nil
    }

    /// The column of the `index`th text given, if it was kept.
    func column(at index: Int) -> RowValues.Column? { texts.indices.contains(index) ? texts[index].column : nil }
}

/// The constants of an enumeration's raw values (`ConstantTexts`), found by case: comparing a row's side or
/// status with each case is comparing integers, where comparing its raw value with each text compared
/// strings (two different texts ≈ 50 instructions; a rejected order's status was the fourth text tried).
/// Immutable once made, so shared by the lanes' threads. A struct: a generic class's metadata is made at run
/// time, its requirements looked up in every conformance of the binary (≈ 1.4 M instructions a case type,
/// 5.6 M of a one-day run for the four).
struct CaseTexts<Case: CaseIterable & RawRepresentable & Equatable>: @unchecked Sendable where Case.RawValue == String {
    private let cases: [Case]
    /// Holds the texts the columns point to.
    private let texts: ConstantTexts
    /// Each case's column, in the order of `cases`.
    private let columns: [RowValues.Column?]

    init() {
        cases = Array(Case.allCases)
        let texts = ConstantTexts(cases.map(\.rawValue))
        self.texts = texts
        columns = cases.indices.map { texts.column(at: $0) }
    }

    func column(for value: Case) -> RowValues.Column? {
        for index in cases.indices where cases[index] == value { return columns[index] }
        return nil
    }
}
