import Foundation
import Testing
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
        let strings = ["person 0.97", "Hello\nworld", "AVATAR Type", "gjpqy", "3 lines\nof\ntext ÀÉ", "x"]
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
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments), as: UTF8.self)
        let output = try TestSupport.runPython(TextMatplotlibInteropTests.script, arguments: [json])
        let boxes = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[Double]])
        try #require(boxes.count == cases.count)
        for ((text, size, horizontal, vertical), reference) in zip(cases, boxes) {
            let layout = try TextLayout(text, font: try Font(.sansSerif, sizePoints: size), horizontalAlignment: horizontal)
            let box = layout.bounds(anchorX: 200, anchorY: 150, verticalAlignment: vertical)
            let label = "\(text.debugDescription) \(size) pt \(horizontal) \(vertical): ours \(box), matplotlib \(reference)"
            // Horizontal: kerning is rounded to 1/64 px per pair, matplotlib (HarfBuzz) may round differently.
            #expect(abs(box.x - reference[0]) < 0.05, "\(label)")
            #expect(abs(box.y - reference[1]) < 0.01, "\(label)")
            #expect(abs(box.width - reference[2]) < 0.05, "\(label)")
            #expect(abs(box.height - reference[3]) < 0.01, "\(label)")
        }
    }
}
