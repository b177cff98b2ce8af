import Foundation
import Testing
import VisTestSupport
@testable import Visualization

@Suite("PoseVisualizer")
struct PoseVisualizerTests {
    /// A five-point stick figure: head, two hands, two feet.
    static let meta = DatasetMeta(
        keypointNames: ["head", "left_hand", "right_hand", "left_foot", "right_foot"],
        skeletonLinks: [SkeletonLink(0, 1), SkeletonLink(0, 2), SkeletonLink(0, 3), SkeletonLink(0, 4)],
        keypointColors: [
            Color(red: 255, green: 255, blue: 0), Color(red: 255, green: 0, blue: 0), Color(red: 0, green: 0, blue: 255),
            Color(red: 255, green: 0, blue: 255), Color(red: 0, green: 255, blue: 255),
        ],
        skeletonLinkColors: [Color(red: 255, green: 128, blue: 0)])

    static func figure(dx: Double) -> [Point] {
        [Point(60 + dx, 40), Point(30 + dx, 80), Point(90 + dx, 80), Point(45 + dx, 140), Point(75 + dx, 140)]
    }

    @Test("golden: skeletons over keypoints, hidden ones left out")
    func golden() throws {
        let (visualizer, _) = try TaskTestSupport.visualizer(PoseVisualizer(drawBoxes: true), meta: Self.meta)
        var sample = DataSample()
        sample.groundTruth.instances = InstanceData(
            boxes: [BoundingBox(x1: 20, y1: 30, x2: 100, y2: 150)], keypoints: [Self.figure(dx: 0)],
            keypointsVisible: [[1, 1, 1, 0, 1]])
        sample.prediction.instances = InstanceData(
            boxes: [BoundingBox(x1: 22, y1: 28, x2: 104, y2: 150), BoundingBox(x1: 120, y1: 30, x2: 200, y2: 150)],
            scores: [0.9, 0.8], keypoints: [Self.figure(dx: 2), Self.figure(dx: 100)],
            keypointScores: [[0.9, 0.8, 0.2, 0.7, 0.9], [0.95, 0.9, 0.9, 0.9, 0.1]])
        let drawn = try #require(try visualizer.addDatasample(name: "pose", image: try TaskTestSupport.scene(), dataSample: sample))
        #expect(drawn.width == 480 && drawn.height == 160)
        try TaskTestSupport.expectGolden(drawn, "task-pose.png")
    }

    @Test("keypoints scoring at or below the threshold, or outside the image, are hidden with their links")
    func hiddenKeypoints() throws {
        let visualizer = PoseVisualizer(keypointThreshold: 0.3)
        let instances = InstanceData(
            keypoints: [[Point(10, 10), Point(30, 10), Point(50, 10), Point(500, 10), Point(70, 10)]],
            keypointScores: [[0.9, 0.3, 0.31, 0.9, 0.0]])
        #expect(visualizer.visibleKeypoints(of: instances, imageWidth: 100, imageHeight: 100)
            == [[true, false, true, false, false]])
        // Drawn: the red left hand (score 0.3) must not appear, the blue right hand (0.31) must.
        let (drawing, _) = try TaskTestSupport.visualizer(visualizer, meta: Self.meta)
        var sample = DataSample()
        sample.prediction.instances = InstanceData(
            scores: [0.9], keypoints: [[Point(10, 50), Point(30, 50), Point(50, 50), Point(70, 50), Point(90, 50)]],
            keypointScores: [[0.9, 0.3, 0.31, 0.9, 0.0]])
        let drawn = try #require(try drawing.addDatasample(
            name: "k", image: try TaskTestSupport.plain(width: 100, height: 100, gray: 0), dataSample: sample))
        #expect(!TaskTestSupport.contains(drawn, color: Color(red: 255, green: 0, blue: 0), tolerance: 40))
        #expect(TaskTestSupport.contains(drawn, color: Color(red: 0, green: 0, blue: 255), tolerance: 40))
        #expect(!TaskTestSupport.contains(drawn, color: Color(red: 0, green: 255, blue: 255), tolerance: 40))
    }

    @Test("config construction with MMPose's option names; a skeleton beyond the keypoints is an error")
    func registryAndMeta() throws {
        let visualizer = try VisualizerRegistry.shared.build([
            "type": "PoseLocalVisualizer", "name": "pose-registry-test", "kpt_thr": 0.5, "radius": 4, "draw_bbox": true,
        ])
        let task = try #require(visualizer.taskVisualizer as? PoseVisualizer)
        #expect(task.keypointThreshold == 0.5 && task.radius == 4 && task.drawBoxes)
        #expect(throws: DataSampleError.self) {
            try DatasetMeta(configValue: ["keypoint_names": ["a"], "skeleton_links": [[0, 1]]])
        }
    }
}
