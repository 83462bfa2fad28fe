import TapebenchCore

extension FillModelParameter {
    /// Every fill-model parameter, in the order the docs list them (and a variant's groups are read).
    public static let all: [FillModelParameter] = timing + orderRules + slippage + commission + engines

    /// The parameter of `key`, if any.
    public static func named(_ key: String) -> FillModelParameter? { all.first { $0.key == key } }

    /// The groups (top-level keys under a variant), in order.
    public static var groups: [String] {
        var seen: [String] = []
        for p in all where !seen.contains(p.group) { seen.append(p.group) }
        return seen
    }

    /// What a group's mapping replaces before its keys are written: a `commission:` or `participation:` mapping
    /// states the whole part (keys it leaves out take their defaults); `limit:` and the engines' override key by key.
    public static func reset(group: String, in spec: inout FillModelSpec) {
        switch group {
        case "commission": spec.commission = .perFill(.zero)
        case "participation": spec.participation = nil
        default: break
        }
    }

    /// Scalars a group takes instead of a mapping, and the parameter value each stands for (besides a
    /// parameter whose key is the group's own, like `market_timing: next_close`).
    public static let groupWords: [String: (word: String, key: String, value: ParameterValue)] = [
        "participation": ("none", "participation.max_pct", .number(.zero)),
    ]

    static let timing: [FillModelParameter] = [
        .init("market_timing", .choice(["next_open", "next_close", "same_bar_close"]), rules: .own,
              "When a market order fills: the next bar's open, its close, or the decision bar's close (look-ahead, flagged).",
              read: { spec in
                  switch spec.marketTiming {
                  case .nextOpen: return .word("next_open")
                  case .nextClose: return .word("next_close")
                  case .sameBarClose: return .word("same_bar_close")
                  case .latency: return nil
                  }
              },
              write: { spec, v in spec.marketTiming = ["next_close": .nextClose, "same_bar_close": .sameBarClose][v.word] ?? .nextOpen }),
        .init("market_timing.latency_bars", .whole(0...1_000), unit: "bars", rules: .own, role: .required,
              "Market orders fill at the open this many bars after the next one (0: the next open).",
              read: { spec in
                  switch spec.marketTiming {
                  case .nextOpen: return .number(.zero)
                  case .latency(let bars): return .number(Fixed(Int64(bars)))
                  default: return nil
                  }
              },
              write: { spec, v in spec.marketTiming = v.whole == 0 ? .nextOpen : .latency(bars: Int(v.whole)) }),
    ]

    static let orderRules: [FillModelParameter] = [
        .init("limit.through_ticks", .whole(0...1_000), unit: "ticks", rules: .own,
              "A limit fills only when the bar trades this many ticks through it (0: a touch fills).",
              read: { .number(Fixed($0.limit.throughTicks)) }, write: { spec, v in spec.limit.throughTicks = v.whole }),
        .init("limit.gap_fills_at_open", .flag, rules: .own, "A bar opening beyond the limit fills it at the open, the better price.",
              read: { .flag($0.limit.gapFillsAtOpen) }, write: { spec, v in spec.limit.gapFillsAtOpen = v.isOn }),
        .init("stop", .choice(StopRule.allCases.map(\.rawValue)), rules: .own,
              "Where a triggered stop fills: at the stop even through a gap, at the worse of stop and open, or as a market order.",
              read: { .word($0.stop.rawValue) }, write: { spec, v in spec.stop = StopRule(rawValue: v.word) ?? spec.stop }),
        .init("intrabar_path", .choice(IntrabarPath.allCases.map(\.rawValue)), rules: .own,
              "The path assumed inside a bar where it decides a fill (a stop-limit, a stop and a target in one bar).",
              read: { .word($0.intrabarPath.rawValue) }, write: { spec, v in spec.intrabarPath = IntrabarPath(rawValue: v.word) ?? spec.intrabarPath }),
        .init("participation.max_pct", .percent(.zero...Fixed(100)), unit: "% of bar volume", rules: .any, role: .required,
              "An order takes at most this share of each bar's volume, the rest waits for later bars (0, or participation: none: volume ignored).",
              read: { .number(Fixed(raw: ($0.participation?.maxBasisPoints ?? 0) * 1_000_000)) },
              write: { spec, v in
                  spec.participation = v.basisPoints == 0 ? nil
                      : Participation(maxBasisPoints: v.basisPoints, cancelAtSessionEnd: spec.participation?.cancelAtSessionEnd ?? false)
              }),
        .init("participation.cancel_at_session_end", .flag, rules: .any, role: .modifier(of: ["participation.max_pct"]),
              "What a participation cap leaves of an order is cancelled at the session's end.",
              read: { $0.participation.map { .flag($0.cancelAtSessionEnd) } }, write: { spec, v in spec.participation?.cancelAtSessionEnd = v.isOn }),
    ]

    static let slippage: [FillModelParameter] = [
        slippageForm("bps", .decimal(.zero...Fixed(10_000), fractionDigits: SlippageSpec.basisPointsFractionDigits), unit: "bp",
                     "Price moved by this many basis points against the trader: reference × (1 ± b / 10 000).",
                     pick: { if case .basisPoints(let b) = $0 { return b } else { return nil } }, make: SlippageSpec.basisPoints),
        slippageForm("cents", .decimal(.zero...Fixed(100), fractionDigits: nil), unit: "$/share", "Price moved by this amount per share: reference ± c.",
                     pick: { if case .centsPerShare(let c) = $0 { return c } else { return nil } }, make: SlippageSpec.centsPerShare),
        slippageForm("half_range", .decimal(.zero...Fixed(100), fractionDigits: nil), unit: "× half range",
                     "Price moved by this share of half the fill bar's range: reference ± f × (high − low) / 2.",
                     pick: { if case .halfRange(let f) = $0 { return f } else { return nil } }, make: { .halfRange(factor: $0) }),
        slippageForm("volume_share", .decimal(.zero...Fixed(100), fractionDigits: nil), unit: "impact",
                     "zipline's volume-share impact: reference × (1 ± i × (q / V)²).",
                     pick: { if case .volumeShare(let i) = $0 { return i } else { return nil } }, make: { .volumeShare(impact: $0) }),
        slippageForm("sqrt_impact", .decimal(.zero...Fixed(100), fractionDigits: nil), unit: "k",
                     "Square-root impact: reference × (1 ± k × σ × √(q / V)), σ = (high − low) / open of the fill bar.",
                     pick: { if case .squareRootImpact(let k) = $0 { return k } else { return nil } }, make: { .squareRootImpact(k: $0) }),
        .init("slippage_on_open", .flag, rules: .own, "Fills at the open (market orders, gap fills) pay slippage.",
              read: { .flag($0.slippageOnOpen) }, write: { spec, v in spec.slippageOnOpen = v.isOn }),
        .init("slippage_capped_to_bar", .flag, rules: .own, "Slipped prices are held inside the fill bar's range.",
              read: { .flag($0.slippageCappedToBar) }, write: { spec, v in spec.slippageCappedToBar = v.isOn }),
    ]

    /// A form of `slippage:`; under `worst of` (conservative) each component's value is read.
    static func slippageForm(_ field: String, _ type: ValueType, unit: String, _ summary: String,
                             pick: @escaping @Sendable (SlippageSpec) -> Fixed?, make: @escaping @Sendable (Fixed) -> SlippageSpec) -> FillModelParameter {
        .init("slippage." + field, type, unit: unit, rules: .own, role: .form, summary,
              read: { spec in
                  let forms: [SlippageSpec]
                  if case .worstOf(let specs) = spec.slippage { forms = specs } else { forms = [spec.slippage] }
                  return forms.lazy.compactMap(pick).first.map(ParameterValue.number)
              },
              write: { spec, v in spec.slippage = make(v.fixed) })
    }
}
