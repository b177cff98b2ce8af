import Foundation
import Visualization

/// Random geometry shared with the Python anchors through `draw-geometry.json` in the work directory.
private struct DrawGeometry: Codable {
    /// x, y, width, height per rectangle (float pixels).
    var rectangles: [[Double]]
    /// centre x, centre y, radius per circle.
    var circles: [[Double]]

    static func make(width: Double, height: Double, count: Int) -> DrawGeometry {
        var generator = BenchRandom(state: 2024)
        var rectangles: [[Double]] = []
        var circles: [[Double]] = []
        for _ in 0..<count {
            let w = 8 + generator.unit() * 120
            let h = 8 + generator.unit() * 120
            rectangles.append([generator.unit() * (width - w), generator.unit() * (height - h), w, h])
            circles.append([generator.unit() * width, generator.unit() * height, 2 + generator.unit() * 28])
        }
        return DrawGeometry(rectangles: rectangles, circles: circles)
    }

    static func prepare(_ context: BenchContext) throws -> DrawGeometry {
        let geometry = make(width: Double(context.scene.width), height: Double(context.scene.height), count: 10_000)
        let data = try JSONEncoder().encode(geometry)
        try data.write(to: context.workDirectory.appendingPathComponent("draw-geometry.json"))
        return geometry
    }
}

extension Workloads {
    /// VisDraw: the rasterizer on the 1333×800 scene.
    static let draw: [Workload] = [
        rectangleOutlines(name: "draw.rect_outlines.aa2px.10000", join: .miter),
        // MMEngine's boxes: matplotlib's default round joins.
        rectangleOutlines(name: "draw.rect_outlines.aa2px_round.10000", join: .round),
        Workload(
            name: "draw.circles.filled.10000",
            summary: "10 000 anti-aliased filled circles, radius 2–30, on the scene (copy included)"
        ) { context in
            let geometry = try DrawGeometry.prepare(context)
            let scene = context.scene
            let color = Color(red: 220, green: 40, blue: 40)
            return {
                var canvas = Canvas(image: scene)
                for c in geometry.circles {
                    try canvas.fillCircle(center: Point(c[0], c[1]), radius: c[2], color: color)
                }
                _ = canvas.image
            }
        },
        Workload(
            name: "draw.text_labels.bg_opaque.1000",
            summary:
                "the 1000 labels of draw.text_labels.bg.1000 on opaque boxes (as OpenCV's anchor draws them)"
        ) { context in
            let labels = TextLabelScene.make(width: context.scene.width, height: context.scene.height)
            try TextLabelScene.write(labels, to: context.workDirectory.appendingPathComponent("text-labels.json"))
            let scene = context.scene
            let renderer = TextRenderer.shared
            let styles = labels.map { label in
                TextStyle(
                    font: .sansSerif, sizePoints: label.sizePoints, color: Color(red: 255, green: 255, blue: 255),
                    background: TextBackground(
                        faceColor: Color(red: label.box.0, green: label.box.1, blue: label.box.2), edgeColor: .none,
                        padPoints: 0.7))
            }
            return {
                var canvas = Canvas(image: scene)
                for (label, style) in zip(labels, styles) {
                    try renderer.draw(label.text, x: label.x, y: label.y, style: style, on: &canvas)
                }
            }
        },
    ]

    /// 10 000 anti-aliased 2 px rectangle outlines with `join` corners.
    private static func rectangleOutlines(name: String, join: LineJoin) -> Workload {
        Workload(
            name: name,
            summary: "10 000 anti-aliased 2 px rectangle outlines, \(join.rawValue) joins, on the scene (copy included)"
        ) { context in
            let geometry = try DrawGeometry.prepare(context)
            let scene = context.scene
            let style = StrokeStyle(lineWidth: 2, join: join)
            let color = Color(red: 0, green: 200, blue: 0)
            return {
                var canvas = Canvas(image: scene)
                for r in geometry.rectangles {
                    try canvas.strokeRect(x: r[0], y: r[1], width: r[2], height: r[3], style: style, color: color)
                }
                _ = canvas.image
            }
        }
    }
}
