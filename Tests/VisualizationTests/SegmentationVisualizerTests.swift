import Foundation
import Testing
import VisTestSupport
@testable import Visualization

@Suite("SegmentationVisualizer")
struct SegmentationVisualizerTests {
    static let meta = DatasetMeta(
        classes: ["sky", "tree", "road", "car"],
        palette: try? ColorPalette(colors: [
            Color(red: 70, green: 130, blue: 180), Color(red: 107, green: 142, blue: 35),
            Color(red: 128, green: 64, blue: 128), Color(red: 0, green: 0, blue: 142),
        ]))

    /// Sky above, a tree on the left, road below, a car on the road; a band of 255 (ignored) on the right.
    static func map(width: Int = 240, height: Int = 160, shifted: Bool = false) throws -> SegmentationMap {
        var indices = [Int32](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var value: Int32 = y > height * 2 / 3 ? 2 : 0
                if x > 20 && x < 70 && y > 40 && y <= height * 2 / 3 { value = 1 }
                let carLeft = shifted ? 130 : 120
                if x > carLeft && x < carLeft + 60 && y > 112 && y < 140 { value = 3 }
                if x >= width - 12 { value = 255 }
                indices[y * width + x] = value
            }
        }
        return try SegmentationMap(width: width, height: height, classIndices: indices)
    }

    @Test("golden: class-coloured overlay with a legend, ground truth beside prediction")
    func golden() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(SegmentationVisualizer(), meta: Self.meta)
        var sample = DataSample()
        sample.groundTruth.semanticSegmentation = try Self.map()
        sample.prediction.semanticSegmentation = try Self.map(shifted: true)
        let drawn = try #require(try visualizer.addDatasample(name: "seg", image: try TaskTestSupport.scene(), dataSample: sample))
        #expect(drawn.width == 480 && drawn.height == 160)
        try TaskTestSupport.expectGolden(drawn, "task-segmentation.png")
    }

    @Test("class pixels blend (1 − α)·pixel + α·colour; ignored values stay as they were")
    func blending() throws {
        let image = try TaskTestSupport.plain(width: 20, height: 10, gray: 100)
        var indices = [Int32](repeating: 255, count: 200)
        for offset in 0..<100 { indices[offset] = 3 }
        var sample = DataSample()
        sample.prediction.semanticSegmentation = try SegmentationMap(width: 20, height: 10, classIndices: indices)
        let (visualizer, _) = try TaskTestSupport.visualizer(SegmentationVisualizer(alpha: 0.5, showLegend: false), meta: Self.meta)
        let drawn = try #require(try visualizer.addDatasample(name: "b", image: image, dataSample: sample))
        // Class 3 is (0, 0, 142): 0.5·100 + 0.5·c.
        #expect(Array(drawn[3, 2]) == [50, 50, 121])
        #expect(Array(drawn[3, 7]) == [100, 100, 100])
    }

    @Test("a map of another size is an error; one made only of ignored values draws the plain image")
    func badAndEmpty() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(SegmentationVisualizer(), meta: Self.meta)
        let image = try TaskTestSupport.plain(width: 20, height: 10)
        var wrong = DataSample()
        wrong.groundTruth.semanticSegmentation = try SegmentationMap(width: 10, height: 20, classIndices: [Int32](repeating: 0, count: 200))
        #expect(throws: DataSampleError.sizeMismatch(field: "gt_sem_seg", width: 10, height: 20, imageWidth: 20, imageHeight: 10)) {
            try visualizer.addDatasample(name: "s", image: image, dataSample: wrong)
        }
        var ignored = DataSample()
        ignored.groundTruth.semanticSegmentation = try SegmentationMap(
            width: 20, height: 10, classIndices: [Int32](repeating: 255, count: 200))
        #expect(try visualizer.addDatasample(name: "s", image: image, dataSample: ignored) == image)
    }
}
