/// A reason kept as a value (`SignalReason`, `OrderReason`) and made into text only where it is written.
/// What makes it text is its own `write(to:)`; the rest is the same for every such reason: its text, two
/// reasons equal when their texts are (a typed reason and the same words given by hand are one reason),
/// and encoded as its text, decoded as free text.
public protocol WrittenReason: Hashable, Codable, CustomStringConvertible {
    /// The text written into `out`, with no `String` made on the way.
    func write(to out: inout ByteText)
    /// A reason given as text (a process agent's, a signal tape's, one set by hand).
    static func text(_ text: String) -> Self
    /// The text itself when the reason was given as text, nil for a typed reason.
    var givenText: String? { get }
}

extension WrittenReason {
    /// The reason's text.
    public var text: String { givenText ?? ByteText.string { write(to: &$0) } }

    public var description: String { text }

    public static func == (a: Self, b: Self) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public init(from decoder: any Decoder) throws { self = .text(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
