import Foundation
import Testing
import VisTestSupport
@testable import Visualization

@Suite("DetectionVisualizer")
struct DetectionVisualizerTests {
    static let meta = DatasetMeta(classes: ["person", "car", "dog"], palette: .coco)

    static func sample(width: Int = 240, height: Int = 160) throws -> DataSample {
        let person = TaskTestSupport.ellipse(width: width, height: height, cx: 60, cy: 80, rx: 22, ry: 45)
        let dog = TaskTestSupport.ellipse(width: width, height: height, cx: 170, cy: 125, rx: 30, ry: 18)
        var sample = DataSample(metainfo: ["img_path": "scene.png"])
        sample.groundTruth.instances = InstanceData(
            boxes: [BoundingBox(x1: 36, y1: 33, x2: 84, y2: 127), BoundingBox(x1: 138, y1: 105, x2: 202, y2: 145)],
            labels: [0, 2],
            masks: try InstanceMasks(count: 2, height: height, width: width, bits: person + dog))
        sample.prediction.instances = InstanceData(
            boxes: [
                BoundingBox(x1: 38, y1: 30, x2: 86, y2: 124), BoundingBox(x1: 140, y1: 102, x2: 205, y2: 148),
                BoundingBox(x1: 150, y1: 20, x2: 239, y2: 70), BoundingBox(x1: 100, y1: 10, x2: 120, y2: 30),
            ],
            labels: [0, 2, 1, 1], scores: [0.973, 0.6, 0.88, 0.12])
        sample.prediction.instances?.polygons = [
            [[Point(40, 40), Point(80, 36), Point(82, 120), Point(42, 124)]], [], [], [],
        ]
        return sample
    }

    @Test("golden: ground truth with masks left, predictions with scores right")
    func golden() throws {
        let (visualizer, backend) = try TaskTestSupport.visualizer(DetectionVisualizer(), meta: Self.meta)
        let image = try TaskTestSupport.scene()
        let drawn = try #require(try visualizer.addDatasample(name: "det", image: image, dataSample: try Self.sample(), step: 3))
        #expect(drawn.width == 480 && drawn.height == 160)
        try TaskTestSupport.expectGolden(drawn, "task-detection.png")
        // Stored once, under its name and step, and set as the visualizer's image.
        #expect(backend.images(named: "det").map(\.step) == [3])
        #expect(backend.images(named: "det").first?.image == drawn)
        #expect(try visualizer.getImage() == drawn)
    }

    @Test("a label near the image's corner keeps its whole background inside the image")
    func labelsStayInside() throws {
        let (width, height) = (160, 100)
        let meta = DatasetMeta(classes: ["a very long class name"], palette: try ColorPalette(colors: [Color(red: 255, green: 255, blue: 255)]))
        let (visualizer, _) = try TaskTestSupport.visualizer(DetectionVisualizer(), meta: meta)
        for box in [BoundingBox(x1: 140, y1: 85, x2: 159, y2: 99), BoundingBox(x1: 0, y1: 0, x2: 5, y2: 5)] {
            var sample = DataSample()
            sample.prediction.instances = InstanceData(boxes: [box], labels: [0], scores: [0.99])
            let drawn = try #require(try visualizer.addDatasample(
                name: "edge", image: try TaskTestSupport.plain(width: width, height: height), dataSample: sample))
            // White boxes on white leave only the label's dark background and its light text.
            let dark = try #require(TaskTestSupport.bounds(of: drawn) { $0.allSatisfy { $0 < 128 } })
            let label = try TaskLayout.placeLabel(
                "a very long class name: 99.0", fontSize: 6, padPoints: 0.7, x: box.x1 + 3, y: box.y1 + 3,
                imageWidth: width, imageHeight: height)
            #expect(dark.0 >= 0 && dark.1 >= 0 && dark.2 <= width - 1 && dark.3 <= height - 1)
            // The background is drawn whole: as wide and high as laid out (not cut at the edge).
            #expect(abs(Double(dark.2 - dark.0 + 1) - label.box.width) <= 2, "dark \(dark), label \(label.box)")
            #expect(abs(Double(dark.3 - dark.1 + 1) - label.box.height) <= 2, "dark \(dark), label \(label.box)")
        }
    }

    @Test("predictions at or below the score threshold are hidden")
    func threshold() throws {
        let red = Color(red: 255, green: 0, blue: 0)
        let blue = Color(red: 0, green: 0, blue: 255)
        let meta = DatasetMeta(classes: ["red", "blue"], palette: try ColorPalette(colors: [red, blue]))
        let (visualizer, _) = try TaskTestSupport.visualizer(DetectionVisualizer(alpha: 1), meta: meta)
        var sample = DataSample()
        sample.prediction.instances = InstanceData(
            boxes: [BoundingBox(x1: 10, y1: 10, x2: 60, y2: 60), BoundingBox(x1: 80, y1: 10, x2: 130, y2: 60)],
            labels: [0, 1], scores: [0.9, 0.3])
        let image = try TaskTestSupport.plain(width: 150, height: 80)
        let defaultThreshold = try #require(try visualizer.addDatasample(name: "t", image: image, dataSample: sample))
        #expect(TaskTestSupport.contains(defaultThreshold, color: red))
        #expect(!TaskTestSupport.contains(defaultThreshold, color: blue), "0.3 is not above the 0.3 threshold")
        let lower = try #require(try visualizer.addDatasample(
            name: "t", image: image, dataSample: sample, predScoreThreshold: 0.29))
        #expect(TaskTestSupport.contains(lower, color: red) && TaskTestSupport.contains(lower, color: blue))
        let higher = try #require(try visualizer.addDatasample(
            name: "t", image: image, dataSample: sample, predScoreThreshold: 0.95))
        #expect(higher == image, "every prediction hidden: the plain image")
    }

    @Test("instances without labels: drawn in the unlabelled colour, never as class 0; only a score is written")
    func unlabelled() throws {
        let red = Color(red: 255, green: 0, blue: 0)
        let meta = DatasetMeta(classes: ["red"], palette: try ColorPalette(colors: [red]))
        let (visualizer, _) = try TaskTestSupport.visualizer(DetectionVisualizer(alpha: 1), meta: meta)
        let image = try TaskTestSupport.plain(width: 160, height: 100)
        let box = BoundingBox(x1: 10, y1: 20, x2: 120, y2: 90)
        func isDark(_ pixel: ArraySlice<UInt8>) -> Bool { pixel.allSatisfy { $0 < 60 } }

        var boxOnly = DataSample()
        boxOnly.groundTruth.instances = InstanceData(boxes: [box])
        let plainBox = try #require(try visualizer.addDatasample(name: "u", image: image, dataSample: boxOnly))
        #expect(!TaskTestSupport.contains(plainBox, color: red), "no class colour without a label")
        #expect(TaskTestSupport.contains(plainBox, color: DetectionVisualizer.unlabelledColor, tolerance: 0))
        #expect(TaskTestSupport.bounds(of: plainBox, where: isDark) == nil, "no label text or background")

        var scored = DataSample()
        scored.prediction.instances = InstanceData(boxes: [box], scores: [0.9])
        let withScore = try #require(try visualizer.addDatasample(name: "u", image: image, dataSample: scored))
        #expect(!TaskTestSupport.contains(withScore, color: red))
        let dark = try #require(TaskTestSupport.bounds(of: withScore, where: isDark), "the score's label background")
        let size = (13 * TaskLayout.adaptiveScale(area: box.area)).rounded(.down)
            * TaskLayout.imageScale(width: 160, height: 100)
        let label = try TaskLayout.placeLabel(
            "90.0", fontSize: size, padPoints: 0.7, x: box.x1 + 3, y: box.y1 + 3, imageWidth: 160, imageHeight: 100)
        // The background fits "90.0", not "red: 90.0".
        #expect(abs(Double(dark.2 - dark.0 + 1) - label.box.width) <= 2, "dark \(dark), label \(label.box)")

        var labelled = boxOnly
        labelled.groundTruth.instances?.labels = [0]
        let classColoured = try #require(try visualizer.addDatasample(name: "u", image: image, dataSample: labelled))
        #expect(TaskTestSupport.contains(classColoured, color: red))
    }

    @Test("panels: two when both sides are drawn, one when only one is, an error when none")
    func panels() throws {
        let (visualizer, backend) = try TaskTestSupport.visualizer(DetectionVisualizer(), meta: Self.meta)
        let image = try TaskTestSupport.scene()
        let sample = try Self.sample()
        #expect(try visualizer.addDatasample(name: "p", image: image, dataSample: sample)?.width == 480)
        #expect(try visualizer.addDatasample(name: "p", image: image, dataSample: sample, drawGT: false)?.width == 240)
        #expect(try visualizer.addDatasample(name: "p", image: image, dataSample: sample, drawPred: false)?.width == 240)
        var gtOnly = sample
        gtOnly.prediction = DataSample.Annotations()
        #expect(try visualizer.addDatasample(name: "p", image: image, dataSample: gtOnly)?.width == 240)
        #expect(throws: DataSampleError.emptySample(task: "DetectionVisualizer", drawGT: false, drawPred: true)) {
            try visualizer.addDatasample(name: "p", image: image, dataSample: gtOnly, drawGT: false)
        }
        #expect(throws: DataSampleError.emptySample(task: "any task visualizer", drawGT: true, drawPred: true)) {
            visualizer.taskVisualizer = nil
            try visualizer.addDatasample(name: "p", image: image, dataSample: DataSample())
        }
        #expect(backend.images(named: "p").count == 4)
        // An instance set with no instances still gets its (plain) panel.
        var none = DataSample()
        none.prediction.instances = InstanceData(boxes: [], labels: [], scores: [])
        #expect(try visualizer.addDatasample(name: "p", image: image, dataSample: none) == image)
    }

    @Test("bad samples throw before anything is drawn or stored")
    func badInput() throws {
        let (visualizer, backend) = try TaskTestSupport.visualizer(DetectionVisualizer(), meta: Self.meta)
        let image = try TaskTestSupport.scene()
        var outOfRange = DataSample()
        outOfRange.prediction.instances = InstanceData(boxes: [BoundingBox(x1: 0, y1: 0, x2: 5, y2: 5)], labels: [3], scores: [1])
        #expect(throws: DataSampleError.labelOutOfRange(field: "pred_instances.labels[0]", label: 3, classCount: 3)) {
            try visualizer.addDatasample(name: "bad", image: image, dataSample: outOfRange)
        }
        var nanBox = outOfRange
        nanBox.prediction.instances?.labels = [0]
        nanBox.prediction.instances?.boxes = [BoundingBox(x1: 0, y1: .nan, x2: 5, y2: 5)]
        #expect(throws: DataSampleError.self) { try visualizer.addDatasample(name: "bad", image: image, dataSample: nanBox) }
        var wrongMask = DataSample()
        wrongMask.groundTruth.instances = InstanceData(
            labels: [0], masks: try InstanceMasks(count: 1, height: 10, width: 10, bits: [Bool](repeating: true, count: 100)))
        #expect(throws: DataSampleError.sizeMismatch(
            field: "gt_instances.masks", width: 10, height: 10, imageWidth: 240, imageHeight: 160)) {
            try visualizer.addDatasample(name: "bad", image: image, dataSample: wrongMask)
        }
        #expect(throws: VisualizerError.self) {
            try visualizer.addDatasample(name: "bad", image: image, dataSample: try Self.sample(), predScoreThreshold: .nan)
        }
        #expect(backend.images(named: "bad").isEmpty)
    }

    @Test("outFile writes the image instead of storing it; other ranks do nothing")
    func outFileAndRanks() throws {
        let directory = try TestSupport.makeTemporaryDirectory("detection-out")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (visualizer, backend) = try TaskTestSupport.visualizer(DetectionVisualizer(), meta: Self.meta)
        let path = directory.appendingPathComponent("out.png").path
        let drawn = try visualizer.addDatasample(
            name: "o", image: try TaskTestSupport.scene(), dataSample: try Self.sample(), outFile: path)
        #expect(try Image(contentsOfFile: path) == drawn)
        #expect(backend.images(named: "o").isEmpty)
        visualizer.rank = 1
        #expect(try visualizer.addDatasample(name: "o", image: try TaskTestSupport.scene(), dataSample: try Self.sample()) == nil)
    }

    @Test("config construction: DetectionVisualizer and DetLocalVisualizer with MMDetection's options")
    func registry() throws {
        let visualizer = try VisualizerRegistry.shared.build([
            "type": "DetLocalVisualizer", "name": "det-registry-test", "bbox_color": [0, 255, 0], "line_width": 2,
            "alpha": 0.5, "text_color": "white",
        ])
        let task = try #require(visualizer.taskVisualizer as? DetectionVisualizer)
        #expect(task.boxColor == Color(red: 0, green: 255, blue: 0))
        #expect(task.lineWidth == 2 && task.alpha == 0.5 && task.textColor == Color(red: 255, green: 255, blue: 255))
        #expect(throws: VisualizerError.configValue(key: "alpha", expected: "a number in 0.0...1.0", actual: "2")) {
            try VisualizerRegistry.shared.build(["type": "DetectionVisualizer", "name": "det-registry-bad", "alpha": 2])
        }
        for kind in TaskKind.allCases {
            for typeName in kind.typeNames {
                #expect(VisualizerRegistry.shared.typeNames.contains(typeName))
            }
        }
    }
}
