import TapebenchCore

extension FillModelParameter {
    static let commission: [FillModelParameter] = [
        commissionForm("per_fill", .decimal(.zero...Fixed(10_000), fractionDigits: nil), unit: "$", "This amount on every fill.",
                       pick: { if case .perFill(let a) = $0 { return a } else { return nil } }, make: { a, _ in .perFill(a) }),
        commissionForm("per_order", .decimal(.zero...Fixed(10_000), fractionDigits: nil), unit: "$", "This amount on an order's first fill.",
                       pick: { if case .perOrder(let a) = $0 { return a } else { return nil } }, make: { a, _ in .perOrder(a) }),
        commissionForm("per_share", .decimal(.zero...Fixed(100), fractionDigits: nil), unit: "$/share",
                       "This rate per share, at least `minimum`, at most `maximum_pct` of the notional.",
                       pick: { if case .perShare(let r, _, _, _) = $0 { return r } else { return nil } },
                       make: { rate, current in
                           // A per-share base keeps its minimum, maximum and fees; fees carry over from a percentage.
                           if case let .perShare(_, minimum, maximum, fees) = current {
                               return .perShare(rate: rate, minimum: minimum, maximumBasisPoints: maximum, regulatoryFees: fees)
                           }
                           return .perShare(rate: rate, minimum: .zero, maximumBasisPoints: 10_000, regulatoryFees: current.regulatoryFees ?? false)
                       }),
        .init("commission.minimum", .decimal(.zero...Fixed(10_000), fractionDigits: nil), unit: "$", rules: .any, role: .modifier(of: ["commission.per_share"]),
              "The least a per-share commission charges a fill.",
              read: { spec in spec.commission.components.lazy.compactMap { if case .perShare(_, let m, _, _) = $0 { return ParameterValue.number(m) } else { return nil } }.first },
              write: { spec, v in
                  spec.commission = spec.commission.mapComponents { c in
                      guard case let .perShare(rate, _, maximum, fees) = c else { return c }
                      return .perShare(rate: rate, minimum: v.fixed, maximumBasisPoints: maximum, regulatoryFees: fees)
                  }
              }),
        .init("commission.maximum_pct", .percent(.zero...Fixed(100)), unit: "% of notional", rules: .any, role: .modifier(of: ["commission.per_share"]),
              "The most a per-share commission charges a fill, as a share of its notional.",
              read: { spec in spec.commission.components.lazy.compactMap { c -> ParameterValue? in
                  if case .perShare(_, _, let maximum, _) = c { return .number(Fixed(raw: maximum * 1_000_000)) } else { return nil }
              }.first },
              write: { spec, v in
                  spec.commission = spec.commission.mapComponents { c in
                      guard case let .perShare(rate, minimum, _, fees) = c else { return c }
                      return .perShare(rate: rate, minimum: minimum, maximumBasisPoints: v.basisPoints, regulatoryFees: fees)
                  }
              }),
        commissionForm("pct", .percent(.zero...Fixed(100)), unit: "% of notional", "This share of the notional.",
                       pick: { if case .percentOfNotional(let bps, _) = $0 { return Fixed(raw: bps * 1_000_000) } else { return nil } },
                       // The regulatory fees of the part it replaces stay (a sweep over pct once dropped them).
                       make: { pct, current in .percentOfNotional(basisPoints: pct.raw / 1_000_000, regulatoryFees: current.regulatoryFees ?? false) }),
        .init("commission.regulatory_fees", .flag, rules: .any, role: .modifier(of: ["commission.per_share", "commission.pct"]),
              "On sells, add the SEC fee ($27.80 per $1 M sold) and FINRA's ($0.000166 per share sold, at most $8.30).",
              read: { spec in spec.commission.components.lazy.compactMap(\.regulatoryFees).first.map(ParameterValue.flag) },
              write: { spec, v in
                  spec.commission = spec.commission.mapComponents { c in
                      switch c {
                      case let .perShare(rate, minimum, maximum, _): return .perShare(rate: rate, minimum: minimum, maximumBasisPoints: maximum, regulatoryFees: v.isOn)
                      case let .percentOfNotional(bps, _): return .percentOfNotional(basisPoints: bps, regulatoryFees: v.isOn)
                      default: return c
                      }
                  }
              }),
        .init("tick_size", .decimal(Fixed(raw: 1)...Fixed(1_000), fractionDigits: nil), unit: "$", rules: .any,
              "The price grid: `limit.through_ticks` counts in it.",
              read: { .number($0.tickSize) }, write: { spec, v in spec.tickSize = v.fixed }),
    ]

    /// A form of `commission:`; under `greatest of` (conservative) each component's value is read.
    static func commissionForm(_ field: String, _ type: ValueType, unit: String, _ summary: String,
                               pick: @escaping @Sendable (CommissionSpec) -> Fixed?,
                               make: @escaping @Sendable (Fixed, CommissionSpec) -> CommissionSpec) -> FillModelParameter {
        .init("commission." + field, type, unit: unit, rules: .any, role: .form, summary,
              read: { spec in spec.commission.components.lazy.compactMap(pick).first.map(ParameterValue.number) },
              write: { spec, v in spec.commission = make(v.fixed, spec.commission) })
    }

    static let engines: [FillModelParameter] = [
        backtrader("slip_perc", .decimal(.zero...Fixed(raw: 10_000_000), fractionDigits: nil), unit: "fraction",
                   "backtrader's slip_perc: prices move by this fraction (0.0001 is 1 bp); wins over slip_fixed.", \.slipPercent),
        backtrader("slip_fixed", .decimal(.zero...Fixed(1_000), fractionDigits: nil), unit: "$", "backtrader's slip_fixed: prices move by this amount.", \.slipFixed),
        backtrader("slip_open", "backtrader's slip_open: fills at the open slip.", \.slipOpen),
        backtrader("slip_match", "backtrader's slip_match: a slipped price beyond the bar is matched at its high or low.", \.slipMatch),
        backtrader("slip_limit", "backtrader's slip_limit: a limit price is matched at its cap even without slip_match.", \.slipLimit),
        backtrader("slip_out", "backtrader's slip_out: slipped prices may lie outside the bar.", \.slipOut),
        backtrader("defects", "Reproduce backtrader's two slippage defects (false: corrected).", \.defects),
        .init("backtesting.spread", .decimal(.zero...Fixed(raw: 10_000_000), fractionDigits: nil), unit: "fraction", rules: .engine("backtesting"),
              "backtesting.py's spread, paid on the part of a fill that opens a position.",
              read: { $0.backtestingBroker.map { .number($0.spread) } }, write: { spec, v in spec.backtestingBroker?.spread = v.fixed }),
        .init("backtesting.trade_on_close", .flag, rules: .engine("backtesting"), "Market orders fill at the decision bar's close (look-ahead, flagged).",
              read: { spec in spec.backtestingBroker.map { _ in .flag(spec.marketTiming == .sameBarClose) } },
              write: { spec, v in spec.marketTiming = v.isOn ? .sameBarClose : .nextOpen }),
        .init("backtesting.exclusive_orders", .flag, rules: .engine("backtesting"),
              "backtesting.py's exclusive_orders: each new order cancels the ticker's pending orders and closes its open trades.",
              read: { $0.backtestingBroker.map { .flag($0.exclusiveOrders) } }, write: { spec, v in spec.backtestingBroker?.exclusiveOrders = v.isOn }),
        // Netting only: a hedging account keeps opposite trades apart, which Tapebench's account (one net position
        // per ticker) cannot hold.
        .init("backtesting.hedging", .flag, rules: .engine("backtesting"), "backtesting.py's hedging; false only (Tapebench's account nets each ticker).",
              refused: (.flag(true), "not supported: Tapebench's account nets each ticker's trades (backtesting.py's default hedging=False); hedging=True keeps opposite trades open side by side"),
              read: { $0.backtestingBroker.map { _ in .flag(false) } }, write: { _, _ in }),
        .init("backtesting.defects", .flag, rules: .engine("backtesting"), "Reproduce backtesting.py's defects: the stop-limit gap, the stop-limit queue rerun, the stop at the previous close (false: corrected).",
              read: { $0.backtestingBroker.map { .flag($0.defects) } }, write: { spec, v in spec.backtestingBroker?.defects = v.isOn }),
    ]

    static func backtrader(_ field: String, _ type: ValueType, unit: String, _ summary: String,
                           _ path: WritableKeyPath<BacktraderBroker, Fixed> & Sendable) -> FillModelParameter {
        .init("backtrader." + field, type, unit: unit, rules: .engine("backtrader"), summary,
              read: { $0.backtraderBroker.map { .number($0[keyPath: path]) } }, write: { spec, v in spec.backtraderBroker?[keyPath: path] = v.fixed })
    }

    static func backtrader(_ field: String, _ summary: String, _ path: WritableKeyPath<BacktraderBroker, Bool> & Sendable) -> FillModelParameter {
        .init("backtrader." + field, .flag, rules: .engine("backtrader"), summary,
              read: { $0.backtraderBroker.map { .flag($0[keyPath: path]) } }, write: { spec, v in spec.backtraderBroker?[keyPath: path] = v.isOn })
    }
}

extension CommissionSpec {
    /// The parts of a `greatest of`, or the commission itself.
    var components: [CommissionSpec] {
        if case .greatestOf(let specs) = self { return specs }
        return [self]
    }

    /// Each part of a `greatest of` changed by `change` (a modifier refines the part it applies to), or the
    /// commission itself.
    func mapComponents(_ change: (CommissionSpec) -> CommissionSpec) -> CommissionSpec {
        if case .greatestOf(let specs) = self { return .greatestOf(specs.map(change)) }
        return change(self)
    }

    /// Whether regulatory fees are added; nil for a form that has no such switch.
    var regulatoryFees: Bool? {
        switch self {
        case .perShare(_, _, _, let fees), .percentOfNotional(_, let fees): return fees
        default: return nil
        }
    }
}
