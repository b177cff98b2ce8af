import Foundation
import Testing
import VisTestSupport

@testable import VisCore

/// The example of the VisCore documentation, run (the landing page quotes the marked region; the
/// "Documentation snippets" suite checks the quote).
@Suite("VisCore documentation example")
struct VisCoreDocumentationExampleTests {
    @Test("images, colours, arrays and colour maps round-trip through their files")
    func overview() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-doc").path
        // snippet.begin: overview
        let orange = try Color(parsing: "tab:orange")  // any matplotlib colour: "g", "#ff8000", "tab:blue", …
        let swatch = try Image(width: 32, height: 24, layout: .rgb, fill: [orange.red, orange.green, orange.blue])
        let white = try Image(width: 32, height: 24, layout: .rgb, fill: [255, 255, 255])
        try Image.hconcat([swatch, white]).writePNG(to: directory + "/swatches.png")

        let levels = try NDArray([[0, 85], [170, 255]] as [[UInt8]])
        try levels.writeNPY(to: directory + "/levels.npy")  // numpy.load reads it; NDArray(npyFile:) too
        let heatmap = try Colormap.jet.apply(to: try NDArray(npyFile: directory + "/levels.npy"))
        // snippet.end: overview
        let stored = try Image(contentsOfFile: directory + "/swatches.png")
        #expect(stored.width == 64 && stored.height == 24)
        #expect(stored[5, 5, 0] == 255 && stored[5, 5, 1] == 127 && stored[5, 5, 2] == 14)
        #expect(stored[40, 5, 1] == 255)
        // OpenCV's JET, as MMEngine's heatmaps use it: 0 → (0, 0, 128), 255 → (128, 0, 0).
        #expect(heatmap[0, 0, 2] == 128 && heatmap[1, 1, 0] == 128)
    }
}
