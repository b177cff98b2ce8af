import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisDraw

/// Text boxes compared with matplotlib's own (`Text.get_window_extent` with the Agg renderer at 100 dpi), which
/// is what MMEngine's `draw_texts` draws: same font, size, alignment → same box.
@Suite("Text boxes against matplotlib")
struct TextMatplotlibInteropTests {
    static let script = """
        import json, sys
        import matplotlib
        matplotlib.use("agg")
        import matplotlib.pyplot as plt
        W, H = 400, 300
        fig = plt.figure(figsize=(W / 100, H / 100), dpi=100)
        renderer = fig.canvas.get_renderer()
        out = []
        for text, size, ha, va in json.loads(sys.argv[1]):
            t = fig.text(200 / W, 1 - 150 / H, text, fontsize=size, ha=ha, va=va, family="sans-serif")
            b = t.get_window_extent(renderer)
            out.append([b.x0, H - b.y1, b.width, b.height])
            t.remove()
        print(json.dumps(out))
        """

    @Test("box position and size for strings, sizes and every alignment")
    func boxesMatchMatplotlib() throws {
        let strings = [
            "person 0.97", "Hello\nworld", "AVATAR Type", "gjpqy", "3 lines\nof\ntext ÀÉ", "x",
        ]
        let sizes = [7.0, 10, 13, 16.5, 24]
        var cases: [(String, Double, HorizontalTextAlignment, VerticalTextAlignment)] = []
        for (index, text) in strings.enumerated() {
            for (sizeIndex, size) in sizes.enumerated() {
                let horizontal = HorizontalTextAlignment.allCases[(index + sizeIndex) % 3]
                let vertical = VerticalTextAlignment.allCases[(index * 2 + sizeIndex) % 5]
                cases.append((text, size, horizontal, vertical))
            }
        }
        let arguments = cases.map { [$0.0, $0.1, $0.2.rawValue, $0.3.rawValue] as [Any] }
        let json = String(
            decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let output = try TestSupport.runPython(TextMatplotlibInteropTests.script, arguments: [json])
        let boxes = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[Double]])
        try #require(boxes.count == cases.count)
        for ((text, size, horizontal, vertical), reference) in zip(cases, boxes) {
            let layout = try TextLayout(
                text, font: try Font(.sansSerif, sizePoints: size), horizontalAlignment: horizontal)
            let box = layout.bounds(anchorX: 200, anchorY: 150, verticalAlignment: vertical)
            let label =
                "\(text.debugDescription) \(size) pt \(horizontal) \(vertical): ours \(box), matplotlib \(reference)"
            // Horizontal: kerning is rounded to 1/64 px per pair, matplotlib (HarfBuzz) may round differently.
            #expect(abs(box.x - reference[0]) < 0.05, "\(label)")
            #expect(abs(box.y - reference[1]) < 0.01, "\(label)")
            #expect(abs(box.width - reference[2]) < 0.05, "\(label)")
            #expect(abs(box.height - reference[3]) < 0.01, "\(label)")
        }
    }

    static let renderScript = """
        import sys
        import numpy as np
        import matplotlib
        matplotlib.use("agg")
        import matplotlib.pyplot as plt
        from PIL import Image
        W, H = 320, 120
        # MMEngine's Visualizer figure: the image fills the axes, data coordinates are pixel coordinates.
        fig = plt.figure(figsize=(W / 100, H / 100), dpi=100)
        ax = fig.add_axes([0, 0, 1, 1])
        ax.axis("off")
        ax.imshow(np.full((H, W, 3), 255, np.uint8), extent=(0, W, H, 0), interpolation="none")
        ax.text(20, 20, "person 0.97 AV", fontsize=13, color="k", va="top", ha="left",
                bbox={"facecolor": "red", "alpha": 0.6, "pad": 0.7, "edgecolor": "none"})
        ax.text(230, 70, "two\\nlines", fontsize=11, color=(0, 0, 0.5), va="center", ha="center")
        ax.text(300, 110, "Right 7pt", fontsize=7, color="k", va="bottom", ha="right")
        fig.canvas.draw()
        Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy()).save(sys.argv[1])
        """

    @Test("drawn pixels agree with matplotlib's Agg rendering (glyph anti-aliasing aside)")
    func pixelsMatchMatplotlib() throws {
        let directory = try TestSupport.makeTemporaryDirectory("text-mpl")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("matplotlib.png").path
        try TestSupport.runPython(TextMatplotlibInteropTests.renderScript, arguments: [path])
        let reference = try Image(contentsOfFile: path)

        var image = try Image(width: 320, height: 120, layout: .rgb, fill: [255, 255, 255])
        let black = Color(red: 0, green: 0, blue: 0)
        try image.drawText(
            "person 0.97 AV", x: 20, y: 20,
            style: TextStyle(
                sizePoints: 13, color: black,
                background: TextBackground(
                    faceColor: Color(red: 255, green: 0, blue: 0), edgeColor: .none, alpha: 0.6,
                    padPoints: 0.7)))
        try image.drawText(
            "two\nlines", x: 230, y: 70,
            style: TextStyle(
                sizePoints: 11, color: Color(red: 0, green: 0, blue: 128), horizontalAlignment: .center,
                verticalAlignment: .center))
        try image.drawText(
            "Right 7pt", x: 300, y: 110,
            style: TextStyle(
                sizePoints: 7, color: black, horizontalAlignment: .right, verticalAlignment: .bottom))

        try #require(
            reference.width == image.width && reference.height == image.height && reference.channels == 3)
        var total = 0
        var largest = 0
        for (a, b) in zip(reference.pixels, image.pixels) {
            let difference = abs(Int(a) - Int(b))
            total += difference
            largest = max(largest, difference)
        }
        let mean = Double(total) / Double(image.pixels.count)
        // Same boxes and glyph positions (to a quarter pixel; matplotlib positions to 1/64 px, and its bundled
        // FreeType may hint slightly differently from the system's): measured mean 0.17, largest 28. A glyph off
        // by a pixel shows as a mean above 1 and differences over 100.
        #expect(mean < 0.4, "mean difference \(mean)")
        #expect(largest < 64, "largest difference \(largest)")
    }
}
