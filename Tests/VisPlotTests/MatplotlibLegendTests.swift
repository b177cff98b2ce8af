import Foundation
import Testing
import VisCore
import VisPlot
import VisTestSupport

/// Legend boxes (size and `loc="best"` placement) and tight layouts compared with matplotlib 3.11.
@Suite("Legend and tight layout against matplotlib")
struct MatplotlibLegendTests {
    /// Scenes: Swift setup and the same in Python (on `ax`).
    static let scenes: [(name: String, swift: @Sendable (Axes) throws -> Void, python: String)] = [
        (
            "rising lines: best is upper left",
            { axes in
                try axes.plot(x: [0, 1, 2, 3], y: [0, 1, 2, 3], label: "train")
                try axes.plot(x: [0, 1, 2, 3], y: [0, 0.5, 1.5, 2.9], label: "val")
            },
            "ax.plot([0,1,2,3],[0,1,2,3],label='train'); ax.plot([0,1,2,3],[0,0.5,1.5,2.9],label='val')"
        ),
        (
            "falling loss: best is upper right",
            { axes in try axes.plot(x: [0, 1, 2, 3, 4], y: [4, 1, 0.5, 0.3, 0.2], label: "loss") },
            "ax.plot([0,1,2,3,4],[4,1,0.5,0.3,0.2],label='loss')"
        ),
        (
            "scatter corners and a band",
            { axes in
                try axes.scatter(x: [0, 10, 0, 10], y: [0, 0, 10, 10], label: "corners")
                try axes.fillBetween(x: [0, 5, 10], lower: [4, 4, 4], upper: [6, 6, 6], label: "band")
            },
            "ax.scatter([0,10,0,10],[0,0,10,10],label='corners'); ax.fill_between([0,5,10],[4,4,4],[6,6,6],label='band')"
        ),
    ]

    @Test("legend boxes match matplotlib's within 1.5 px")
    func legendBoxes() throws {
        let body = Self.scenes.map { scene in
            """
            fig, ax = plt.subplots()
            \(scene.python)
            legend = ax.legend(); fig.canvas.draw()
            b = legend.get_window_extent(); H = fig.bbox.height
            out.append({"x": b.x0, "y": H - b.y1, "width": b.width, "height": b.height}); plt.close(fig)
            """
        }.joined(separator: "\n")
        let script = "import json, matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt\nout = []\n\(body)\nprint(json.dumps(out))"
        let expected = try JSONDecoder().decode([MatplotlibBox].self, from: Data(try TestSupport.runPython(script).utf8))
        for (scene, theirs) in zip(Self.scenes, expected) {
            let figure = try Figure()
            let axes = try figure.subplots()[0][0]
            try scene.swift(axes)
            try axes.legend()
            let ours = try #require(try axes.legendRect())
            for (a, b) in [(ours.x, theirs.x), (ours.y, theirs.y), (ours.width, theirs.width), (ours.height, theirs.height)] {
                #expect(abs(a - b) <= 1.5, "\(scene.name): \(ours) vs \(theirs)")
            }
        }
    }

    @Test("tight layout places 2×2 axes within 3 px of matplotlib's")
    func tightLayout() throws {
        let script = """
            import json, matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            fig, axs = plt.subplots(2, 2)
            for i, ax in enumerate(axs.flat):
                ax.plot([0, 1000], [0, 1]); ax.set_title(f"run {i}"); ax.set_xlabel("iter"); ax.set_ylabel("loss")
            fig.tight_layout(); fig.canvas.draw(); H = fig.bbox.height
            out = []
            for ax in fig.axes:
                b = ax.get_window_extent()
                out.append({"x": b.x0, "y": H - b.y1, "width": b.width, "height": b.height})
            print(json.dumps(out))
            """
        let expected = try JSONDecoder().decode([MatplotlibBox].self, from: Data(try TestSupport.runPython(script).utf8))
        let figure = try Figure()
        for (index, axes) in try figure.subplots(rows: 2, cols: 2).flatMap({ $0 }).enumerated() {
            try axes.plot(x: [0, 1000], y: [0, 1])
            axes.setTitle("run \(index)")
            axes.setXLabel("iter")
            axes.setYLabel("loss")
        }
        try figure.tightLayout()
        for (axes, theirs) in zip(figure.axes, expected) {
            let ours = axes.pixelRect
            for (a, b) in [(ours.x, theirs.x), (ours.y, theirs.y), (ours.width, theirs.width), (ours.height, theirs.height)] {
                #expect(abs(a - b) <= 3, "\(ours) vs \(theirs)")
            }
        }
    }
}
