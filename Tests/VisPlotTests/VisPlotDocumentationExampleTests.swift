import Foundation
import Testing
import VisCore
import VisDraw
import VisPlot
import VisTestSupport

/// The example of the VisPlot documentation, run (the landing page quotes the marked region; the
/// "Documentation snippets" suite checks the quote).
@Suite("VisPlot documentation example")
struct VisPlotDocumentationExampleTests {
    @Test("two labelled curves with a legend, saved as PNG")
    func overview() throws {
        let directory = try TestSupport.makeTemporaryDirectory("visplot-doc").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // snippet.begin: overview
        let figure = try Figure(size: (6.4, 4.8), dpi: 100)
        let axes = try figure.subplots(rows: 1, cols: 1)[0][0]
        let steps = (0..<200).map(Double.init)
        try axes.plot(x: steps, y: steps.map { 2 * exp(-$0 / 60) }, label: "loss")
        try axes.plot(x: steps, y: steps.map { 1 - exp(-$0 / 40) }, lineStyle: .dashed, label: "accuracy")
        axes.setXLabel("step")
        axes.setTitle("training")
        axes.grid()
        try axes.legend(loc: .best)
        try figure.savefig(directory + "/curves.png")  // or .svg, .jpg
        // snippet.end: overview
        let image = try Image(contentsOfFile: directory + "/curves.png")
        #expect(image.width == 640 && image.height == 480)
        // The legend sits inside the axes, and the ticks of the x axis are matplotlib's for 0…199 with 5 % margins.
        let legend = try #require(try axes.legendRect())
        #expect(axes.pixelRect.contains(Point(legend.x, legend.y)))
        #expect(try axes.majorTicks(horizontal: true).labels == ["0", "25", "50", "75", "100", "125", "150", "175", "200"])
    }
}
