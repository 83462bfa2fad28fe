import Foundation
import Testing
import TapebenchTestSupport

@Suite struct SweepHeatmapCommandTests {
    @Test("a two-parameter sweep also writes sweep-heatmap.svg with the break-even contour; one parameter does not")
    func twoParameters() throws {
        let folder = try temporaryFolder()
        let result = try runTapebench(["sweep", Repository.defaultScenario, "--param", "slippage.bps=0:3:1", "--param", "commission.per_fill=0,0.5",
                                       "--out", "out"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("wrote out/sweep-heatmap.svg"))
        let svg = try String(contentsOfFile: folder + "/out/sweep-heatmap.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("vwap-mr · net return % (dashed: break-even)"))
        #expect(svg.contains("<title>break-even: net return 0</title>"))  // seed's 1 bp earns, 2 bp loses
        let one = try runTapebench(["sweep", Repository.defaultScenario, "--param", "slippage.bps=0:1:1", "--out", "one"], in: folder)
        #expect(one.status == 0)
        #expect(!FileManager.default.fileExists(atPath: folder + "/one/sweep-heatmap.svg"))
    }
}
