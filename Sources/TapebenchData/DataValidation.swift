import TapebenchCore

/// Reads files through the validator without replaying them (`data validate`).
public enum DataValidation {
    /// `calendar` decides what regular hours, a missing minute, a halt and an out-of-hours bar are (`--session`).
    public static func validate(paths: [String], hints: DialectHints, policy: ValidationPolicy,
                                calendar: ExchangeCalendar = .nyse) throws -> DataQualityReport {
        // Errors are findings here, not stops: every finding is wanted, and the exit code tells.
        var collecting = policy
        collecting.keepsAllFindings = true
        var escalate: Set<FindingKind> = []
        for kind in FindingKind.allCases where policy.action(kind) == .error {
            collecting.actions[kind] = .keep
            escalate.insert(kind)
        }
        let dataset = try Dataset(paths: paths, hints: hints)
        var stream = try dataset.bars(DataSelection(calendar: calendar), policy: collecting)
        // Read a chunk at a time (`read(into:)`), as a replay takes them: not a protocol call and an
        // `Optional<Bar>` returned through two streams per bar.
        let chunk = UnsafeMutableBufferPointer<Bar>.allocate(capacity: 256)
        defer { chunk.deallocate() }
        while case let count = try stream.read(into: chunk), count > 0 {
            chunk.baseAddress!.deinitialize(count: count)
        }
        var report = stream.quality
        if report.barsSeen == 0, report.count(.noBars) == 0 {
            // Files were found and read, and none held a bar (REST pages without results, say): not a clean result.
            report.add(Finding(kind: .noBars, ticker: "", time: Timestamp(nanoseconds: 0), origin: Origin(file: paths.joined(separator: ", ")),
                               detail: "no bars in any file", action: .keep))
            if policy.action(.noBars) == .error { escalate.insert(.noBars) }
        }
        report.escalate(escalate)
        return report
    }
}
