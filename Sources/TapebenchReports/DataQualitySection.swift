import TapebenchCore
import TapebenchData

/// The data-quality part of the reports and of `data validate`.
public enum DataQualitySection {
    /// Examples listed per kind in Markdown (report.json keeps more).
    public static let markdownExamples = 5

    public static func table(_ report: DataQualityReport) -> Table {
        Table(header: ["finding", "action", "count", "rule"],
              rows: report.counts.map { [$0.kind.rawValue, $0.action.rawValue, String($0.count), $0.kind.rule] },
              leftAligned: [0, 1, 3])
    }

    public static func markdown(_ report: DataQualityReport, policy: ValidationPolicy, displayPath: (String) -> String = { $0 }) -> String {
        var out = "## Data quality\n\n"
        out += "\(report.barsSeen) bars checked, \(report.barsKept) passed on"
        if report.identicalDuplicates > 0 { out += ", \(report.identicalDuplicates) identical repeats passed on once" }
        out += ".\n\n"
        if report.isEmpty { return out + "No findings.\n" }
        out += table(report).markdown() + "\n"
        out += Table(header: ["finding", "ticker", "time (UTC)", "where", "detail"],
                     rows: report.examples(perKind: markdownExamples).map { [$0.kind.rawValue, $0.ticker, $0.time.iso8601, display($0.origin, displayPath), $0.detail] },
                     leftAligned: [0, 1, 2, 3, 4]).markdown()
        return out
    }
}

func display(_ origin: Origin, _ displayPath: (String) -> String) -> String {
    var shown = origin
    shown.file = displayPath(origin.file)
    return shown.description
}
