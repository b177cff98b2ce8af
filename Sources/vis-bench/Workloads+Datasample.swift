import Foundation
import Visualization

/// A detection sample shared with the Python anchor: boxes, labels, scores and the class palette (COCO) in
/// `datasample-detection.json`, the masks in `datasample-masks.npy` (100×800×1333 bool: one mask per instance, as
/// a detection sample holds them), both in the work directory.
private struct DetectionBenchSample: Codable {
    var boxes: [[Double]]
    var labels: [Int]
    var scores: [Double]
    var palette = ColorPalette.coco.colors.map { [Int($0.red), Int($0.green), Int($0.blue)] }

    static func make(width: Int, height: Int, boxCount: Int, maskCount: Int) throws -> (DetectionBenchSample, InstanceMasks) {
        var generator = BenchRandom(state: 99)
        var boxes: [[Double]] = []
        for _ in 0..<boxCount { boxes.append(generator.box(width: width, height: height)) }
        let labels = (0..<boxCount).map { _ in Int(generator.unit() * 80) }
        let scores = (0..<boxCount).map { _ in 0.31 + generator.unit() * 0.69 }
        // Elliptical masks inscribed in the first `maskCount` boxes; the other instances have empty masks.
        let plane = width * height
        var bits = [Bool](repeating: false, count: boxCount * plane)
        for index in 0..<min(maskCount, boxCount) {
            let box = boxes[index]
            let (cx, cy) = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            let (rx, ry) = ((box[2] - box[0]) / 2, (box[3] - box[1]) / 2)
            for y in Int(box[1])..<min(Int(box[3]) + 1, height) {
                for x in Int(box[0])..<min(Int(box[2]) + 1, width) {
                    let dx = (Double(x) + 0.5 - cx) / rx
                    let dy = (Double(y) + 0.5 - cy) / ry
                    if dx * dx + dy * dy <= 1 { bits[index * plane + y * width + x] = true }
                }
            }
        }
        let masks = try InstanceMasks(count: boxCount, height: height, width: width, bits: bits)
        return (DetectionBenchSample(boxes: boxes, labels: labels, scores: scores), masks)
    }
}

extension Workloads {
    /// Visualization: `addDatasample` with the detection visualizer, storing into a local backend.
    static let datasample: [Workload] = [
        Workload(
            name: "datasample.detection.100boxes_20masks.1333x800",
            summary: "addDatasample (prediction panel: 100 boxes + labels, 100 mask planes of which 20 are drawn, "
                + "with outlines) to a LocalVisBackend, then flush"
        ) { context in
            let scene = context.scene
            // 100 instances with boxes, labels and scores; the first 20 have elliptical masks, the others empty
            // ones (which draw nothing).
            let (geometry, masks) = try DetectionBenchSample.make(
                width: scene.width, height: scene.height, boxCount: 100, maskCount: 20)
            try JSONEncoder().encode(geometry).write(
                to: context.workDirectory.appendingPathComponent("datasample-detection.json"))
            // Both sides get every instance's mask plane, the 80 empty ones included, and both skip those.
            try masks.array.writeNPY(
                to: context.workDirectory.appendingPathComponent("datasample-masks.npy").path)
            var built = DataSample()
            built.prediction.instances = InstanceData(
                boxes: geometry.boxes.map { BoundingBox(x1: $0[0], y1: $0[1], x2: $0[2], y2: $0[3]) },
                labels: geometry.labels, scores: geometry.scores, masks: masks)
            let sample = built
            let saveDir = context.workDirectory.appendingPathComponent("datasample-\(UUID().uuidString)").path
            let visualizer = try Visualizer(
                name: "bench-datasample", backends: [.backend(try LocalVisBackend(saveDir: saveDir))], rank: 0)
            visualizer.taskVisualizer = DetectionVisualizer()
            visualizer.setDatasetMeta(DatasetMeta(classes: (0..<80).map { "class_\($0)" }, palette: .coco))
            let step = StepCounter()
            return {
                try visualizer.addDatasample(
                    name: "detection", image: scene, dataSample: sample, drawGT: false, step: step.next())
                visualizer.flush()
            }
        },
    ]
}
