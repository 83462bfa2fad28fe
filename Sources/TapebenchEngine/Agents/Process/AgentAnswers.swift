import TapebenchCore

/// Why an answer line was refused: `not JSON: …` or `not the protocol's schema: actions[1].side: …`.
struct AnswerError: Error, Equatable {
    var message: String
}

/// Reads an agent program's answers, protocol version 1, strictly: a line that is not JSON, a key that is
/// not in the schema, a value of the wrong type or out of range is an error that stops the run, so that a
/// typo in an agent (`"qty"`, `"side": "BUY"`) is found at once, not as a quietly different backtest.
struct AgentAnswers {
    let agentID: String
    /// The scenario's tickers: signals and orders must name one of them.
    let tickers: Set<String>

    /// `{"type":"ready"}`, the answer to `hello`.
    func ready(_ line: [UInt8]) throws(AnswerError) {
        var fields = try ObjectFields(try parse(line), path: "")
        let type = try fields.string("type", required: true)
        guard type == "ready" else { throw fields.error("type", "expected \"ready\" in answer to hello, got \(quoted(type!))") }
        try fields.rejectUnknown()
    }

    /// `{"actions":[…]}`, the answer to `bars`. `view` is the minute asked about.
    func actions(_ line: [UInt8], view: AgentView) throws(AnswerError) -> [AgentAction] {
        // The common answer, nothing to do, without building values.
        if line.count == 14, line == AgentAnswers.noActions { return [] }
        var fields = try ObjectFields(try parse(line), path: "")
        guard case .array(let items)? = try fields.value("actions", required: true) else {
            throw fields.error("actions", "expected an array of actions")
        }
        try fields.rejectUnknown()
        var openClientIDs = Set(view.openOrders.compactMap { view.clientID(ofOrder: $0.id) })
        var actions: [AgentAction] = []
        actions.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            var action = try ObjectFields(item, path: "actions[\(index)]")
            switch try action.string("type", required: true)! {
            case "signal": actions.append(.signal(try signal(&action, view: view)))
            case "order":
                let request = try order(&action)
                if let clientID = request.clientID {
                    guard openClientIDs.insert(clientID).inserted else {
                        throw action.error("client_id", "\(quoted(clientID)) names an order that is still open; use a new client id")
                    }
                }
                actions.append(.order(request))
            case "cancel":
                actions.append(.cancel(clientID: try clientID(&action, required: true)!))
            case let other:
                throw action.error("type", "expected \"signal\", \"order\" or \"cancel\", got \(quoted(other))")
            }
            try action.rejectUnknown()
        }
        return actions
    }

    static let noActions: [UInt8] = Array("{\"actions\":[]}".utf8)

    private func parse(_ line: [UInt8]) throws(AnswerError) -> JSONValue {
        do {
            return try line.withUnsafeBufferPointer { buffer throws(JSONSyntaxError) in try JSONParser.parse(buffer) }
        } catch {
            throw AnswerError(message: "not JSON: \(error.description): \(InputError.quote(line))")
        }
    }

    // MARK: - Actions

    private func signal(_ fields: inout ObjectFields, view: AgentView) throws(AnswerError) -> Signal {
        let ticker = try self.ticker(&fields)
        let side = try self.side(&fields)
        var time = view.time
        if let text = try fields.string("time", required: false) {
            guard let parsed = AgentAnswers.timestamp(text) else {
                throw fields.error("time", "expected a time as YYYY-MM-DDTHH:MM:SSZ, got \(quoted(text))")
            }
            guard parsed <= view.time else { throw fields.error("time", "\(text) is after the message's time \(view.time.iso8601)") }
            time = parsed
        }
        var strength: Double?
        if let text = try fields.number("strength") {
            guard let value = Double(text), (0...1).contains(value) else { throw fields.error("strength", "expected a number from 0 to 1, got \(text)") }
            strength = value
        }
        let reason = try fields.string("reason", required: false) ?? "signal"
        guard (1...200).contains(reason.count), !reason.contains(where: { $0.isASCII && $0.asciiValue! < 0x20 }) else {
            throw fields.error("reason", "expected 1 to 200 characters without control characters")
        }
        // The close of the bar the signal was read from: the window's bar that ended at its time.
        var price = view.window(ticker)?.last?.close ?? .zero
        if time != view.time, let window = view.window(ticker) {
            for i in stride(from: window.count - 1, through: 0, by: -1) where window[i].end == time {
                price = window[i].close
                break
            }
        }
        return Signal(agent: agentID, ticker: ticker, side: side, time: time, price: price, reason: .text(reason), strength: strength)
    }

    private func order(_ fields: inout ObjectFields) throws(AnswerError) -> OrderRequest {
        let ticker = try self.ticker(&fields)
        let side = try self.side(&fields)
        let typeText = try fields.string("order_type", required: true)!
        guard let type = OrderType(rawValue: typeText) else {
            throw fields.error("order_type", "expected \"market\", \"limit\", \"stop\" or \"stop_limit\", got \(quoted(typeText))")
        }
        guard let quantityText = try fields.number("quantity") else { throw fields.error("quantity", "required") }
        guard let quantity = Int64(quantityText), (1...Limits.maxShares).contains(quantity) else {
            throw fields.error("quantity", "expected a whole number of shares from 1 to \(Limits.maxShares), got \(quantityText)")
        }
        let limit = try price(&fields, "limit_price", needed: type == .limit || type == .stopLimit, orderType: typeText)
        let stop = try price(&fields, "stop_price", needed: type == .stop || type == .stopLimit, orderType: typeText)
        let clientID = try clientID(&fields, required: false)
        return OrderRequest(ticker: ticker, side: side, type: type, quantity: quantity, limitPrice: limit, stopPrice: stop, clientID: clientID,
                            purpose: "agent_order", label: clientID.map { "agent order \($0)" } ?? "agent order")
    }

    /// A price: a JSON number with at most 8 decimals, positive, within `Limits.maxPrice`, read exactly.
    private func price(_ fields: inout ObjectFields, _ key: String, needed: Bool, orderType: String) throws(AnswerError) -> Price? {
        guard let text = try fields.number(key) else {
            if needed { throw fields.error(key, "required for a \(orderType) order") }
            return nil
        }
        guard needed else { throw fields.error(key, "not used by a \(orderType) order; leave it out") }
        guard AgentAnswers.hasAtMostEightDecimals(text), let value = Fixed(parsing: text) else {
            throw fields.error(key, "expected a price with at most 8 decimals, got \(text)")
        }
        guard value.raw > 0, Limits.priceProblem(value) == nil else {
            throw fields.error(key, "expected a price above 0 and at most \(Limits.maxPrice), got \(text)")
        }
        return value
    }

    private func ticker(_ fields: inout ObjectFields) throws(AnswerError) -> String {
        let ticker = try fields.string("ticker", required: true)!
        guard tickers.contains(ticker) else { throw fields.error("ticker", "\(quoted(ticker)) is not one of the scenario's data.tickers") }
        return ticker
    }

    private func side(_ fields: inout ObjectFields) throws(AnswerError) -> OrderSide {
        let text = try fields.string("side", required: true)!
        guard let side = OrderSide(rawValue: text) else { throw fields.error("side", "expected \"buy\" or \"sell\", got \(quoted(text))") }
        return side
    }

    /// 1 to 64 ASCII letters, digits, `_`, `-`, `.`, `:`.
    private func clientID(_ fields: inout ObjectFields, required: Bool) throws(AnswerError) -> String? {
        guard let id = try fields.string("client_id", required: required) else { return nil }
        guard (1...64).contains(id.utf8.count), id.utf8.allSatisfy({ AgentAnswers.clientIDBytes.contains($0) }) else {
            throw fields.error("client_id", "expected 1 to 64 letters, digits, '_', '-', '.', ':', got \(quoted(id))")
        }
        return id
    }

    private static let clientIDBytes = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:".utf8))

    /// A JSON number's text with no exponent and at most 8 digits after the point (so that it is exact in `Fixed`).
    static func hasAtMostEightDecimals(_ text: String) -> Bool {
        guard !text.contains(where: { $0 == "e" || $0 == "E" }) else { return false }
        guard let dot = text.firstIndex(of: ".") else { return true }
        return text.distance(from: dot, to: text.endIndex) - 1 <= 8
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form Tapebench writes.
    static func timestamp(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for i in range {
                guard bytes[i] &- UInt8(ascii: "0") < 10 else { return nil }
                value = value * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), hour < 24, minute < 60, second < 60,
              let date = CivilDate(iso: String(text.prefix(10))), date.year == Int(year), date.month == Int(month), date.day == Int(day) else { return nil }
        let time = Timestamp(seconds: date.daysSinceEpoch * 86_400 + hour * 3_600 + minute * 60 + second)
        return Limits.timeProblem(time) == nil ? time : nil
    }
}

private func quoted(_ text: String) -> String { InputError.quote(text) }

/// The members of one JSON object of an answer, read by key; a key never read is an error.
private struct ObjectFields {
    let path: String
    private let members: [(key: String, value: JSONValue)]
    private var used: Set<String> = []

    init(_ value: JSONValue, path: String) throws(AnswerError) {
        self.path = path
        guard case .object(let members) = value else {
            throw AnswerError(message: "not the protocol's schema: \(path.isEmpty ? "the answer" : path): expected an object, got \(value.kind)")
        }
        self.members = members
    }

    func error(_ key: String, _ message: String) -> AnswerError {
        AnswerError(message: "not the protocol's schema: \(path.isEmpty ? key : path + "." + key): \(message)")
    }

    /// The value of `key`; JSON `null` counts as absent.
    mutating func value(_ key: String, required: Bool) throws(AnswerError) -> JSONValue? {
        used.insert(key)
        let value = members.first { $0.key == key }?.value
        if value == nil || value == .null {
            if required { throw error(key, "required") }
            return nil
        }
        return value
    }

    mutating func string(_ key: String, required: Bool) throws(AnswerError) -> String? {
        guard let value = try value(key, required: required) else { return nil }
        guard case .string(let text) = value else { throw error(key, "expected a string, got \(value.kind)") }
        return text
    }

    /// A number's text, as written.
    mutating func number(_ key: String) throws(AnswerError) -> String? {
        guard let value = try value(key, required: false) else { return nil }
        guard case .number(let text) = value else { throw error(key, "expected a number, got \(value.kind)") }
        return text
    }

    func rejectUnknown() throws(AnswerError) {
        if let unknown = members.first(where: { !used.contains($0.key) }) {
            throw error(String(unknown.key.prefix(40)), "not a key of the protocol (version 1)")
        }
    }
}
