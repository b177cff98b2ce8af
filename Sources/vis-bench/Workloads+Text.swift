import Foundation
import Visualization

extension Workloads {
    /// VisDraw text: detection-style labels with background boxes.
    static let text: [Workload] = [
        Workload(
            name: "draw.text_labels.bg.1000",
            summary:
                "1000 \"person 0.97\" labels, 10–16 pt, white on 0.8-alpha boxes, on a copy of the scene"
        ) { context in
            let labels = TextLabelScene.make(width: context.scene.width, height: context.scene.height)
            try TextLabelScene.write(
                labels, to: context.workDirectory.appendingPathComponent("text-labels.json"))
            let scene = context.scene
            let renderer = TextRenderer.shared
            let styles = labels.map { label in
                TextStyle(
                    font: .sansSerif, sizePoints: label.sizePoints,
                    color: Color(red: 255, green: 255, blue: 255),
                    background: TextBackground(
                        faceColor: Color(red: label.box.0, green: label.box.1, blue: label.box.2),
                        edgeColor: .none,
                        alpha: 0.8, padPoints: 0.7))
            }
            return {
                var canvas = Canvas(image: scene)
                for (label, style) in zip(labels, styles) {
                    try renderer.draw(label.text, x: label.x, y: label.y, style: style, on: &canvas)
                }
            }
        }
    ]
}

/// The labels of the text workload, shared with `Scripts/bench/anchor_text.py` through `text-labels.json`.
enum TextLabelScene {
    struct Label {
        var text: String
        var x: Double
        var y: Double
        var sizePoints: Double
        var box: (UInt8, UInt8, UInt8)
    }

    static let classes = [
        "person", "bicycle", "car", "motorcycle", "bus", "truck", "traffic light", "dog", "cat",
        "horse",
        "umbrella", "handbag", "bottle", "cup", "chair", "potted plant", "dining table", "laptop",
        "cell phone", "book",
    ]

    /// Deterministic labels: the same every run and in the anchors (which read the JSON).
    static func make(width: Int, height: Int, count: Int = 1000) -> [Label] {
        var state: UInt32 = 2024
        func next(_ bound: Int) -> Int {
            state = state &* 1_664_525 &+ 1_013_904_223
            return Int(state >> 8) % bound
        }
        return (0..<count).map { index in
            let score = 50 + next(50)
            return Label(
                text: "\(classes[next(classes.count)]) 0.\(score)", x: Double(next(width - 120)),
                y: Double(next(height - 30)), sizePoints: Double(10 + index % 7),
                box: (UInt8(next(256)), UInt8(next(256)), UInt8(next(256))))
        }
    }

    static func write(_ labels: [Label], to url: URL) throws {
        let objects: [[String: Any]] = labels.map { label in
            [
                "text": label.text, "x": label.x, "y": label.y, "size_pt": label.sizePoints,
                "box": [Int(label.box.0), Int(label.box.1), Int(label.box.2)],
            ]
        }
        try JSONSerialization.data(withJSONObject: objects).write(to: url)
    }
}
