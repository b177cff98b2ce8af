import Foundation
import Testing
import VisCore
import VisPlot
import VisTestSupport

/// The SVG output: well-formed XML with selectable text, and the same layout as the PNG when rendered by an
/// independent SVG renderer (librsvg's `rsvg-convert`).
@Suite("SVG output")
struct SVGTests {
    static func rsvgConvert() throws -> String {
        for candidate in ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert", "/opt/homebrew/bin/rsvg-convert"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw TestSupportError.missingTool("rsvg-convert (Debian: librsvg2-bin) is needed to render the SVG")
    }

    @Test("the SVG parses as XML and keeps text as <text> in DejaVu Sans")
    func parsesAsXML() throws {
        let svg = try MatplotlibImageTests.lineFigure().svg()
        let directory = try TestSupport.makeTemporaryDirectory("visplot-svg")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("figure.svg").path
        try Data(svg.utf8).write(to: URL(fileURLWithPath: path))
        let output = try TestSupport.runPython(
            """
            import sys, xml.etree.ElementTree as ET
            root = ET.parse(sys.argv[1]).getroot()
            ns = "{http://www.w3.org/2000/svg}"
            texts = [t.text for t in root.iter(ns + "text")]
            fams = {t.get("font-family") for t in root.iter(ns + "text")}
            print(root.get("width"), root.get("height"), "|".join(texts), "|".join(sorted(fams)))
            """, arguments: [path])
        let fields = output.split(separator: " ", maxSplits: 2)
        #expect(fields.count == 3)
        #expect(fields.first == "640" && fields.dropFirst().first == "480")
        #expect(output.contains("Training curves") && output.contains("train loss") && output.contains("epoch"))
        #expect(output.contains("\u{2212}0.5"))
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("DejaVu Sans"))
    }

    @Test("rsvg-convert renders the SVG to the PNG's layout (mean difference under 1 level per sample)")
    func rendersLikeThePNG() throws {
        let rsvg = try Self.rsvgConvert()
        for (name, figure) in [("line", try MatplotlibImageTests.lineFigure()), ("scatter", try MatplotlibImageTests.scatterFigure())] {
            let directory = try TestSupport.makeTemporaryDirectory("visplot-svg")
            defer { try? FileManager.default.removeItem(at: directory) }
            let svgPath = directory.appendingPathComponent("figure.svg").path
            let pngPath = directory.appendingPathComponent("figure.png").path
            try figure.savefig(svgPath)
            try TestSupport.run(rsvg, arguments: ["-o", pngPath, svgPath])
            let vector = try Image(contentsOfFile: pngPath).flattened(over: Color(red: 255, green: 255, blue: 255))
            let raster = try figure.render()
            #expect(vector.width == raster.width && vector.height == raster.height, "\(name)")
            let difference = MatplotlibImageTests.meanDifference(vector, raster)
            #expect(difference < 1, "\(name): mean difference \(difference)")
        }
    }
}
