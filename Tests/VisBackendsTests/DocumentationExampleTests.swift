import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisBackends

/// The examples of the VisBackends documentation, run (the articles quote the marked regions; the
/// "Documentation snippets" suite checks the quotes).
@Suite("VisBackends documentation examples")
struct VisBackendsDocumentationExampleTests {
    @Test("the landing page's local backend example writes the scalars line and the image it names")
    func localBackendOverview() throws {
        let runDirectory = try TestSupport.makeTemporaryDirectory("vis-doc").path
        let image = try Image(width: 4, height: 3, layout: .rgb, fill: [10, 20, 30])
        // snippet.begin: local-backend
        let local = try LocalVisBackend(saveDir: runDirectory + "/vis_data")
        try local.addScalars(["loss": 0.31, "epoch": 3], step: 100)  // {"loss": 0.31, "epoch": 3, "step": 100}
        try local.addImage(name: "pred", image: image, step: 100)  // vis_image/pred_100.png
        local.close()
        // snippet.end: local-backend
        let scalars = try String(contentsOfFile: runDirectory + "/vis_data/scalars.json", encoding: .utf8)
        #expect(scalars == "{\"loss\": 0.31, \"epoch\": 3, \"step\": 100}\n")
        let stored = try Image(contentsOfFile: runDirectory + "/vis_data/vis_image/pred_100.png")
        #expect(stored == image)
    }
}
