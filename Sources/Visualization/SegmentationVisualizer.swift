import VisCore
import VisDraw

/// Draws semantic segmentation maps: each class's pixels blended with its colour, and a legend of the classes
/// present — MMSegmentation's `SegLocalVisualizer`.
///
/// - **Overlay**: every pixel whose value is a class (in `0..<classes.count`; without a class list, any
///   non-negative value except the ignore index 255) becomes `(1 − α)·pixel + α·colour`, with the class colour from
///   ``DatasetMeta/color(of:)`` and ``alpha`` (MMSegmentation's 0.8). Other values stay undrawn.
/// - **Legend** (``showLegend``): in the top-left corner, on a black box at 0.6 opacity, a colour swatch and the
///   class name for each class present, in class order; it continues in further columns when the image is not
///   tall enough. The font size is ``fontSize`` × ``TaskLayout/imageScale(width:height:)``. MMSegmentation writes
///   each class name at the centre of its largest region instead; a legend stays readable when regions are small.
public struct SegmentationVisualizer: TaskVisualizer {
    /// The opacity of the class colours (MMSegmentation's 0.8).
    public var alpha: Double
    /// Whether to draw the legend.
    public var showLegend: Bool
    /// The legend's font size in points before scaling.
    public var fontSize: Double

    /// Creates a segmentation visualizer.
    public init(alpha: Double = 0.8, showLegend: Bool = true, fontSize: Double = 10) {
        self.alpha = alpha
        self.showLegend = showLegend
        self.fontSize = fontSize
    }

    /// MMSegmentation's ignore index, never drawn when the dataset has no class list.
    public static let ignoreIndex: Int32 = 255

    public func canDraw(_ annotations: DataSample.Annotations) -> Bool {
        annotations.semanticSegmentation != nil
    }

    public func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws {
        guard let map = annotations.semanticSegmentation else { return }
        let classCount = context.meta.classes.count
        func isClass(_ value: Int32) -> Bool {
            classCount > 0 ? value >= 0 && Int(value) < classCount : value >= 0 && value != Self.ignoreIndex
        }
        // Group pixels by class in one pass, in class order.
        var pixelsByClass: [Int32: [Int]] = [:]
        for (offset, value) in map.classIndices.enumerated() where isClass(value) {
            pixelsByClass[value, default: []].append(offset)
        }
        let present = pixelsByClass.keys.sorted()
        guard !present.isEmpty else { return }
        let plane = map.width * map.height
        var bits = [Bool](repeating: false, count: present.count * plane)
        for (index, label) in present.enumerated() {
            for offset in pixelsByClass[label] ?? [] { bits[index * plane + offset] = true }
        }
        let masks = InstanceMasks(_trusted: present.count, height: map.height, width: map.width, bits: bits)
        let colors = present.map { MaskColor.rgb(context.meta.color(of: Int($0))) }
        try visualizer.drawBinaryMasks(masks.array, colors: .each(colors), alphas: .all(alpha))
        if showLegend {
            try _drawLegend(classes: present.map { Int($0) }, on: visualizer, context: context)
        }
    }

    /// The legend: rows of swatch + name in columns, on one translucent background per column.
    private func _drawLegend(classes: [Int], on visualizer: Visualizer, context: TaskDrawingContext) throws {
        let size = fontSize * context.imageScale
        let names = classes.map { context.meta.className(of: $0) }
        let layouts = try names.map { try TextRenderer.shared.layout($0, style: TextStyle(sizePoints: size)) }
        let lineHeight = (layouts.map(\.height).max() ?? size) * 1.25
        let swatch = lineHeight * 0.7
        let margin = 0.4 * lineHeight
        let rowsPerColumn = max(Int((Double(context.imageHeight) - 2 * margin) / lineHeight), 1)

        var backgrounds: [[Double]] = []
        var swatches: [[Double]] = []
        var texts: [[Double]] = []
        var columnLeft = 0.0
        for start in stride(from: 0, to: classes.count, by: rowsPerColumn) {
            let rows = start..<min(start + rowsPerColumn, classes.count)
            let textWidth = rows.map { layouts[$0].width }.max() ?? 0
            let columnWidth = margin + swatch + margin + textWidth + margin
            backgrounds.append([
                columnLeft, 0, columnLeft + columnWidth, 2 * margin + Double(rows.count) * lineHeight,
            ])
            for (row, index) in rows.enumerated() {
                let top = margin + Double(row) * lineHeight
                let swatchTop = top + (lineHeight - swatch) / 2
                swatches.append([columnLeft + margin, swatchTop, columnLeft + margin + swatch, swatchTop + swatch])
                texts.append([columnLeft + 2 * margin + swatch, top + (lineHeight - layouts[index].height) / 2])
            }
            columnLeft += columnWidth
        }
        let black = Color(red: 0, green: 0, blue: 0)
        try visualizer.drawBoundingBoxes(
            backgrounds, edgeColors: .all(.none), lineWidths: .all(0), faceColors: .all(black), alpha: 0.6)
        try visualizer.drawBoundingBoxes(
            swatches, edgeColors: .all(Color(red: 255, green: 255, blue: 255)), lineWidths: .all(1),
            faceColors: .each(classes.map { context.meta.color(of: $0) }), alpha: 1)
        try visualizer.drawTexts(
            names, at: texts, fontSizes: .all(size), colors: .all(Color(red: 255, green: 255, blue: 255)))
    }
}
