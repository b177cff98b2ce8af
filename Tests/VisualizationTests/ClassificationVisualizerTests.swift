import Foundation
import Testing
import VisTestSupport
@testable import Visualization

@Suite("ClassificationVisualizer")
struct ClassificationVisualizerTests {
    static let meta = DatasetMeta(classes: ["cat", "dog", "fox", "owl"])

    static func sample() -> DataSample {
        var sample = DataSample()
        sample.groundTruth.labels = [2]
        sample.prediction.scores = [0.05, 0.25, 0.62, 0.08]
        return sample
    }

    @Test("golden: ground-truth and top-k prediction text panels")
    func golden() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(ClassificationVisualizer(), meta: Self.meta)
        let drawn = try #require(try visualizer.addDatasample(
            name: "cls", image: try TaskTestSupport.scene(), dataSample: Self.sample(), predScoreThreshold: 0.1))
        #expect(drawn.width == 480 && drawn.height == 160)
        try TaskTestSupport.expectGolden(drawn, "task-classification.png")
    }

    @Test("lines follow MMPretrain's format; the threshold drops low scores but keeps the best class")
    func lines() {
        let visualizer = ClassificationVisualizer(topK: 3)
        func context(_ side: AnnotationSide, threshold: Double, meta: DatasetMeta = Self.meta) -> TaskDrawingContext {
            TaskDrawingContext(side: side, meta: meta, imageWidth: 224, imageHeight: 224, predScoreThreshold: threshold)
        }
        let sample = Self.sample()
        #expect(visualizer.lines(for: sample.groundTruth, context: context(.groundTruth, threshold: 0.3)) == ["Ground truth: 2 (fox)"])
        #expect(visualizer.lines(for: sample.prediction, context: context(.prediction, threshold: 0.1)) == [
            "Prediction: 2, 0.62 (fox)", "            1, 0.25 (dog)",
        ])
        #expect(visualizer.lines(for: sample.prediction, context: context(.prediction, threshold: 0.9)) == [
            "Prediction: 2, 0.62 (fox)",
        ])
        var labelsOnly = DataSample.Annotations()
        labelsOnly.labels = [1, 3]
        #expect(visualizer.lines(for: labelsOnly, context: context(.prediction, threshold: 0.3, meta: DatasetMeta())) == [
            "Prediction: 1", "            3",
        ])
        #expect(ClassificationVisualizer.adaptiveScale(width: 448, height: 300) == 300.0 / 224)
        #expect(ClassificationVisualizer.adaptiveScale(width: 10, height: 10) == 0.3)
    }

    @Test("a label outside the class list, or scores for another number of classes, is an error")
    func badInput() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(ClassificationVisualizer(), meta: Self.meta)
        let image = try TaskTestSupport.plain(width: 64, height: 64)
        var sample = DataSample()
        sample.groundTruth.labels = [4]
        #expect(throws: DataSampleError.labelOutOfRange(field: "gt_label[0]", label: 4, classCount: 4)) {
            try visualizer.addDatasample(name: "c", image: image, dataSample: sample)
        }
        sample.groundTruth.labels = nil
        sample.prediction.scores = [0.5, 0.5]
        #expect(throws: DataSampleError.countMismatch(field: "pred_score", expected: 4, actual: 2)) {
            try visualizer.addDatasample(name: "c", image: image, dataSample: sample)
        }
    }
}
