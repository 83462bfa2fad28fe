import Foundation
import TapebenchCore
import TapebenchExecution

/// A two-parameter sweep as a heatmap: net return over the grid of the first two parameters (the others at
/// their first values), one cell per grid point, with the break-even contour (net return = 0) drawn between
/// the cells by marching squares, linear between neighbouring grid points.
public enum SweepHeatmap {
    /// A piece of the contour, in grid coordinates (x = index of the first parameter's value, y = second's;
    /// fractional between grid points).
    public struct Segment: Sendable, Hashable {
        public var x1, y1, x2, y2: Double

        public init(x1: Double, y1: Double, x2: Double, y2: Double) {
            (self.x1, self.y1, self.x2, self.y2) = (x1, y1, x2, y2)
        }
    }

    /// The zero contour of `z[i][j]` (i along x, j along y) by marching squares. A corner counts as positive
    /// at 0 or above. A saddle cell (diagonal corners alike) is split by the sign of its centre's mean.
    public static func contour(_ z: [[Double]]) -> [Segment] {
        guard z.count >= 2, let height = z.first?.count, height >= 2, z.allSatisfy({ $0.count == height }) else { return [] }
        var segments: [Segment] = []
        for i in 0..<(z.count - 1) {
            for j in 0..<(height - 1) {
                // Corners counter-clockwise from (i, j); edges between consecutive corners.
                let corners = [(Double(i), Double(j), z[i][j]), (Double(i + 1), Double(j), z[i + 1][j]),
                               (Double(i + 1), Double(j + 1), z[i + 1][j + 1]), (Double(i), Double(j + 1), z[i][j + 1])]
                var crossings: [(Double, Double)] = []
                for k in 0..<4 {
                    let a = corners[k], b = corners[(k + 1) % 4]
                    guard (a.2 >= 0) != (b.2 >= 0) else { continue }
                    let t = a.2 / (a.2 - b.2)
                    crossings.append((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
                }
                if crossings.count == 2 {
                    segments.append(Segment(x1: crossings[0].0, y1: crossings[0].1, x2: crossings[1].0, y2: crossings[1].1))
                } else if crossings.count == 4 {
                    // Crossings lie on edges 0-1, 1-2, 2-3, 3-0. Corner 0's sign agrees with the centre: it is cut off
                    // alone (pair 3-0 with 0-1) and so is corner 2; otherwise corners 1 and 3 are.
                    let centre = corners.map(\.2).reduce(0, +) / 4
                    let pairs = (corners[0].2 >= 0) != (centre >= 0) ? [(3, 0), (1, 2)] : [(0, 1), (2, 3)]
                    for (a, b) in pairs {
                        segments.append(Segment(x1: crossings[a].0, y1: crossings[a].1, x2: crossings[b].0, y2: crossings[b].1))
                    }
                }
            }
        }
        return segments
    }

    /// The fill colour of a cell: red below zero, blue above, stronger with |value| / `scale`; white at 0.
    static func color(_ value: Double, scale: Double) -> String {
        let strength = scale > 0 ? min(1, abs(value) / scale) : 0
        let fade = Int((255 * (1 - 0.75 * strength)).rounded())
        return value < 0 ? "rgb(255,\(fade),\(fade))" : "rgb(\(fade),\(fade),255)"
    }

    /// A standalone SVG: cells coloured by `z` (net return in %), each with its value as a tooltip, axis
    /// labels from `xs` and `ys`, and the break-even contour as a dashed black path.
    public static func svg(title: String, xName: String, xs: [String], yName: String, ys: [String], z: [[Double]]) -> String {
        let left = 90.0, top = 34.0, right = 20.0, bottom = 46.0
        let cell = 28.0
        let width = left + Double(xs.count) * cell + right, height = top + Double(ys.count) * cell + bottom
        // Grid point (i, j) is the centre of its cell; y grows upwards.
        func px(_ x: Double) -> Double { left + (x + 0.5) * cell }
        func py(_ y: Double) -> Double { top + (Double(ys.count) - 0.5 - y) * cell }
        let scale = z.flatMap { $0 }.map(abs).max() ?? 0
        var out = SVGChart.opening(title: title, width: width, height: height, titleX: left, origin: nil)
        for i in z.indices {
            for j in z[i].indices {
                out += "<rect x=\"\(f(px(Double(i)) - cell / 2))\" y=\"\(f(py(Double(j)) - cell / 2))\" width=\"\(f(cell))\" height=\"\(f(cell))\" fill=\"\(color(z[i][j], scale: scale))\">"
                out += "<title>\(escape(xName)) \(escape(xs[i])), \(escape(yName)) \(escape(ys[j])): \(formatStatistic(z[i][j], digits: 2)) %</title></rect>\n"
            }
        }
        let every = max(1, (max(xs.count, ys.count) + 11) / 12)
        for (i, label) in xs.enumerated() where i % every == 0 {
            out += "<text x=\"\(f(px(Double(i))))\" y=\"\(f(top + Double(ys.count) * cell + 14))\" text-anchor=\"middle\">\(escape(label))</text>\n"
        }
        for (j, label) in ys.enumerated() where j % every == 0 {
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(py(Double(j)) + 4))\" text-anchor=\"end\">\(escape(label))</text>\n"
        }
        out += "<text x=\"\(f(left + Double(xs.count) * cell / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">\(escape(xName))</text>\n"
        out += "<text x=\"12\" y=\"\(f(top + Double(ys.count) * cell / 2))\" transform=\"rotate(-90 12 \(f(top + Double(ys.count) * cell / 2)))\" text-anchor=\"middle\">\(escape(yName))</text>\n"
        let segments = contour(z)
        if !segments.isEmpty {
            let path = segments.map { "M\(f(px($0.x1))),\(f(py($0.y1))) L\(f(px($0.x2))),\(f(py($0.y2)))" }.joined(separator: " ")
            out += "<path d=\"\(path)\" fill=\"none\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"5,3\"><title>break-even: net return 0</title></path>\n"
        }
        return out + "</svg>\n"
    }
}

extension SweepReport {
    /// With two or more parameters: one heatmap per agent of net return (%) over the first two parameters,
    /// the others at their first values, stacked in one SVG; nil with a single parameter.
    public func heatmapSVG() -> String? {
        guard grid.parameters.count >= 2 else { return nil }
        let (p0, p1) = (grid.parameters[0], grid.parameters[1])
        var parts: [(svg: String, width: Double, height: Double)] = []
        for agent in agents {
            var z = Array(repeating: Array(repeating: 0.0, count: p1.values.count), count: p0.values.count)
            for row in rows where row.summary.agent == agent
                && row.values.indices.dropFirst(2).allSatisfy({ row.values[$0] == grid.parameters[$0].values[0] }) {
                guard let i = p0.values.firstIndex(of: row.values[0]), let j = p1.values.firstIndex(of: row.values[1]) else { continue }
                z[i][j] = row.summary.returnFraction * 100
            }
            let svg = SweepHeatmap.svg(title: "\(agent) · net return % (dashed: break-even)", xName: p0.name,
                                       xs: p0.values.map(\.text), yName: p1.name,
                                       ys: p1.values.map(\.text), z: z)
            parts.append((svg, 90 + Double(p0.values.count) * 28 + 20, 34 + Double(p1.values.count) * 28 + 46))
        }
        let width = parts.map(\.width).max() ?? 0, height = parts.map(\.height).reduce(0, +)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        var y = 0.0
        for part in parts {
            // Place each standalone chart: its <svg> opening gets a position instead of the namespace.
            out += part.svg.replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\"", with: "<svg x=\"0\" y=\"\(f(y))\"")
            y += part.height
        }
        return out + "</svg>\n"
    }
}
