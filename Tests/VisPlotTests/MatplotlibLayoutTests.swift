import Foundation
import Testing
import VisCore
import VisPlot
import VisTestSupport

/// Axes rectangles and autoscaled limits compared with matplotlib 3.11 in the interop venv.
@Suite("Layout against matplotlib")
struct MatplotlibLayoutTests {
    /// matplotlib's axes window extents (x, y from the top, width, height) for a grid at a size.
    static func matplotlibBoxes(rows: Int, cols: Int, size: (Double, Double), image: (Int, Int)?) throws -> [MatplotlibBox] {
        let imageCode = image.map { "ax.imshow(np.zeros((\($0.1), \($0.0), 3), np.uint8)); ax.set_title('t'); ax.axis('off')" } ?? "pass"
        let script = """
            import json, numpy as np, matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            fig = plt.figure(figsize=(\(size.0), \(size.1)))
            H = fig.bbox.height
            out = []
            for i in range(\(rows * cols)):
                ax = fig.add_subplot(\(rows), \(cols), i + 1)
                \(imageCode)
            fig.canvas.draw()
            for ax in fig.axes:
                b = ax.get_window_extent()
                out.append({"x": b.x0, "y": H - b.y1, "width": b.width, "height": b.height})
            print(json.dumps(out))
            """
        return try JSONDecoder().decode([MatplotlibBox].self, from: Data(try TestSupport.runPython(script).utf8))
    }

    @Test(
        "axes rectangles in pixels equal matplotlib's",
        arguments: [
            (1, 1, 6.4, 4.8, false), (2, 2, 6.4, 4.8, false), (1, 4, 24, 6, false), (1, 4, 24, 6, true), (3, 2, 5, 7, false),
        ])
    func axesRectangles(rows: Int, cols: Int, width: Double, height: Double, withImage: Bool) throws {
        // The 1×4 at 24×6 in with 224×224 images is MMSelfSup's reconstruction figure (imshow shrinks the boxes).
        let image = withImage ? (224, 224) : nil
        let expected = try Self.matplotlibBoxes(rows: rows, cols: cols, size: (width, height), image: image)
        let figure = try Figure(size: (width, height))
        let grid = try figure.subplots(rows: rows, cols: cols)
        if let image {
            for axes in grid.flatMap({ $0 }) {
                try axes.imshow(try Image(width: image.0, height: image.1, layout: .rgb))
                axes.setTitle("t")
                axes.axisOff()
            }
        }
        let ours = figure.axes.map(\.pixelRect)
        #expect(ours.count == expected.count)
        for (a, b) in zip(ours, expected) {
            #expect(abs(a.x - b.x) < 1e-6 && abs(a.y - b.y) < 1e-6, "\(a) vs \(b)")
            #expect(abs(a.width - b.width) < 1e-6 && abs(a.height - b.height) < 1e-6, "\(a) vs \(b)")
        }
    }

    struct Limits: Decodable {
        var x: [Double]
        var y: [Double]
    }

    /// Data sets whose autoscaled limits (5 % margins, widened when degenerate, non-finite values left out) must
    /// equal matplotlib's.
    static let dataSets: [(name: String, x: [Double], y: [Double])] = [
        ("ramp", [0, 1, 2, 3], [0, 1, 4, 9]),
        ("single point", [1], [1]),
        ("constant", [0, 1, 2, 3], [5, 5, 5, 5]),
        ("zeros", [0, 0], [0, 0]),
        ("with NaN and inf", [0, 1, .nan, 3, 4], [1, .infinity, 2, -.infinity, 3]),
        ("1e8 range", [0, 1, 2], [0, 1e8, 5e7]),
        ("offset", [1e6, 1e6 + 1, 1e6 + 2], [-3, -2, -1]),
        ("tiny", [0, 1e-9], [1e-12, 3e-12]),
    ]

    @Test("autoscaled limits and ticks equal matplotlib's, bad values included")
    func autoscale() throws {
        func literal(_ values: [Double]) -> String {
            "[" + values.map { $0.isNaN ? "np.nan" : $0 == .infinity ? "np.inf" : $0 == -.infinity ? "-np.inf" : $0.description }
                .joined(separator: ",") + "]"
        }
        let cases = Self.dataSets.map { "(\(literal($0.x)), \(literal($0.y)))" }.joined(separator: ",")
        let script = """
            import json, numpy as np, matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            out = []
            for x, y in [\(cases)]:
                fig, ax = plt.subplots()
                ax.plot(x, y)
                fig.canvas.draw()
                out.append({"x": list(ax.get_xlim()), "y": list(ax.get_ylim())})
                plt.close(fig)
            print(json.dumps(out))
            """
        let expected = try JSONDecoder().decode([Limits].self, from: Data(try TestSupport.runPython(script).utf8))
        for (data, limits) in zip(Self.dataSets, expected) {
            let figure = try Figure()
            let axes = try figure.subplots()[0][0]
            try axes.plot(x: data.x, y: data.y)
            let x = axes.viewLimits(horizontal: true)
            let y = axes.viewLimits(horizontal: false)
            for (ours, theirs) in [(x.0, limits.x[0]), (x.1, limits.x[1]), (y.0, limits.y[0]), (y.1, limits.y[1])] {
                #expect(abs(ours - theirs) <= 1e-12 * max(abs(theirs), 1e-300), "\(data.name): \(x), \(y) vs \(limits)")
            }
            // It renders (gaps, single points and degenerate ranges included).
            let image = try figure.render()
            #expect(image.width == 640)
        }
    }
}
