import Foundation
import Testing
import VisCore
import VisPlot
import VisTestSupport

/// Whole figures rendered by VisPlot and by matplotlib (Agg) from the same data, compared per pixel, plus
/// committed goldens of ours (regenerate with `VIS_REGENERATE_GOLDEN=1`).
@Suite("Images against matplotlib")
struct MatplotlibImageTests {
    static let golden = TestSupport.packageRoot.appendingPathComponent("Tests/VisPlotTests/Golden")

    /// The mean absolute difference per sample (0...255) of two same-sized images.
    static func meanDifference(_ a: Image, _ b: Image) -> Double { TestSupport.meanDifference(a, b) }

    /// The training-curve scene: two curves (one dashed with markers), a band, a reference line, labels,
    /// title, grid and legend.
    static func lineFigure() throws -> Figure {
        let figure = try Figure()
        let axes = try figure.subplots()[0][0]
        let x = (0..<200).map { Double($0) / 20 }
        try axes.fillBetween(x: x, lower: x.map { sin($0) - 0.2 }, upper: x.map { sin($0) + 0.2 }, alpha: 0.3)
        try axes.plot(x: x, y: x.map { sin($0) }, label: "train loss")
        try axes.plot(x: x, y: x.map { 0.5 * cos($0) }, lineStyle: .dashed, label: "val loss")
        try axes.plot(x: [1, 3, 5, 7, 9], y: [0.9, 0.7, 0.5, 0.3, 0.1], marker: .circle, label: "acc")
        try axes.axhline(y: 0, color: Color(red: 128, green: 128, blue: 128), lineWidth: 1, lineStyle: .dotted)
        axes.setTitle("Training curves")
        axes.setXLabel("epoch")
        axes.setYLabel("value")
        axes.grid()
        try axes.legend()
        return figure
    }

    static let linePython = """
        x = np.arange(200) / 20
        ax.fill_between(x, np.sin(x) - 0.2, np.sin(x) + 0.2, alpha=0.3)
        ax.plot(x, np.sin(x), label="train loss")
        ax.plot(x, 0.5 * np.cos(x), "--", label="val loss")
        ax.plot([1, 3, 5, 7, 9], [0.9, 0.7, 0.5, 0.3, 0.1], marker="o", label="acc")
        ax.axhline(0, color=(128/255, 128/255, 128/255), linewidth=1, linestyle=":")
        ax.set_title("Training curves"); ax.set_xlabel("epoch"); ax.set_ylabel("value"); ax.grid(); ax.legend()
        """

    /// Deterministic clusters like a t-SNE embedding of 20 classes.
    static func clusters() -> (x: [Double], y: [Double], labels: [Double]) {
        var x: [Double] = []
        var y: [Double] = []
        var labels: [Double] = []
        for index in 0..<2000 {
            let label = index % 20
            let angle = Double(label) * 2 * Double.pi / 20
            let radius = 30 + Double(label % 3) * 12
            // A cheap deterministic jitter both sides compute identically.
            let u = sin(Double(index) * 12.9898) * 43758.5453
            let v = sin(Double(index) * 78.233) * 12345.6789
            let jx = (u - u.rounded(.down)) * 2 - 1
            let jy = (v - v.rounded(.down)) * 2 - 1
            x.append(radius * cos(angle) + 6 * jx)
            y.append(radius * sin(angle) + 6 * jy)
            labels.append(Double(label))
        }
        return (x, y, labels)
    }

    static func scatterFigure() throws -> Figure {
        let figure = try Figure(size: (8, 8))
        let axes = try figure.subplots()[0][0]
        let data = clusters()
        try axes.scatter(x: data.x, y: data.y, sizes: [15], values: data.labels, colormap: .tab20)
        axes.setTitle("t-SNE")
        return figure
    }

    static let scatterPython = """
        i = np.arange(2000); label = i % 20
        angle = label * 2 * np.pi / 20; radius = 30 + (label % 3) * 12
        u = np.sin(i * 12.9898) * 43758.5453; v = np.sin(i * 78.233) * 12345.6789
        jx = (u - np.floor(u)) * 2 - 1; jy = (v - np.floor(v)) * 2 - 1
        ax.scatter(radius * np.cos(angle) + 6 * jx, radius * np.sin(angle) + 6 * jy, c=label, cmap="tab20", s=15)
        ax.set_title("t-SNE")
        """

    static func matplotlibImage(_ body: String, size: (Double, Double)) throws -> Image {
        let directory = try TestSupport.makeTemporaryDirectory("visplot-mpl")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("mpl.png").path
        let indented = body.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let script = """
            import numpy as np, matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            fig, ax = plt.subplots(figsize=(\(size.0), \(size.1)))
            if True:
            \(indented)
            fig.savefig(\"\(path)\")
            """
        try TestSupport.runPython(script)
        return try Image(contentsOfFile: path)
    }

    /// Renders `figure`, compares it with matplotlib's rendering of `python` and with the golden `name`.
    static func compare(_ figure: Figure, python: String, size: (Double, Double), golden name: String, bound: Double) throws {
        let ours = try figure.render()
        let theirs = try matplotlibImage(python, size: size)
        #expect(ours.width == theirs.width && ours.height == theirs.height)
        let difference = meanDifference(ours, theirs)
        #expect(difference < bound, "mean difference \(difference)")
        let result = try TestSupport.compareWithGolden(ours, name: name, directory: golden, tolerance: 2)
        #expect(result.differingSamples == 0, "differs from the golden in \(result.differingSamples) samples")
    }

    @Test("a line plot differs from matplotlib's by under 0.6 levels per sample on average")
    func linePlot() throws {
        try Self.compare(Self.lineFigure(), python: Self.linePython, size: (6.4, 4.8), golden: "line-plot.png", bound: 0.6)
    }

    @Test("a tab20 scatter differs from matplotlib's by under 0.4 levels per sample on average")
    func tab20Scatter() throws {
        try Self.compare(Self.scatterFigure(), python: Self.scatterPython, size: (8, 8), golden: "tab20-scatter.png", bound: 0.4)
    }
}
