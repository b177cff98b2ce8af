import Foundation
import VisPlot

extension Workloads {
    /// VisPlot: whole figures from data to a PNG file (the anchors are matplotlib's Agg `savefig` of the same
    /// figures, built the same way, in `Scripts/bench/anchor_plot.py`), and the same figures drawn to pixels
    /// without the PNG encoding (anchors: `fig.canvas.draw()`).
    static let plot: [Workload] = [
        Workload(
            name: "plot.curves.4x100k.legend.png",
            summary: "4 curves × 100 000 points, title, labels, grid, legend (best) → 640×480 PNG"
        ) { context in
            let path = context.workDirectory.appendingPathComponent("curves.png").path
            let data = PlotBenchData.curves()
            return { try PlotBenchData.curvesFigure(data).savefig(path) }
        },
        Workload(name: "plot.curves.4x100k.legend.render", summary: "the curves figure drawn to pixels (no PNG)") { _ in
            let data = PlotBenchData.curves()
            return { _ = try PlotBenchData.curvesFigure(data).render() }
        },
        Workload(
            name: "plot.scatter.tab20.10k.10x10in.png",
            summary: "10 000 points in 20 classes, tab20 colours, 10×10 in at 100 dpi → PNG (a t-SNE picture)"
        ) { context in
            let data = PlotBenchData.clusters()
            let path = context.workDirectory.appendingPathComponent("scatter.png").path
            return { try PlotBenchData.scatterFigure(data).savefig(path) }
        },
        Workload(name: "plot.scatter.tab20.10k.10x10in.render", summary: "the scatter figure drawn to pixels (no PNG)") { _ in
            let data = PlotBenchData.clusters()
            return { _ = try PlotBenchData.scatterFigure(data).render() }
        },
    ]
}

/// The data of the plot workloads; `Scripts/bench/anchor_plot.py` computes the same with NumPy.
enum PlotBenchData {
    static let curvePoints = 100_000

    /// The x values and the four curves.
    static func curves() -> (x: [Double], curves: [[Double]]) {
        ((0..<curvePoints).map(Double.init), (0..<4).map(curve))
    }

    static func curvesFigure(_ data: (x: [Double], curves: [[Double]])) throws -> Figure {
        let figure = try Figure()
        let axes = try figure.subplots()[0][0]
        for (index, y) in data.curves.enumerated() { try axes.plot(x: data.x, y: y, label: "run \(index)") }
        axes.setTitle("loss")
        axes.setXLabel("iter")
        axes.setYLabel("value")
        axes.grid()
        try axes.legend()
        return figure
    }

    static func scatterFigure(_ data: (x: [Double], y: [Double], labels: [Double])) throws -> Figure {
        let figure = try Figure(size: (10, 10))
        let axes = try figure.subplots()[0][0]
        try axes.scatter(x: data.x, y: data.y, values: data.labels, colormap: .tab20)
        axes.setTitle("t-SNE")
        return figure
    }

    /// A decaying loss-like curve with noise, different per `index`.
    static func curve(_ index: Int) -> [Double] {
        let k = Double(index)
        return (0..<curvePoints).map { i in
            let t = Double(i)
            return (k + 1) * exp(-t / 30_000) + 0.05 * sin(t * 0.37 + k) + 0.02 * sin(t * 12.9898 + k)
        }
    }

    /// 10 000 points in 20 clusters on a circle.
    static func clusters() -> (x: [Double], y: [Double], labels: [Double]) {
        var x: [Double] = []
        var y: [Double] = []
        var labels: [Double] = []
        for i in 0..<10_000 {
            let label = i % 20
            let angle = Double(label) * 2 * Double.pi / 20
            let u = sin(Double(i) * 12.9898) * 43758.5453
            let v = sin(Double(i) * 78.233) * 12345.6789
            x.append(40 * cos(angle) + 8 * ((u - u.rounded(.down)) * 2 - 1))
            y.append(40 * sin(angle) + 8 * ((v - v.rounded(.down)) * 2 - 1))
            labels.append(Double(label))
        }
        return (x, y, labels)
    }
}
