import Foundation
import Testing
import VisTestSupport
import Visualization

/// The drawing methods against matplotlib (the interop venv's 3.11) rendering what MMEngine's do: a figure of
/// `(W + 0.01) / 100` × `(H + 0.01) / 100` inches at 100 dpi with the image shown on axes that fill it, then
/// `PolyCollection` (boxes, polygons), `LineCollection` (lines), `PatchCollection` of circles and `scatter` with MMEngine's
/// arguments (widths in points, clamped for shapes, alpha 0.8). The Python below replicates those calls; it does
/// not import mmengine.
///
/// Tolerances: every case must agree within 24 levels per sample (anti-aliasing of diagonal and curved edges
/// differs slightly between Agg and our rasterizer; circles are four Béziers here and eight in matplotlib) and on
/// average within 0.2 levels, which fails for any offset, width or snapping difference (half a pixel moves the
/// mean by more than 1).
@Suite("Visualizer drawing vs matplotlib")
struct VisualizerDrawingMatplotlibTests {
    static let script = #"""
        import json, sys
        import numpy as np
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
        from matplotlib.patches import Circle

        spec = json.loads(sys.argv[1])
        h, w = spec["height"], spec["width"]
        image = np.full((h, w, 3), spec["background"], np.uint8)
        figure = plt.figure(frameon=False)
        axes = figure.add_subplot()
        axes.axis(False)
        figure.subplots_adjust(left=0, right=1, bottom=0, top=1)
        figure.set_size_inches((w + 1e-2) / 100, (h + 1e-2) / 100)
        axes.imshow(image, extent=(0, w, h, 0), interpolation="none")
        font = max(int(np.sqrt(h * w) // 90), 10)
        clamp = lambda widths: [min(max(v, 1), font / 4) for v in widths]
        for op in spec["ops"]:
            kind = op["kind"]
            if kind == "boxes":
                polygons = [np.array([[a, b], [c, b], [c, d], [a, d]]) for a, b, c, d in op["boxes"]]
                axes.add_collection(PolyCollection(
                    polygons, alpha=0.8, facecolor=op["faces"], edgecolors=op["edges"], linestyles=op["styles"],
                    linewidths=clamp(op["widths"])))
            elif kind == "polygons":
                axes.add_collection(PolyCollection(
                    [np.array(p) for p in op["polygons"]], alpha=0.8, facecolor=op["faces"], edgecolors=op["edges"],
                    linestyles=op["styles"], linewidths=clamp(op["widths"])))
            elif kind == "lines":
                axes.add_collection(LineCollection(
                    op["lines"], colors=op["colors"], linestyles=op["styles"], linewidths=op["widths"]))
            elif kind == "circles":
                circles = [Circle(tuple(c), r) for c, r in zip(op["centers"], op["radii"])]
                axes.add_collection(PatchCollection(
                    circles, alpha=0.8, facecolors=op["faces"], edgecolors=op["edges"], linestyles=op["styles"],
                    linewidths=clamp(op["widths"])))
            elif kind == "points":
                p = np.array(op["positions"], float)
                axes.scatter(p[:, 0], p[:, 1], c=op["colors"], s=op["sizes"], marker=op["marker"])
        figure.canvas.draw()
        np.save(sys.argv[2], np.asarray(figure.canvas.buffer_rgba())[..., :3].copy())
        """#

    /// One scene: the matplotlib operations (as the script reads them) and the same drawing through the Swift API.
    struct Scene: Sendable {
        let name: String
        /// The script's input: the image and the matplotlib operation.
        let json: String
        let draw: @Sendable (Visualizer) throws -> Void
        let maxTolerance = 24
        let meanTolerance = 0.2

        init(name: String, operations: [String: Any], draw: @escaping @Sendable (Visualizer) throws -> Void) {
            let object: [String: Any] = ["width": 240, "height": 120, "background": [40, 50, 60], "ops": [operations]]
            let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            self.name = name
            self.json = String(decoding: data, as: UTF8.self)
            self.draw = draw
        }
    }

    static let markerScenes: [Scene] = PointMarker.allCases.map { marker in
        Scene(
            name: "marker \(marker.rawValue)",
            operations: [
                "kind": "points", "positions": [[30, 60], [100.5, 60.5], [170.3, 60.8], [210.75, 30.25]],
                "colors": "w", "sizes": 100, "marker": marker.rawValue,
            ],
            draw: { visualizer in
                try visualizer.drawPoints(
                    [[30, 60], [100.5, 60.5], [170.3, 60.8], [210.75, 30.25]], colors: "w", marker: marker, sizes: 100)
            })
    }

    static let scenes: [Scene] =
        [
            Scene(
                name: "boxes: fractional and whole corners, widths clamped, a filled face",
                operations: [
                    "kind": "boxes",
                    "boxes": [[10.3, 12.7, 90.2, 70.5], [110, 20, 190, 100], [200.5, 30.5, 230.5, 110.5]],
                    "edges": ["r", "c", "w"], "faces": ["none", "none", "y"], "styles": ["-", "-", "-"],
                    "widths": [2, 3, 1],
                ],
                draw: { visualizer in
                    try visualizer.drawBoundingBoxes(
                        [[10.3, 12.7, 90.2, 70.5], [110, 20, 190, 100], [200.5, 30.5, 230.5, 110.5]],
                        edgeColors: ["r", "c", "w"], lineWidths: [2, 3, 1], faceColors: [.none, .none, "y"])
                }),
            Scene(
                name: "lines: dashed, dotted and dash-dot, horizontal, vertical and diagonal",
                operations: [
                    "kind": "lines",
                    "lines": [[[5, 110], [235, 110]], [[5, 5], [235, 60]], [[120.3, 10], [120.3, 100]]],
                    "colors": ["g", "m", "w"], "styles": ["--", ":", "-."], "widths": [2, 1, 3],
                ],
                draw: { visualizer in
                    try visualizer.drawLines(
                        xData: [[5, 235], [5, 235], [120.3, 120.3]], yData: [[110, 110], [5, 60], [10, 100]],
                        colors: ["g", "m", "w"], lineStyles: [.dashed, .dotted, .dashDot], lineWidths: [2, 1, 3])
                }),
            Scene(
                name: "circles: filled and outlined",
                operations: [
                    "kind": "circles", "centers": [[150, 60], [50.5, 60.25]], "radii": [25, 10.5],
                    "faces": ["y", "none"],
                    "edges": ["b", "w"], "styles": ["-", "-"], "widths": [2, 1],
                ],
                draw: { visualizer in
                    try visualizer.drawCircles(
                        centers: [[150, 60], [50.5, 60.25]], radii: [25, 10.5], edgeColors: ["b", "w"],
                        lineWidths: [2, 1], faceColors: ["y", .none])
                }),
            Scene(
                name: "scatter with a colour and a size per point (no pixel-centre placement)",
                operations: [
                    "kind": "points", "positions": [[30, 60], [100.5, 60.5], [170.3, 60.8]], "colors": ["r", "w", "c"],
                    "sizes": [36, 100, 64], "marker": "s",
                ],
                draw: { visualizer in
                    try visualizer.drawPoints(
                        [[30, 60], [100.5, 60.5], [170.3, 60.8]], colors: ["r", "w", "c"], marker: .square,
                        sizes: [36, 100, 64])
                }),
        ] + singleItemScenes + markerScenes

    /// One item alone: matplotlib draws a collection of a single filled path as a marker, half a pixel right and
    /// down of where it would draw it among others, unless the path is snapped (a box) or has no face.
    static let singleItemScenes: [Scene] = [
        Scene(
            name: "one filled circle",
            operations: [
                "kind": "circles", "centers": [[150, 60]], "radii": [25], "faces": ["y"], "edges": ["b"],
                "styles": ["-"], "widths": [2],
            ],
            draw: { visualizer in
                try visualizer.drawCircles(
                    centers: [[150, 60]], radii: [25], edgeColors: ["b"], lineWidths: [2], faceColors: ["y"])
            }),
        Scene(
            name: "one outlined circle (face \"none\": no face colour, drawn as a collection)",
            operations: [
                "kind": "circles", "centers": [[50.5, 60.25]], "radii": [10.5], "faces": "none", "edges": ["w"],
                "styles": ["-"], "widths": [1],
            ],
            draw: { visualizer in
                try visualizer.drawCircles(
                    centers: [[50.5, 60.25]], radii: [10.5], edgeColors: ["w"], lineWidths: [1])
            }),
        Scene(
            name: "one outlined circle with faces [\"none\"] (one transparent face colour: drawn as a marker)",
            operations: [
                "kind": "circles", "centers": [[50.5, 60.25]], "radii": [10.5], "faces": ["none"], "edges": ["w"],
                "styles": ["-"], "widths": [1],
            ],
            draw: { visualizer in
                try visualizer.drawCircles(
                    centers: [[50.5, 60.25]], radii: [10.5], edgeColors: ["w"], lineWidths: [1], faceColors: [.none])
            }),
        Scene(
            name: "one filled triangle",
            operations: [
                "kind": "polygons", "polygons": [[[90, 50], [140, 60], [105, 95]]], "faces": ["y"], "edges": ["b"],
                "styles": ["-"], "widths": [2],
            ],
            draw: { visualizer in
                try visualizer.drawPolygons(
                    [[[90, 50], [140, 60], [105, 95]]], edgeColors: ["b"], lineWidths: [2], faceColors: ["y"])
            }),
        Scene(
            name: "one filled pentagon with fractional vertices and an odd width",
            operations: [
                "kind": "polygons", "polygons": [[[30.3, 20.2], [80.6, 15.7], [95.1, 60.4], [55.5, 100.9], [20.8, 70.3]]],
                "faces": ["c"], "edges": ["w"], "styles": ["-"], "widths": [1],
            ],
            draw: { visualizer in
                try visualizer.drawPolygons(
                    [[[30.3, 20.2], [80.6, 15.7], [95.1, 60.4], [55.5, 100.9], [20.8, 70.3]]], edgeColors: ["w"],
                    lineWidths: [1], faceColors: ["c"])
            }),
        Scene(
            name: "one filled box (snapped: no half-pixel move)",
            operations: [
                "kind": "boxes", "boxes": [[10.3, 12.7, 90.2, 70.5]], "edges": ["r"], "faces": ["y"],
                "styles": ["-"], "widths": [3],
            ],
            draw: { visualizer in
                try visualizer.drawBoundingBoxes(
                    [[10.3, 12.7, 90.2, 70.5]], edgeColors: ["r"], lineWidths: [3], faceColors: ["y"])
            }),
    ]

    @Test("Each drawing method lands where matplotlib draws it", arguments: scenes.indices)
    func matchesMatplotlib(index: Int) throws {
        let scene = Self.scenes[index]
        let directory = try TestSupport.makeTemporaryDirectory("vis-mpl")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("reference.npy").path
        try TestSupport.runPython(Self.script, arguments: [scene.json, path])
        let reference = try NDArray(npyFile: path)
        #expect(reference.shape == [120, 240, 3])
        let expected = try #require(reference.values(as: UInt8.self))

        let visualizer = try Visualizer(
            image: try Image(width: 240, height: 120, layout: .rgb, fill: [40, 50, 60]), rank: 0)
        try scene.draw(visualizer)
        let drawn = try visualizer.getImage()
        let differences = zip(drawn.pixels, expected).map { abs(Int($0) - Int($1)) }
        let maxDifference = differences.max() ?? 0
        let mean = Double(differences.reduce(0, +)) / Double(max(differences.count, 1))
        #expect(maxDifference <= scene.maxTolerance, "\(scene.name): max difference \(maxDifference)")
        #expect(mean <= scene.meanTolerance, "\(scene.name): mean difference \(mean)")
    }
}
