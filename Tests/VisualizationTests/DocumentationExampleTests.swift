import Foundation
import Testing
import VisCore
import VisTestSupport
import Visualization

/// The examples of the Visualization documentation, run (the articles quote the marked regions; the
/// "Documentation snippets" suite checks the quotes).
@Suite("Visualization documentation examples")
struct VisualizationDocumentationExampleTests {
    @Test("the landing page's example stores a detection drawing in the run's vis_data")
    func datasampleOverview() throws {
        let runDirectory = try TestSupport.makeTemporaryDirectory("vis-doc").path
        let samplePath = runDirectory + "/sample.json"
        try Data(#"{"gt_instances": {"bboxes": [[10, 20, 120, 90]], "labels": [1]}}"#.utf8)
            .write(to: URL(fileURLWithPath: samplePath))
        let image = try Image(width: 160, height: 120, layout: .rgb, fill: [90, 90, 90])
        // snippet.begin: datasample
        let visualizer = try Visualizer(backends: [["type": "LocalVisBackend"]], saveDir: runDirectory)
        visualizer.taskVisualizer = DetectionVisualizer()
        visualizer.setDatasetMeta(DatasetMeta(classes: ["person", "car"], palette: .coco))
        let sample = try DataSample(contentsOfJSONFile: samplePath)
        try visualizer.addDatasample(name: "val/0001", image: image, dataSample: sample, step: 100)
        // snippet.end: datasample
        visualizer.close()
        let stored = try Image(contentsOfFile: runDirectory + "/vis_data/vis_image/val/0001_100.png")
        #expect(stored.width == 160 && stored.height == 120 && stored != image)
    }
}
