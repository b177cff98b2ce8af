// CustomTaskVisualizerExample: a user-defined task visualizer (the DocC article "Custom task visualizers" walks
// through it).
//
//   swift run CustomTaskVisualizerExample <directory>
//
// `CenterMarkVisualizer` draws each instance as a cross at its box centre with the class name beside it, instead
// of the box itself. It conforms to `TaskVisualizer`, so `addDatasample` gives it the shared work for free:
// validation, score filtering, the ground-truth / prediction panels and storage. The program registers it under a
// type name with one option, builds a visualizer from a config (with a local backend writing into <directory>),
// draws a sample and prints where the image was stored.
import Foundation
import Visualization

// snippet.begin: center-mark
/// Marks each instance's box centre with a cross in its class colour and writes the class name beside it.
struct CenterMarkVisualizer: TaskVisualizer {
    /// Half the cross's arm length, in pixels.
    var armLength: Double = 8

    /// Only sides with labelled boxes get a panel.
    func canDraw(_ annotations: DataSample.Annotations) -> Bool {
        annotations.instances?.boxes != nil && annotations.instances?.labels != nil
    }

    func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws {
        // Validation guarantees one label per box; without labels there is no class to mark.
        guard let instances = annotations.instances, let boxes = instances.boxes, let labels = instances.labels,
            !boxes.isEmpty
        else { return }
        let colors = labels.map { context.meta.color(of: $0) }
        let centers = boxes.map { Point(x: ($0.x1 + $0.x2) / 2, y: ($0.y1 + $0.y2) / 2) }
        // Two segments per cross: horizontal then vertical.
        var xData: [[Double]] = []
        var yData: [[Double]] = []
        var segmentColors: [Color] = []
        for (center, color) in zip(centers, colors) {
            xData += [[center.x - armLength, center.x + armLength], [center.x, center.x]]
            yData += [[center.y, center.y], [center.y - armLength, center.y + armLength]]
            segmentColors += [color, color]
        }
        try visualizer.drawLines(xData: xData, yData: yData, colors: .each(segmentColors), lineWidths: .all(3))
        // Labels kept inside the image by the shared placement helper.
        let positions = try zip(centers, labels).map { center, label in
            let placed = try TaskLayout.placeLabel(
                context.meta.className(of: label), fontSize: 10, padPoints: 1, x: center.x + armLength + 2,
                y: center.y - 6, imageWidth: context.imageWidth, imageHeight: context.imageHeight)
            return [placed.anchor.x, placed.anchor.y]
        }
        try visualizer.drawTexts(
            labels.map { context.meta.className(of: $0) }, at: positions, colors: .all(Color(red: 255, green: 255, blue: 255)),
            backgrounds: .all(TextBackground(faceColor: Color(red: 0, green: 0, blue: 0), edgeColor: .none, alpha: 0.6, padPoints: 1)))
    }
}
// snippet.end: center-mark

/// A gray gradient to draw on.
func makeImage(width: Int, height: Int) throws -> Image {
    var pixels: [UInt8] = []
    pixels.reserveCapacity(width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            let level = UInt8(40 + (x + y) * 120 / (width + height))
            pixels += [level, level, level]
        }
    }
    return try Image(width: width, height: height, layout: .rgb, pixels: pixels)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: CustomTaskVisualizerExample <directory>\n".utf8))
    exit(2)
}
do {
    // snippet.begin: register
    // Register the type with its config option, as a library would at start-up.
    VisualizerRegistry.shared.registerTaskVisualizer("CenterMarkVisualizer", optionKeys: ["arm_length"]) { options in
        CenterMarkVisualizer(armLength: try options.double("arm_length", in: 1...100) ?? 8)
    }
    let visualizer = try VisualizerRegistry.shared.build([
        "type": "CenterMarkVisualizer", "name": "example", "arm_length": 10,
        "vis_backends": [["type": "LocalVisBackend"]], "save_dir": .string(arguments[1]),
    ])
    // snippet.end: register
    visualizer.setDatasetMeta(DatasetMeta(classes: ["cat", "dog"], palette: try ColorPalette(colors: [
        Color(red: 255, green: 64, blue: 64), Color(red: 64, green: 160, blue: 255),
    ])))

    var sample = DataSample(metainfo: ["img_path": "gradient.png"])
    sample.groundTruth.instances = InstanceData(
        boxes: [BoundingBox(x1: 20, y1: 30, x2: 100, y2: 90), BoundingBox(x1: 120, y1: 20, x2: 190, y2: 110)],
        labels: [0, 1])
    sample.prediction.instances = InstanceData(
        boxes: [BoundingBox(x1: 24, y1: 28, x2: 104, y2: 94), BoundingBox(x1: 10, y1: 100, x2: 60, y2: 118)],
        labels: [0, 1], scores: [0.92, 0.12])
    let image = try makeImage(width: 200, height: 120)
    try visualizer.addDatasample(name: "example", image: image, dataSample: sample, step: 1)
    visualizer.flush()
    visualizer.close()
    let stored = URL(fileURLWithPath: arguments[1]).appendingPathComponent("vis_data/vis_image/example_1.png").path
    print(stored)
} catch {
    FileHandle.standardError.write(Data("CustomTaskVisualizerExample: \(error)\n".utf8))
    exit(1)
}
