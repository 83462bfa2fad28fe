import TapebenchCore

extension FillModelSpec {
    /// What the model assumes, in one line for reports.
    public var summary: String {
        var parts: [String] = []
        if let broker = backtraderBroker { return backtraderSummary(broker) }
        if let broker = backtestingBroker {
            return ["backtesting.py _Broker rules", marketTiming == .sameBarClose ? "trade_on_close (LOOK-AHEAD: the decision bar's close)" : "market at the next open",
                    "spread \(broker.spread.formatted(minimumFractionDigits: 0))",
                    broker.defects ? "backtesting.py's gap defect reproduced" : "backtesting.py's gap defect corrected",
                    commission == FillModelSpec.backtesting.commission ? "no commission" : Self.describe(commission)].joined(separator: "; ")
        }
        switch marketTiming {
        case .nextOpen: parts.append("market at the next open")
        case .nextClose: parts.append("market at the next close")
        case .latency(let bars): parts.append("market at the open \(bars) bar\(bars == 1 ? "" : "s") later")
        case .sameBarClose: parts.append("market at the decision bar's close (LOOK-AHEAD)")
        }
        var limitText = limit.throughTicks == 0 ? "limit on touch" : "limit \(limit.throughTicks) tick\(limit.throughTicks == 1 ? "" : "s") through"
        if limit.gapFillsAtOpen { limitText += ", gaps at the open" }
        parts.append(limitText)
        switch stop {
        case .atStop: parts.append("stop at the stop")
        case .gapAware: parts.append("stop at the worse of stop and open")
        case .toMarket: parts.append("stop to market")
        }
        parts.append("intrabar path \(intrabarPath.rawValue)")
        if let p = participation {
            parts.append("≤ \(basisPointsAsPercent(p.maxBasisPoints)) of bar volume" + (p.cancelAtSessionEnd ? ", rest cancelled at the close" : ""))
        } else {
            parts.append("volume ignored")
        }
        parts.append(Self.describe(slippage, slippageOnOpen: slippageOnOpen))
        parts.append(Self.describe(commission))
        return parts.joined(separator: "; ")
    }

    static func describe(_ slippage: SlippageSpec, slippageOnOpen: Bool) -> String {
        var parts: [String] = []
        switch slippage {
        case .worstOf(let specs): parts.append("the worst of " + specs.map { describe($0, slippageOnOpen: true) }.joined(separator: " and "))
        case .basisPoints(let bps): parts.append("slippage \(bps.formatted(minimumFractionDigits: 0)) bp" + (slippageOnOpen ? "" : " (not at the open)"))
        case .centsPerShare(let c): parts.append("slippage $\(c)/share")
        case .halfRange(let f): parts.append("slippage \(f.formatted(minimumFractionDigits: 0)) × half range")
        case .volumeShare(let i): parts.append("volume-share impact \(i.formatted(minimumFractionDigits: 0))")
        case .squareRootImpact(let k): parts.append("square-root impact k = \(k.formatted(minimumFractionDigits: 0))")
        }
        return parts[0]
    }

    static func describe(_ commission: CommissionSpec) -> String {
        var parts: [String] = []
        switch commission {
        case .greatestOf(let specs): parts.append("the greatest of " + specs.map(describe).joined(separator: " and "))
        case .perFill(let a): parts.append("$\(a) per fill")
        case .perOrder(let a): parts.append("$\(a) per order")
        case let .perShare(rate, minimum, maximum, fees):
            parts.append("$\(rate.formatted(minimumFractionDigits: 0))/share, min $\(minimum), max \(basisPointsAsPercent(maximum))" + (fees ? " + SEC/FINRA fees" : ""))
        case let .percentOfNotional(bps, fees):
            parts.append("\(basisPointsAsPercent(bps)) of notional" + (fees ? " + SEC/FINRA fees" : ""))
        }
        return parts[0]
    }

    /// backtrader's broker settings, in its own terms.
    func backtraderSummary(_ broker: BacktraderBroker) -> String {
        var parts = ["backtrader BackBroker rules"]
        if broker.slipPercent.raw != 0 {
            parts.append("slip_perc \(broker.slipPercent.formatted(minimumFractionDigits: 0))")
        } else if broker.slipFixed.raw != 0 {
            parts.append("slip_fixed \(broker.slipFixed.formatted(minimumFractionDigits: 0))")
        } else {
            parts.append("no slippage")
        }
        if broker.slips {
            // The broker's switches by their registry names (defects is said in words below), in name order.
            let switches = FillModelParameter.all.filter { $0.group == "backtrader" && $0.type == .flag && $0.field != "defects" }
            parts.append(switches.compactMap { p in p.read(self).map { (p.field!, $0.text) } }.sorted { $0.0 < $1.0 }
                .map { "\($0.0) \($0.1)" }.joined(separator: ", "))
            parts.append(broker.defects ? "backtrader's slippage defects reproduced" : "backtrader's slippage defects corrected")
        }
        if let p = participation { parts.append("≤ \(basisPointsAsPercent(p.maxBasisPoints)) of bar volume") }
        parts.append(commission == FillModelSpec.backtrader.commission ? "no commission" : Self.describe(commission))
        return parts.joined(separator: "; ")
    }
}
