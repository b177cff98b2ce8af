import Foundation
import Visualization

/// A detection result like MMDetection visualizes: boxes, class labels on black 0.8-alpha background boxes, and
/// instance masks. Shared with `Scripts/bench/anchor_visualizer.py` through `visualizer-detections.json` and
/// `visualizer-masks.npy` in the work directory.
private struct DetectionScene: Codable {
    /// (x1, y1, x2, y2) per box.
    var boxes: [[Double]]
    /// (r, g, b) per box, 0-255.
    var colors: [[Int]]
    /// One label per box (`"person 0.97"`).
    var labels: [String]
    /// Box outline width in points: 1.44 pt = 2 px at MMEngine's 100 dpi.
    var lineWidthPoints: Double
    /// Label size in points (MMDetection's 13).
    var fontSizePoints: Double
    /// How many of the boxes get a mask (an ellipse inscribed in the box), in `visualizer-masks.npy`.
    var maskCount: Int
    var maskAlpha: Double

    static let classes = [
        "person", "bicycle", "car", "motorcycle", "bus", "truck", "traffic light", "dog", "cat", "horse",
    ]

    static func make(width: Int, height: Int, count: Int = 100, maskCount: Int = 20) -> DetectionScene {
        var state: UInt64 = 0x2024
        func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var scene = DetectionScene(
            boxes: [], colors: [], labels: [], lineWidthPoints: 2 * 72 / 100, fontSizePoints: 13,
            maskCount: maskCount, maskAlpha: 0.8)
        let palette = ColorPalette.coco
        for index in 0..<count {
            let w = 30 + unit() * 250
            let h = 30 + unit() * 250
            // Keep labels (drawn above the box's top-left corner) and boxes inside the image.
            let x = 1 + unit() * (Double(width) - w - 2)
            let y = 20 + unit() * (Double(height) - h - 21)
            scene.boxes.append([x, y, x + w, y + h])
            let classIndex = Int(unit() * Double(classes.count))
            let color = palette[classIndex]
            scene.colors.append([Int(color.red), Int(color.green), Int(color.blue)])
            scene.labels.append("\(classes[classIndex]) 0.\(50 + index % 50)")
        }
        return scene
    }

    /// The masks: an ellipse inscribed in each of the first `maskCount` boxes, N×H×W bool.
    func masks(width: Int, height: Int) throws -> NDArray {
        var bits = [Bool](repeating: false, count: maskCount * width * height)
        for (index, box) in boxes.prefix(maskCount).enumerated() {
            let (cx, cy) = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
            let (rx, ry) = ((box[2] - box[0]) / 2, (box[3] - box[1]) / 2)
            for y in Int(box[1])..<min(Int(box[3]) + 1, height) {
                for x in Int(box[0])..<min(Int(box[2]) + 1, width) {
                    let dx = (Double(x) + 0.5 - cx) / rx
                    let dy = (Double(y) + 0.5 - cy) / ry
                    if dx * dx + dy * dy <= 1 { bits[(index * height + y) * width + x] = true }
                }
            }
        }
        return try NDArray(bits, shape: [maskCount, height, width])
    }

    static func prepare(_ context: BenchContext) throws -> (DetectionScene, NDArray) {
        let (width, height) = (context.scene.width, context.scene.height)
        let scene = make(width: width, height: height)
        let masks = try scene.masks(width: width, height: height)
        try JSONEncoder().encode(scene).write(
            to: context.workDirectory.appendingPathComponent("visualizer-detections.json"))
        try masks.writeNPY(to: context.workDirectory.appendingPathComponent("visualizer-masks.npy").path)
        return (scene, masks)
    }

    /// Draws the boxes and labels (and the masks when given) the way MMDetection's visualizer does, on a fresh
    /// copy of the scene, and returns the image.
    func draw(on visualizer: Visualizer, image: Image, masks: NDArray?) throws -> Image {
        let colors = self.colors.map { Color(red: UInt8($0[0]), green: UInt8($0[1]), blue: UInt8($0[2])) }
        visualizer.setImage(image)
        try visualizer
            .drawBoundingBoxes(boxes, edgeColors: .each(colors), lineWidths: .all(lineWidthPoints))
            .drawTexts(
                labels, at: boxes.map { [$0[0], $0[1]] }, fontSizes: .all(fontSizePoints),
                colors: .all(Color(red: 200, green: 200, blue: 200)), verticalAlignments: .all(.bottom),
                backgrounds: .all(TextBackground(faceColor: "black", edgeColor: .none, alpha: 0.8, padPoints: 0.7)))
        if let masks {
            try visualizer.drawBinaryMasks(
                masks, colors: .each(colors.prefix(maskCount).map { MaskColor.rgb($0) }), alphas: .all(maskAlpha))
        }
        return try visualizer.getImage()
    }
}

extension Workloads {
    /// Visualization: MMEngine's `Visualizer` drawing a detection result.
    static let visualizer: [Workload] = [
        Workload(
            name: "visualizer.boxes100_labels100.1333x800",
            summary: "Visualizer: setImage, 100 boxes (2 px), 100 labels on black 0.8-alpha boxes, getImage"
        ) { context in
            let (scene, _) = try DetectionScene.prepare(context)
            let visualizer = try Visualizer(name: "bench-boxes", rank: 0)
            let image = context.scene
            return { _ = try scene.draw(on: visualizer, image: image, masks: nil) }
        },
        Workload(
            name: "visualizer.boxes100_labels100_masks20.1333x800",
            summary: "the same plus 20 instance masks (alpha 0.8)"
        ) { context in
            let (scene, masks) = try DetectionScene.prepare(context)
            let visualizer = try Visualizer(name: "bench-masks", rank: 0)
            let image = context.scene
            return { _ = try scene.draw(on: visualizer, image: image, masks: masks) }
        },
    ]
}
