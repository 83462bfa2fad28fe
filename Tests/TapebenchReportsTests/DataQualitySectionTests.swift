import Testing
import TapebenchData
import TapebenchReports

@Suite struct DataQualitySectionTests {
    @Test("a run's report keeps at least as many findings per kind as report.md and report.json list")
    func examplesKept() {
        let policy = ValidationPolicy()
        #expect(DataQualitySection.markdownExamples <= DataQualityReport.minimumKeptPerKind)
        #expect(DataQualityReport(policy: policy).keptPerKind == policy.examplesPerKind)
        var few = policy
        few.examplesPerKind = 1
        #expect(DataQualityReport(policy: few).keptPerKind == DataQualitySection.markdownExamples)
    }
}
