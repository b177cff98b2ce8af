import Foundation
import Testing
import VisTestSupport
import Visualization

/// The README's Swift examples, kept compiling and working.
@Suite("README examples")
struct ReadmeExampleTests {
    @Test("drawing, then logging to three backends")
    func readmeExamples() throws {
        let image = try Image(width: 320, height: 240, layout: .rgb, fill: [90, 120, 150])
        var maskRows = [[Bool]](repeating: [Bool](repeating: false, count: 320), count: 240)
        for y in 60..<120 { for x in 40..<200 { maskRows[y][x] = true } }
        let mask = try NDArray(maskRows)

        let visualizer = try Visualizer(image: image)
        try visualizer.drawBoundingBoxes([[33, 120, 209, 220]], edgeColors: "r", lineWidths: 3)
            .drawTexts(["cat 0.97"], at: [[33, 120]], colors: "w", verticalAlignments: .all(.bottom),
                       backgrounds: .all(TextBackground(faceColor: "black", edgeColor: .none, alpha: 0.8, padPoints: 0.7)))
            .drawBinaryMasks(mask, colors: "b", alphas: 0.5)
        let drawn = try visualizer.getImage()
        #expect(drawn != image)

        let directory = try TestSupport.makeTemporaryDirectory("readme")
        let logger = try Visualizer(
            name: "train",
            backends: [["type": "LocalVisBackend"], ["type": "TensorboardVisBackend"],
                       ["type": "WandbVisBackend", "init_kwargs": ["project": "demo"]]],
            saveDir: directory.path)
        logger.addScalars(["loss": 0.31, "lr": 0.01], step: 100)
            .addImage(name: "pred", image: drawn, step: 100)
        logger.close()

        let visData = directory.appendingPathComponent("vis_data")
        let scalars = try String(contentsOf: visData.appendingPathComponent("scalars.json"), encoding: .utf8)
        #expect(scalars == "{\"loss\": 0.31, \"lr\": 0.01, \"step\": 100}\n")
        #expect(FileManager.default.fileExists(atPath: visData.appendingPathComponent("vis_image/pred_100.png").path))
        let names = try FileManager.default.contentsOfDirectory(atPath: visData.path)
        #expect(names.contains { $0.hasPrefix("events.out.tfevents.") })
        #expect(names.contains("wandb"))
    }
}
