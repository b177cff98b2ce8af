import Foundation
import VisCore
import VisDraw

/// Draws detection and instance segmentation results: boxes, masks, polygons and class labels — MMDetection's
/// `DetLocalVisualizer`.
///
/// For each instance, with its class colour from ``DatasetMeta/color(of:)`` (the palette, or MMDetection's seeded
/// random colours):
/// - **Masks** blend the class colour in with ``alpha`` and get a white 1-pixel outline (MMDetection draws the
///   mask contours in white); **polygons** are filled the same way with a white edge.
/// - **Boxes** are outlined in the class colour (or ``boxColor``).
/// - **Labels** — the class name, and `: 87.3` (the score in percent, one decimal) when there are scores — are
///   drawn last, on a black background box at 0.8 opacity, at the box's top-left corner inset by the line width;
///   instances without a box are labelled at the centre of their mask or polygon. Labels are moved as little as
///   needed to keep the background box inside the image.
/// - **Instances without labels** are drawn in ``unlabelledColor`` (or ``boxColor``/``maskColor``) and carry only
///   their score, or no text without scores: a missing label is never shown as a class.
/// - **Sizes** follow MMDetection: the font is `13 pt × adaptiveScale(box area)`
///   (``TaskLayout/adaptiveScale(area:minArea:maxArea:)``: half size under 800 px², full size over 30 000 px²),
///   and both the font and the box line width also grow with the image (``TaskLayout/imageScale(width:height:)``).
///   The line width of a box is ``lineWidth`` × adaptive scale × image scale points, so small boxes get thinner
///   lines; the visualizer then caps shape widths at a quarter of its default font size, as MMEngine does.
///
/// Differences from MMDetection: masks are drawn before boxes and labels (MMDetection blends them over the labels,
/// tinting them), mask colours are not randomly jittered (so images are reproducible), and mask-only labels sit at
/// the mask's centroid instead of its largest component's.
public struct DetectionVisualizer: TaskVisualizer {
    /// The box colour; `nil` colours boxes by class.
    public var boxColor: Color?
    /// The label text colour (MMDetection's default (200, 200, 200)).
    public var textColor: Color
    /// The mask and polygon colour; `nil` colours them by class.
    public var maskColor: Color?
    /// The box line width in points before scaling (MMDetection's 3).
    public var lineWidth: Double
    /// The opacity of boxes, masks and polygons (MMDetection's 0.8).
    public var alpha: Double
    /// The label font size in points before scaling (MMDetection's 13).
    public var fontSize: Double

    /// Creates a detection visualizer; the defaults are MMDetection's.
    public init(
        boxColor: Color? = nil, textColor: Color = Color(red: 200, green: 200, blue: 200), maskColor: Color? = nil,
        lineWidth: Double = 3, alpha: Double = 0.8, fontSize: Double = 13
    ) {
        self.boxColor = boxColor
        self.textColor = textColor
        self.maskColor = maskColor
        self.lineWidth = lineWidth
        self.alpha = alpha
        self.fontSize = fontSize
    }

    /// The colour of instances without labels: MMEngine's default shape colour, matplotlib's `'g'` (0, 128, 0).
    public static let unlabelledColor = Color(red: 0, green: 128, blue: 0)

    /// The label background MMDetection uses: black at 0.8 opacity, 0.7 pt padding, no edge.
    public static let labelBackground = TextBackground(
        faceColor: Color(red: 0, green: 0, blue: 0), edgeColor: .none, alpha: 0.8, padPoints: 0.7)

    /// Draws a side with instances (even zero of them: the panel then shows the plain image).
    public func canDraw(_ annotations: DataSample.Annotations) -> Bool {
        annotations.instances != nil
    }

    public func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws {
        guard let instances = annotations.instances, instances.count > 0 else { return }
        let count = instances.count
        // Without labels there is no class to name or colour by: MMDetection draws what it has, so instances
        // take MMEngine's default shape colour and are labelled with their score alone (or not at all).
        let labels: [Int?] = instances.labels.map { $0.map { Optional($0) } }
            ?? [Int?](repeating: nil, count: count)
        let classColors = labels.map { $0.map { context.meta.color(of: $0) } ?? Self.unlabelledColor }
        let imageScale = context.imageScale

        if let masks = instances.masks {
            // Fills, then white 1-pixel outlines (MMDetection draws white contours), empty masks skipped.
            try visualizer._drawInstanceMasks(
                masks, colors: classColors.map { maskColor ?? $0 },
                outlineColor: Color(red: 255, green: 255, blue: 255), alpha: alpha)
        }
        if let polygons = instances.polygons {
            var parts: [[[Double]]] = []
            var faces: [Color] = []
            for (index, instance) in polygons.enumerated() {
                for part in instance {
                    parts.append(part.map { [$0.x, $0.y] })
                    faces.append(maskColor ?? classColors[index])
                }
            }
            if !parts.isEmpty {
                try visualizer.drawPolygons(
                    parts, edgeColors: .all(Color(red: 255, green: 255, blue: 255)), lineWidths: .all(imageScale),
                    faceColors: .each(faces), alpha: alpha)
            }
        }

        // Each instance's size scale: from its box, else its mask or polygon area.
        let areas = (0..<count).map { index -> Double in
            if let box = instances.boxes?[index] { return box.area }
            if let masks = instances.masks, masks.count > index { return Double(masks.area(at: index)) }
            return instances.polygons.map { _polygonArea($0[index]) } ?? 0
        }
        let scales = areas.map { TaskLayout.adaptiveScale(area: $0) }

        var anchors: [Point] = []
        if let boxes = instances.boxes {
            let widths = scales.map { lineWidth * $0 * imageScale }
            try visualizer.drawBoundingBoxes(
                boxes.map { [$0.x1, $0.y1, $0.x2, $0.y2] },
                edgeColors: .each(boxColor.map { [Color](repeating: $0, count: count) } ?? classColors),
                lineWidths: .each(widths), alpha: alpha)
            // MMDetection: `bboxes[:, :2] + line_width`, in pixels.
            anchors = boxes.map { Point(x: $0.x1 + lineWidth, y: $0.y1 + lineWidth) }
        }

        var texts: [String] = []
        var positions: [[Double]] = []
        var sizes: [Double] = []
        for index in 0..<count {
            var parts: [String] = []
            if let label = labels[index] { parts.append(context.meta.className(of: label)) }
            if let score = instances.scores?[index] { parts.append(_percent(score)) }
            guard !parts.isEmpty else { continue }
            let text = parts.joined(separator: ": ")
            let size = (fontSize * scales[index]).rounded(.down) * imageScale
            let label: TaskLayout.Label
            if index < anchors.count {
                label = try TaskLayout.placeLabel(
                    text, fontSize: size, padPoints: Self.labelBackground.padPoints, x: anchors[index].x,
                    y: anchors[index].y, imageWidth: context.imageWidth, imageHeight: context.imageHeight)
            } else {
                guard let center = _center(of: instances, at: index) else { continue }
                label = try TaskLayout.placeLabel(
                    text, fontSize: size, padPoints: Self.labelBackground.padPoints, x: center.x, y: center.y,
                    centered: true, imageWidth: context.imageWidth, imageHeight: context.imageHeight)
            }
            texts.append(text)
            positions.append([label.anchor.x, label.anchor.y])
            sizes.append(size)
        }
        if !texts.isEmpty {
            try visualizer.drawTexts(
                texts, at: positions, fontSizes: .each(sizes), colors: .all(textColor),
                backgrounds: .all(Self.labelBackground))
        }
    }

    /// The centre of an instance without a box: its mask's centroid, else its polygons' bounds' centre.
    private func _center(of instances: InstanceData, at index: Int) -> Point? {
        if let masks = instances.masks, masks.count > index {
            return masks.centroid(at: index)
        }
        let points = instances.polygons?[index].flatMap { $0 } ?? []
        guard let minX = points.map(\.x).min(), let maxX = points.map(\.x).max(),
            let minY = points.map(\.y).min(), let maxY = points.map(\.y).max()
        else { return nil }
        return Point(x: (minX + maxX) / 2, y: (minY + maxY) / 2)
    }
}

/// A score as MMDetection prints it, `round(score * 100, 1)`: `87.3`, `100.0`.
func _percent(_ score: Double) -> String {
    String(format: "%.1f", score * 100)
}

/// The total shoelace area of an instance's polygons.
func _polygonArea(_ parts: [[Point]]) -> Double {
    parts.reduce(0) { total, points in
        var twice = 0.0
        for index in points.indices {
            let a = points[index]
            let b = points[(index + 1) % points.count]
            twice += a.x * b.y - b.x * a.y
        }
        return total + abs(twice) / 2
    }
}

extension InstanceMasks {
    /// The mean position of mask `index`'s pixels (pixel centres), or nil for an empty mask.
    func centroid(at index: Int) -> Point? {
        var sumX = 0.0
        var sumY = 0.0
        var pixels = 0.0
        let mask = self.mask(at: index)
        var offset = mask.startIndex
        for y in 0..<height {
            for x in 0..<width {
                if mask[offset] {
                    sumX += Double(x) + 0.5
                    sumY += Double(y) + 0.5
                    pixels += 1
                }
                offset += 1
            }
        }
        return pixels > 0 ? Point(x: sumX / pixels, y: sumY / pixels) : nil
    }
}
