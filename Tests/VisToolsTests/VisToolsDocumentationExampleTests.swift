import Foundation
import Testing
import VisBackends
import VisTestSupport
import VisTools

/// The example of the VisTools documentation, run (the landing page quotes the marked region; the
/// "Documentation snippets" suite checks the quote).
@Suite("VisTools documentation example")
struct VisToolsDocumentationExampleTests {
    @Test("read a run, summarise and smooth a key, draw the curves")
    func overview() throws {
        let workDir = try TestSupport.makeTemporaryDirectory("vis-doc").path
        defer { try? FileManager.default.removeItem(atPath: workDir) }
        let backend = try LocalVisBackend(saveDir: workDir + "/vis_data")
        for step in 1...20 {
            try backend.addScalars(["loss": .double(2 / Double(step)), "lr": .double(0.01)], step: step, filePath: nil)
        }
        backend.close()
        // snippet.begin: overview
        let runs = try Curves.readRuns(at: workDir)  // scalars.json, a runner log, TensorBoard or W&B
        let loss = try runs[0].summary(of: "loss")  // count, first/last step, min and max with steps, last
        let smooth = try Curves.smoothed(try runs[0].points(of: "loss").map(\.value), weight: 0.6)
        try Curves.plot(runs, options: CurvePlotOptions(keys: ["loss", "lr"], layout: .grid), to: workDir + "/curves.png")
        // snippet.end: overview
        #expect(loss.count == 20 && loss.min == 0.1 && loss.minStep == 20 && loss.max == 2 && loss.maxStep == 1)
        #expect(smooth.first == 2 && smooth.count == 20 && smooth[19] > 0.1)
        #expect(FileManager.default.fileExists(atPath: workDir + "/curves.png"))
    }
}
