import TapebenchCore

/// The texts of the signal reasons a lane gives again and again, each written once into a slot of its own
/// and bound from there as a constant (`RowValues.Column.constant`): a run of 500 tickers × 26 days gives
/// 482,535 signals and 164,115 orders, each with its reason, among 236 distinct texts (`vwap_deviation=-49bp`),
/// and writing a reason again for each row cost ≈ 250 instructions (`SignalReason.write`); finding its slot
/// costs a multiplication and a comparison or two. A reason given as text (`.text`: its own `String`), one
/// longer than a slot, and any past the first `capacity` distinct ones are written as before: memory stays
/// bounded whatever the run. A slot's bytes never change once written (a parameter bound to them is not bound
/// again while it holds the same address: `SQLiteStatement.run`), and live as long as the store's statements.
/// Used by its store's thread only.
final class ReasonTexts {
    static let capacity = 512
    /// Bytes of a slot: `breakout=` and the longest `Fixed` (21) fit.
    static let slotBytes = 32
    /// Entries of the open-addressed table: twice `capacity`, a power of two.
    private static let tableSize = 1_024
    private static let tableBits = 10

    /// A reason's case and its value (a price by its raw units); `kind` 0 marks an empty entry.
    private struct Entry {
        var kind: UInt8
        var value: Int64
        /// The text's bytes in its slot; -1: longer than a slot (written each time).
        var count: Int32
        var slot: Int32
    }

    // Unchecked exclusivity (as `LaneSink`'s): one thread uses the texts, and no access overlaps another.
    @exclusivity(unchecked) private var entries: UnsafeMutableBufferPointer<Entry>?
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<CChar>?
    /// The distinct reasons kept so far.
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var scratch = ByteText(capacity: 64)

    init() {}

    deinit {
        entries?.deallocate()
        slots?.deallocate()
    }

    /// The constant holding `reason`'s text, nil when it is written row by row (see the type).
    func column(for reason: SignalReason) -> RowValues.Column? {
        let kind: UInt8, value: Int64
        switch reason {
        case .vwapDeviation(let basisPoints): (kind, value) = (1, basisPoints)
        case .breakout(let high): (kind, value) = (2, high.raw)
        case .breakdown(let low): (kind, value) = (3, low.raw)
        case .volumeSurge(let percent): (kind, value) = (4, percent)
        case .volumeSurgeFade: (kind, value) = (5, 0)
        case .text: return nil
        }
        let entries = self.entries ?? allocate()
        // Fibonacci hashing of the value, the case in the low bits; linear probing.
        let hash = (UInt64(bitPattern: value) &+ UInt64(kind)) &* 0x9E37_79B9_7F4A_7C15
        var index = Int(truncatingIfNeeded: hash >> UInt64(64 - ReasonTexts.tableBits))
        while entries[index].kind != 0 {
            if entries[index].kind == kind, entries[index].value == value { return constant(entries[index]) }
            index = (index &+ 1) & (ReasonTexts.tableSize - 1)
        }
        guard count < ReasonTexts.capacity, let slots else { return nil }
        scratch.removeAll()
        reason.write(to: &scratch)
        let written = scratch.count
        var entry = Entry(kind: kind, value: value, count: -1, slot: Int32(count))
        if written <= ReasonTexts.slotBytes {
            let slot = slots + count * ReasonTexts.slotBytes
            scratch.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(slot).copyMemory(from: bytes.baseAddress ?? UnsafeRawPointer(slot), byteCount: written)
            }
            entry.count = Int32(written)
        }
        entries[index] = entry
        count += 1
        return constant(entry)
    }

    private func constant(_ entry: Entry) -> RowValues.Column? {
        guard entry.count >= 0, let slots else { return nil }
        return .constant(UnsafePointer(slots + Int(entry.slot) * ReasonTexts.slotBytes), count: entry.count)
    }

    /// The table and the slots, made at the first reason (a lane that gives none allocates nothing).
    private func allocate() -> UnsafeMutableBufferPointer<Entry> {
        let entries = UnsafeMutableBufferPointer<Entry>.allocate(capacity: ReasonTexts.tableSize)
        entries.initialize(repeating: Entry(kind: 0, value: 0, count: 0, slot: 0))
        self.entries = entries
        slots = .allocate(capacity: ReasonTexts.capacity * ReasonTexts.slotBytes)
        return entries
    }
}
