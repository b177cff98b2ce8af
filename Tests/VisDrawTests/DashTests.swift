import Foundation
import Testing
import VisCore
@testable import VisDraw

@Suite("Dashes and line styles")
struct DashTests {
    @Test("LineStyle parses MMEngine symbols and names, rejects others with a typed error")
    func parsing() throws {
        let cases: [(String, LineStyle)] = [
            ("-", .solid), ("--", .dashed), ("-.", .dashDot), (":", .dotted),
            ("solid", .solid), ("dashed", .dashed), ("dashdot", .dashDot), ("DOTTED", .dotted),
        ]
        for (text, style) in cases {
            #expect(try LineStyle(parsing: text) == style)
        }
        for style in LineStyle.allCases { #expect(try LineStyle(parsing: style.symbol) == style) }
        for bad in ["", "..", "-:", "dash", "none"] {
            #expect(throws: VisDrawError.self) { try LineStyle(parsing: bad) }
            do {
                _ = try LineStyle(parsing: bad)
            } catch let VisDrawError.invalidArgument(argument, expected, _) {
                #expect(argument == "lineStyle")
                #expect(expected.contains("\"--\""))
            }
        }
        #expect(LineStyle.dashed.dashPattern(lineWidth: 2)?.intervals == [7.4, 3.2])
        #expect(LineStyle.dashDot.dashPattern(lineWidth: 1)?.intervals == [6.4, 1.6, 1.0, 1.6])
        #expect(LineStyle.dotted.dashPattern(lineWidth: 3)?.intervals.map { ($0 * 100).rounded() / 100 } == [3, 4.95])
        #expect(LineStyle.solid.dashPattern(lineWidth: 3) == nil)
        #expect(StrokeStyle(lineWidth: 2, lineStyle: .dashed, cap: .round).cap == .butt)
    }

    /// Dash runs along row `row` of a horizontal dashed line: (start, on length) from coverage.
    func dashRuns(_ coverage: [Float], width: Int, row: Int) -> [(start: Double, length: Double)] {
        var runs: [(Double, Double)] = []
        var x = 0
        while x < width {
            guard coverage[row * width + x] > 0 else { x += 1; continue }
            let first = x
            var sum = 0.0
            while x < width, coverage[row * width + x] > 0 {
                sum += Double(coverage[row * width + x])
                x += 1
            }
            // A dash's left edge lies inside its first pixel at 1 - coverage (full pixels after it).
            let start = Double(first) + 1 - Double(coverage[row * width + first])
            runs.append((start, sum))
        }
        return runs
    }

    @Test("MMEngine dash patterns have the specified on lengths and periods at several widths", arguments: [2.0, 3, 4.5])
    func mmengineDashes(width: Double) throws {
        let size = 400
        for style in [LineStyle.dashed, .dashDot, .dotted] {
            let start = 10.0
            let path = Path.line(from: Point(start, 20), to: Point(390, 20))
            let strokeStyle = StrokeStyle(lineWidth: width, lineStyle: style)
            let coverage = try ExactCoverage.stroke(path, style: strokeStyle, width: size, height: 40)
            // Row 19 is fully inside the band vertically for every width ≥ 2.
            let runs = dashRuns(coverage, width: size, row: 19)
            let intervals = style.intervalsInLineWidths.map { $0 * width }
            let onLengths = stride(from: 0, to: intervals.count, by: 2).map { intervals[$0] }
            let period = intervals.reduce(0, +)
            #expect(runs.count >= 5, "\(style) at \(width): \(runs.count) runs")
            for (index, run) in runs.dropLast().enumerated() {
                let expectedStart = start + Double(index / onLengths.count) * period
                    + (index % onLengths.count == 1 ? intervals[0] + intervals[1] : 0)
                #expect(abs(run.start - expectedStart) < 0.02, "\(style) width \(width) dash \(index) starts at \(run.start), expected \(expectedStart)")
                #expect(abs(run.length - onLengths[index % onLengths.count]) < 0.02)
            }
        }
    }

    @Test("Custom patterns with offsets; an odd count repeats; the phase survives clipping")
    func customPatterns() throws {
        let path = Path.line(from: Point(0, 10), to: Point(100, 10))
        let style = StrokeStyle(lineWidth: 4, dash: try DashPattern(intervals: [10, 5], offset: 3))
        let runs = dashRuns(try ExactCoverage.stroke(path, style: style, width: 100, height: 20), width: 100, row: 9)
        #expect(abs(runs[0].length - 7) < 0.02)  // the first dash starts 3 px into its 10 px
        #expect(abs(runs[1].start - 12) < 0.02)
        #expect(try DashPattern(intervals: [4]).intervals == [4, 4])
        // The same line from far outside: dashes land at the same places.
        let near = Path.line(from: Point(-20, 10), to: Point(100, 10))
        let nearRuns = dashRuns(try ExactCoverage.stroke(near, style: style, width: 100, height: 20), width: 100, row: 9)
        let far = Path.line(from: Point(-1_000_020, 10), to: Point(100, 10))
        let farStyle = StrokeStyle(lineWidth: 4, dash: try DashPattern(intervals: [10, 5], offset: 3 - 1_000_000))
        let farRuns = dashRuns(try ExactCoverage.stroke(far, style: farStyle, width: 100, height: 20), width: 100, row: 9)
        #expect(farRuns.count == nearRuns.count)
        for (a, b) in zip(nearRuns, farRuns) {
            #expect(abs(a.start - b.start) < 0.02 && abs(a.length - b.length) < 0.02)
        }
    }

    @Test("Dashes follow closed outlines and curves; zero-length dashes with round caps are dots")
    func dashedOutlines() throws {
        let style = StrokeStyle(lineWidth: 2, lineStyle: .dashed)
        let solid = ExactCoverage.sum(try ExactCoverage.stroke(Path.rect(x: 10, y: 10, width: 80, height: 60), style: StrokeStyle(lineWidth: 2, join: .miter), width: 100, height: 100))
        let dashed = ExactCoverage.sum(try ExactCoverage.stroke(Path.rect(x: 10, y: 10, width: 80, height: 60), style: style, width: 100, height: 100))
        let onFraction = 3.7 / 5.3
        #expect(abs(dashed / solid - onFraction) < 0.03)
        let dots = StrokeStyle(lineWidth: 4, cap: .round, dash: try DashPattern(intervals: [0, 10]))
        let coverage = try ExactCoverage.stroke(Path.line(from: Point(5, 10), to: Point(96, 10)), style: dots, width: 100, height: 20)
        // Ten dots of radius 2 at x = 5, 15, …, 95.
        #expect(abs(ExactCoverage.sum(coverage) - 10 * Double.pi * 4) / (10 * Double.pi * 4) < 0.01)
        #expect(coverage[10 * 100 + 45] > 0.9 && coverage[10 * 100 + 50] == 0)
    }

    @Test("Patterns finer than a pixel draw solid at their on-fraction")
    func finePatterns() throws {
        let canvas = try Canvas(width: 60, height: 20)
        let mask = try canvas.coverageMask(stroking: Path.line(from: Point(5, 10), to: Point(55, 10)), style: StrokeStyle(lineWidth: 1, dash: try DashPattern(intervals: [0.2, 0.6])))
        let total = mask.coverage.reduce(0.0) { $0 + Double($1) / 255 }
        #expect(abs(total - 50 * 0.25) < 0.5)
    }
}
