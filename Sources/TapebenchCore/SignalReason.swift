/// Why an agent gave a signal: the kind and its number, kept as a value and written as text only where a
/// signal is written (`write(to:)` into a database row, `text` for the order it leads to or a report). The
/// text made at every signal was a malloc a signal (93,838 of 203,000 on the 200 × 13 VWAP run). Two reasons
/// are equal when their texts are; a string literal is a `.text` reason.
public enum SignalReason: Sendable, WrittenReason, ExpressibleByStringLiteral {
    /// The VWAP agent: `vwap_deviation=-52bp` (whole basis points).
    case vwapDeviation(basisPoints: Int64)
    /// The breakout agent's buy above the range: `breakout=101.50` (the range's high).
    case breakout(Price)
    /// Its sell below the range: `breakdown=99.00` (the range's low).
    case breakdown(Price)
    /// The volume-surge agent's buy: `volume_surge=300%` (the volume as a percentage of its baseline).
    case volumeSurge(percent: Int64)
    /// Its sell: `volume_surge_fade`.
    case volumeSurgeFade
    /// Any other reason (a process agent's, a signal tape's), as text.
    case text(String)

    public init(stringLiteral value: String) { self = .text(value) }

    public var givenText: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    /// The text up to its first `=` (`vwap_deviation=-52bp` → `vwap_deviation`): the kind reports group
    /// closes by. A literal for every case but `.text`.
    public var kind: String {
        switch self {
        case .vwapDeviation: return "vwap_deviation"
        case .breakout: return "breakout"
        case .breakdown: return "breakdown"
        case .volumeSurge: return "volume_surge"
        case .volumeSurgeFade: return "volume_surge_fade"
        case .text(let text): return String(text.prefix { $0 != "=" })
        }
    }

    /// The text written into `out`, with no `String` made on the way: literals as static bytes.
    public func write(to out: inout ByteText) {
        switch self {
        case .vwapDeviation(let basisPoints):
            out.append(literal: "vwap_deviation=")
            out.append(integer: basisPoints)
            out.append(literal: "bp")
        case .breakout(let high):
            out.append(literal: "breakout=")
            out.append(fixed: high)
        case .breakdown(let low):
            out.append(literal: "breakdown=")
            out.append(fixed: low)
        case .volumeSurge(let percent):
            out.append(literal: "volume_surge=")
            out.append(integer: percent)
            out.append(byte: UInt8(ascii: "%"))
        case .volumeSurgeFade:
            out.append(literal: "volume_surge_fade")
        case .text(let text):
            out.append(text)
        }
    }
}
