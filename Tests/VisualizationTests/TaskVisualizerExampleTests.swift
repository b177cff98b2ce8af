import Foundation
import Testing
import VisTestSupport
import Visualization

/// The CustomTaskVisualizerExample program (the DocC article's walk-through) builds, runs and stores its image.
@Suite("CustomTaskVisualizerExample")
struct TaskVisualizerExampleTests {
    @Test("the example registers its visualizer, draws both panels and stores them through the local backend")
    func runsEndToEnd() throws {
        let directory = try TestSupport.makeTemporaryDirectory("task-example")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = try TestSupport.run(
            try TestSupport.productPath("CustomTaskVisualizerExample"), arguments: [directory.path])
        let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(path.hasSuffix("vis_data/vis_image/example_1.png"))
        let image = try Image(contentsOfFile: path)
        #expect(image.width == 400 && image.height == 120, "ground truth and prediction panels of 200×120")
        // The cat's cross (class colour (255, 64, 64)) is at its box centre (60, 60) in the left panel and at
        // (64, 61) in the right one; the dog prediction scoring 0.12 is hidden (no cross at (35, 109) + 200).
        #expect(Array(image[60, 60]) == [255, 64, 64])
        #expect(Array(image[264, 61]) == [255, 64, 64])
        #expect(Array(image[235, 109]) != [64, 160, 255])
        #expect(Array(image[155, 65]) == [64, 160, 255], "the ground-truth dog's cross")
    }
}
