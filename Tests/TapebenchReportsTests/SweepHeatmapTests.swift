import TapebenchReports
import Testing

@Suite struct SweepHeatmapTests {
    typealias Segment = SweepHeatmap.Segment

    @Test("a return that turns positive between the first and second x value: a straight contour at x = 0.5")
    func straightContour() {
        let z = [[-1.0, -1, -1], [1, 1, 1], [3, 3, 3]]
        #expect(SweepHeatmap.contour(z) == [Segment(x1: 0.5, y1: 0, x2: 0.5, y2: 1), Segment(x1: 0.5, y1: 1, x2: 0.5, y2: 2)])
    }

    @Test("the crossing is linear between grid points: −1 to 3 crosses a quarter of the way")
    func interpolated() {
        #expect(SweepHeatmap.contour([[-1, -1], [3, 3]]) == [Segment(x1: 0.25, y1: 0, x2: 0.25, y2: 1)])
    }

    @Test("a saddle cell is split by its centre: a non-negative centre joins the positive corners")
    func saddle() {
        // z(0,0) = 1, z(1,0) = −1, z(1,1) = 1, z(0,1) = −1: centre 0 counts as positive, so corners (1,0) and (0,1) are cut off.
        #expect(SweepHeatmap.contour([[1, -1], [-1, 1]]) == [Segment(x1: 0.5, y1: 0, x2: 1, y2: 0.5), Segment(x1: 0.5, y1: 1, x2: 0, y2: 0.5)])
    }

    @Test("no contour when the sign never changes, or the grid is a line")
    func none() {
        #expect(SweepHeatmap.contour([[1, 2], [3, 4]]).isEmpty)
        #expect(SweepHeatmap.contour([[-1, 1]]).isEmpty)
    }

    @Test("the SVG colours each cell, labels the axes, and draws the contour; the same input gives the same bytes")
    func svg() {
        let render = { SweepHeatmap.svg(title: "t", xName: "slippage.bps", xs: ["0", "1", "2"], yName: "commission.per_fill", ys: ["0", "1"],
                                        z: [[2, 1], [0.5, -0.5], [-1, -2]]) }
        let text = render()
        #expect(text == render())
        #expect(text.components(separatedBy: "<rect ").count - 1 == 6)
        #expect(text.contains("rgb(255,64,64)"))  // −2, the largest magnitude: full red
        #expect(text.contains("rgb(64,64,255)"))  // +2: full blue
        #expect(text.contains("<title>break-even: net return 0</title>"))
        #expect(text.contains(">slippage.bps</text>") && text.contains(">commission.per_fill</text>"))
    }
}
