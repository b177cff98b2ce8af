import Foundation
import Testing
import VisCore
import VisPlot
import VisTestSupport

@Suite("Figure output")
struct FigureOutputTests {
    @Test("an empty figure renders at its size in pixels")
    func rendersEmptyFigure() throws {
        let figure = try Figure(size: (3, 2), dpi: 50)
        _ = try figure.subplots(rows: 1, cols: 1)
        let image = try figure.render()
        #expect(image.width == 150 && image.height == 100)
    }

    @Test("savefig writes PNG, JPEG and SVG by extension")
    func savefigFormats() throws {
        let directory = try TestSupport.makeTemporaryDirectory("visplot-save")
        defer { try? FileManager.default.removeItem(at: directory) }
        let figure = try Figure()
        let axes = try figure.subplots()[0][0]
        try axes.plot(x: [0, 1, 2], y: [2, 0, 1], label: "line")
        try axes.legend()
        for name in ["figure.png", "figure.jpg", "figure.JPEG"] {
            let path = directory.appendingPathComponent(name).path
            try figure.savefig(path)
            let image = try Image(contentsOfFile: path)
            #expect(image.width == 640 && image.height == 480, "\(name)")
        }
        let svgPath = directory.appendingPathComponent("figure.svg").path
        try figure.savefig(svgPath)
        let text = try String(contentsOfFile: svgPath, encoding: .utf8)
        #expect(text.hasPrefix("<?xml") && text.contains("<svg") && text.contains(">line</text>"))
        #expect(throws: PlotError.self) { try figure.savefig(directory.appendingPathComponent("missing/dir/figure.png").path) }
    }
}
