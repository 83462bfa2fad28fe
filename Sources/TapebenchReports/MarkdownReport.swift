import TapebenchCore
import TapebenchData
import TapebenchEngine
import TapebenchLedger

/// `report.md`: what a person reads first. Headline metrics, the data replayed, the first trades, and
/// rejected orders counted by reason, built from the run's aggregates (`RunDigest`).
public enum MarkdownReport {
    /// Trades, risk events and rejected orders listed per lane before the rest is left to trades.csv and
    /// run.sqlite.
    public static let tradeRows = 50

    public static func render(_ result: RunDigest) -> String {
        let scenario = result.scenario
        let stats = result.statistics
        var out = "# Tapebench report: \(scenario.name)\n\n"
        if let description = scenario.description { out += MarkdownText.paragraph(description) + "\n\n" }
        // Without from/to, the period the data held (the exchange dates of the first and last bars read).
        let first = scenario.from?.description ?? stats.firstBarStart.map { scenario.calendar.day(of: $0).date.description } ?? "start of data"
        let last = scenario.to?.description ?? stats.lastBarStart.map { scenario.calendar.day(of: $0).date.description } ?? "end of data"
        let period = "\(first) to \(last)"
        let models = result.fillModels.map { "`\($0)`" }.joined(separator: ", ")
        out += "Fill model\(result.fillModels.count == 1 ? "" : "s") \(models) · \(scenario.tickers.count) tickers · \(period) · "
        out += "\(stats.tradingDays) trading days · \(stats.barsReplayed) bars replayed · tapebench \(result.toolVersion)\n\n"
        out += "## Headline\n\n" + SummaryTable.table(result.summaries).markdown() + "\n"
        out += "Return and P&L are net of commissions; slippage is inside fill prices. Sharpe: daily returns, "
        out += "annualized with √252, risk-free rate 0. Max DD: largest fall of daily equity from its running peak.\n\n"
        out += ReturnsSection.benchmarkLine(result)
        out += "## Fill models\n\n"
        out += Table(header: ["variant", "assumes"], rows: scenario.fillModels.map { [$0.name, $0.summary] }, leftAligned: [0, 1]).markdown() + "\n"
        for spec in scenario.fillModels where spec.marketTiming.isLookAhead {
            out += "**Look-ahead:** `\(spec.name)` fills market orders at the close of the bar they were decided on, a price no one could have traded at. Its results are not evidence of anything.\n\n"
        }
        if result.fillModels.count > 1 {
            for agent in result.agents {
                let comparison = VariantComparison(agent: agent, lanes: result.lanes.filter { $0.config.id == agent })
                out += "## Comparison: `\(agent)`\n\n" + comparison.table().markdown() + "\n"
            }
        }
        out += ReturnsSection.markdown(result)
        for lane in result.lanes {
            out += agentSection(lane, benchmark: result.benchmark)
        }
        let missing = scenario.orchestrator.missingMinutes
        if missing != .nextBar {
            out += "## Missing minutes\n\n"
            out += "Policy `\(missing.text)`: an order whose ticker has no bar in the minute it could first fill on waits as the policy says (`cancel`: not at all), then is cancelled.\n\n"
            out += Table(header: ["agent", "variant", "tried first on a later bar", "cancelled"], rows: result.lanes.map {
                [$0.config.id, $0.variant, String($0.outcome.counts.ordersAfterMissingMinute), String($0.outcome.counts.ordersCancelledMissingMinute)]
            }, leftAligned: [0, 1]).markdown() + "\n"
        }
        out += "## Data\n\n"
        // Worked out once: `barsPerTicker` builds its dictionary anew at each use (once a ticker was 0.6 % of the
        // 200 × 13 run).
        let barsPerTicker = stats.barsPerTicker
        out += Table(
            header: ["ticker", "bars read"],
            rows: barsPerTicker.keys.sorted().map { [$0, String(barsPerTicker[$0]!)] }).markdown()
        out += "\n\(stats.barsRead) bars read, \(stats.barsReplayed) in regular hours replayed, "
        out += "\(stats.barsOutsideRegularHours) outside regular hours skipped"
        if let first = stats.firstBarStart, let last = stats.lastBarStart { out += "; first bar \(first), last bar \(last)" }
        out += ".\n\n"
        out += DataQualitySection.markdown(result.quality, policy: scenario.validation, displayPath: scenario.displayPath)
        return out
    }

    static func agentSection(_ lane: LaneReport, benchmark: BenchmarkSeries) -> String {
        let s = lane.summary, digest = lane.digest
        var out = "## Agent `\(s.agent)` (\(s.kind)) under `\(s.variant)`\n\n"
        out += Table(header: ["", "amount"], rows: [
            ["initial balance", dollars(s.initialBalance)],
            ["cash", dollars(s.cash)],
            ["equity", dollars(s.equity)],
            ["realized P&L (before costs)", dollars(s.realizedPnL)],
            ["unrealized P&L", dollars(s.unrealizedPnL)],
            ["commissions", dollars(s.commissions)],
            ["slippage paid (inside P&L)", dollars(s.slippage)],
            ["total P&L", dollars(s.totalPnL)],
        ]).markdown() + "\n"
        out += StatisticsSection.markdown(s, fit: lane.fit(benchmark))
        let orderCounts = s.ordersByStatus.filter { $0.count > 0 }.map { "\($0.count) \($0.status.rawValue)" }.joined(separator: ", ")
        out += "Signals: \(s.signalsGenerated) generated, \(s.signalsActedOn) acted on. Orders: \(orderCounts.isEmpty ? "none" : orderCounts). "
        out += "Closing trades: \(s.closingTrades).\n\n"

        let positions = lane.account.sortedPositions
        if !positions.isEmpty {
            out += "### Open positions\n\n"
            out += Table(header: ["ticker", "quantity", "avg entry", "price", "unrealized"], rows: positions.map {
                [$0.ticker, String($0.quantity), dollars($0.averageEntryPrice), dollars($0.currentPrice), dollars($0.unrealizedPnL)]
            }).markdown() + "\n"
        }

        out += "### Trades\n\n"
        if digest.trades == 0 {
            out += "No fills.\n\n"
        } else {
            out += Table(
                header: ["time (UTC)", "ticker", "side", "qty", "price", "rule", "purpose", "realized P&L"],
                rows: digest.firstTrades.prefix(tradeRows).map { entry in
                    let t = entry.trade
                    return [t.fill.time.iso8601, t.fill.ticker, t.fill.side.rawValue, String(t.fill.quantity), dollars(t.fill.price),
                            t.fill.rule.rawValue, entry.purpose, t.realizedPnL.map(dollars) ?? ""]
                }, leftAligned: [0, 1, 2, 5, 6]).markdown()
            if digest.trades > tradeRows {
                out += "\n… and \(digest.trades - tradeRows) more fills in `fills.csv` and `trades.csv`.\n"
            }
            out += "\n"
        }

        if digest.riskEvents > 0 {
            out += "### Risk events\n\n"
            out += Table(header: ["event", "count"], rows: digest.riskEventCounts.map { [$0.kind, String($0.count)] }, leftAligned: [0]).markdown() + "\n"
            out += Table(header: ["time (UTC)", "event", "detail"], rows: digest.firstRiskEvents.prefix(tradeRows).map { [$0.time.iso8601, $0.kind, $0.detail] },
                         leftAligned: [0, 1, 2]).markdown()
            if digest.riskEvents > tradeRows { out += "\n… and \(digest.riskEvents - tradeRows) more in `run.sqlite` (table `risk_events`).\n" }
            out += "\n"
        }
        out += "### Rejected orders\n\n"
        if digest.rejected == 0 {
            out += "None.\n\n"
        } else {
            out += rejectedByReason(digest).markdown() + "\n"
            out += rejectedTable(digest, rows: tradeRows).markdown()
            if digest.rejected > tradeRows {
                out += "\n… and \(digest.rejected - tradeRows) more in `run.sqlite` (table `paper_orders`, status `rejected`).\n"
            }
            out += "\n"
        }
        return out
    }

    /// Rejected orders counted by reason code, with the first one's full reason.
    static func rejectedByReason(_ digest: LaneDigest) -> Table {
        Table(header: ["reason", "orders", "first one's reason"], rows: digest.rejectedByReason.map { [$0.reason, String($0.count), $0.example] },
              leftAligned: [0, 2])
    }

    /// The first `rows` rejected orders.
    static func rejectedTable(_ digest: LaneDigest, rows: Int) -> Table {
        Table(header: ["order", "submitted (UTC)", "ticker", "side", "qty", "reason"],
              rows: digest.firstRejected.prefix(rows).map { [String($0.id), $0.submittedAt.iso8601, $0.ticker, $0.side.rawValue, String($0.quantity), $0.rejectReason ?? ""] },
              leftAligned: [1, 2, 3, 5])
    }
}
