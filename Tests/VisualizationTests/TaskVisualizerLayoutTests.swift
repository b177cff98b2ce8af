import Foundation
import Testing
import VisTestSupport
@testable import Visualization

@Suite("Task visualizer layout")
struct TaskVisualizerLayoutTests {
    @Test("adaptive scales follow MMDetection's _get_adaptive_scales")
    func adaptiveScales() {
        #expect(TaskLayout.adaptiveScale(area: 0) == 0.5)
        #expect(TaskLayout.adaptiveScale(area: 800) == 0.5)
        #expect(abs(TaskLayout.adaptiveScale(area: 15_400) - 1.0) < 1e-12)
        #expect(abs(TaskLayout.adaptiveScale(area: 8_100) - 0.75) < 1e-12)
        #expect(TaskLayout.adaptiveScale(area: 1e9) == 1)
        #expect(TaskLayout.adaptiveScale(area: .nan) == 0.5)
    }

    @Test("the image scale is MMEngine's default font size over 10")
    func imageScale() {
        #expect(TaskLayout.imageScale(width: 640, height: 480) == 1)
        #expect(TaskLayout.imageScale(width: 1333, height: 800) == 1.1)
        #expect(TaskLayout.imageScale(width: 3840, height: 2160) == 3.2)
        #expect(TaskLayout.imageScale(width: 0, height: 0) == 1)
    }

    @Test("labels near every edge are moved so their background stays inside the image")
    func labelsStayInside() throws {
        let width = 200
        let height = 120
        for (x, y) in [(-30.0, -30.0), (190.0, 5.0), (5.0, 115.0), (199.0, 119.0), (80.0, 50.0), (.nan, .infinity)] {
            let label = try TaskLayout.placeLabel(
                "person: 98.7", fontSize: 13, padPoints: 0.7, x: x, y: y, imageWidth: width, imageHeight: height)
            #expect(label.box.x >= 0 && label.box.y >= 0, "label at (\(x), \(y)): \(label.box)")
            #expect(label.box.maxX <= Double(width) + 1e-9 && label.box.maxY <= Double(height) + 1e-9, "\(label.box)")
            #expect(label.box.width > 40 && label.box.height > 10)
        }
        // A label that fits where it is asked for stays there.
        let inside = try TaskLayout.placeLabel("car", fontSize: 10, padPoints: 0.7, x: 50, y: 40, imageWidth: width, imageHeight: height)
        #expect(inside.anchor == Point(50, 40))
        // A label wider than the image starts at the left edge.
        let wide = try TaskLayout.placeLabel(
            String(repeating: "wide ", count: 40), fontSize: 13, padPoints: 0.7, x: 50, y: 40, imageWidth: width,
            imageHeight: height)
        #expect(wide.box.x == 0)
    }

    @Test("panels compose left to right into one image as wide as all of them")
    func panels() throws {
        let gt = try Image(width: 30, height: 20, layout: .rgb, fill: [255, 0, 0])
        let pred = try Image(width: 30, height: 20, layout: .rgb, fill: [0, 0, 255])
        let both = try TaskLayout.composePanels([gt, pred])
        #expect(both.width == 60 && both.height == 20)
        #expect(Array(both[29, 10]) == [255, 0, 0] && Array(both[30, 10]) == [0, 0, 255])
        #expect(try TaskLayout.composePanels([pred]) == pred)
        #expect(throws: DataSampleError.self) { try TaskLayout.composePanels([]) }
        let short = try Image(width: 30, height: 10, layout: .rgb)
        #expect(throws: DataSampleError.self) { try TaskLayout.composePanels([gt, short]) }
    }

    @Test("the task is inferred from what the sample holds")
    func inferTask() throws {
        var sample = DataSample()
        #expect(TaskKind.infer(from: sample) == nil)
        sample.prediction.labels = [1]
        #expect(TaskKind.infer(from: sample) == .classification)
        sample.groundTruth.semanticSegmentation = try SegmentationMap(width: 1, height: 1, classIndices: [0])
        #expect(TaskKind.infer(from: sample) == .segmentation)
        sample.prediction.instances = InstanceData(boxes: [], labels: [])
        #expect(TaskKind.infer(from: sample) == .detection)
        sample.groundTruth.instances = InstanceData(keypoints: [])
        #expect(TaskKind.infer(from: sample) == .pose)
    }
}
