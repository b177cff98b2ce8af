import VisCore
import VisDraw

/// The geometry task visualizers share: MMDetection's adaptive label scale, the image-size scale, label
/// placement that keeps a label's background inside the image, and the side-by-side panel composition of
/// `addDatasample`.
public enum TaskLayout {
    /// MMDetection's `_get_adaptive_scales`: `0.5 + (area − minArea) / (maxArea − minArea)` clamped to
    /// 0.5...1, so labels of boxes under 800 px² are half size and those over 30 000 px² full size.
    public static func adaptiveScale(area: Double, minArea: Double = 800, maxArea: Double = 30_000) -> Double {
        guard area.isFinite, maxArea > minArea else { return 0.5 }
        return min(max(0.5 + (area - minArea) / (maxArea - minArea), 0.5), 1)
    }

    /// How much bigger than MMEngine's smallest default font (10 pt) the default font of a `width`×`height`
    /// image is: `max(floor(√(W·H) / 90), 10) / 10` — 1 up to about 1000×1000, 2 at 1920×1080·2. Task
    /// visualizers multiply line widths and font sizes by it, so drawings keep their proportions on large images.
    public static func imageScale(width: Int, height: Int) -> Double {
        let area = Double(max(width, 0)) * Double(max(height, 0))
        return max((area.squareRoot() / 90).rounded(.down), 10) / 10
    }

    /// Where a label goes: the top-left anchor to draw it at (left/top aligned) and its background box.
    public struct Label: Sendable, Hashable {
        /// The anchor for ``Visualizer/drawTexts(_:at:fontSizes:colors:verticalAlignments:horizontalAlignments:fonts:backgrounds:)``
        /// with `.left` and `.top` alignment.
        public var anchor: Point
        /// The background box (text plus padding) in pixels.
        public var box: TextBounds
    }

    /// Places a text label of `fontSize` points whose top-left (or centre, when `centered`) is preferably at
    /// (`x`, `y`), shifted as little as possible so that its background (the text box grown by `padPoints`) lies
    /// inside the image.
    ///
    /// A label wider (or taller) than the image is placed at the left (top) edge and is cut at the other one.
    ///
    /// - Throws: Font errors (`VisDrawError`) when no font can be loaded.
    public static func placeLabel(
        _ text: String, fontSize: Double, padPoints: Double, font: FontSpec = .sansSerif, x: Double, y: Double,
        centered: Bool = false, imageWidth: Int, imageHeight: Int
    ) throws -> Label {
        let style = TextStyle(font: font, sizePoints: fontSize)
        let layout = try TextRenderer.shared.layout(text, style: style)
        let pad = TextBackground(padPoints: padPoints).padPixels(fontSizePoints: fontSize)
        let preferredX = centered ? x - layout.width / 2 : x
        let preferredY = centered ? y - layout.height / 2 : y
        let left = clamp(preferredX, extent: layout.width, pad: pad, limit: Double(imageWidth))
        let top = clamp(preferredY, extent: layout.height, pad: pad, limit: Double(imageHeight))
        let box = TextBounds(x: left - pad, y: top - pad, width: layout.width + 2 * pad, height: layout.height + 2 * pad)
        return Label(anchor: Point(x: left, y: top), box: box)
    }

    /// `value` moved into `pad...(limit − extent − pad)`, or `pad` when that range is empty.
    static func clamp(_ value: Double, extent: Double, pad: Double, limit: Double) -> Double {
        let upper = limit - extent - pad
        guard upper >= pad else { return pad }
        return min(max(value.isFinite ? value : pad, pad), upper)
    }

    /// The panels of `addDatasample` side by side, ground truth on the left, with no gap (MMDetection's
    /// `np.concatenate(..., axis=1)`); a single panel is returned as is.
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming `panels` for an empty list or
    ///   panels of different heights (every panel is drawn on the same input image, so this is a programming
    ///   error of a custom task visualizer that changed the image's size).
    public static func composePanels(_ panels: [Image]) throws -> Image {
        guard let first = panels.first else {
            throw DataSampleError.invalidField(field: "panels", expected: "at least one panel", actual: "none")
        }
        guard panels.count > 1 else { return first }
        if let other = panels.first(where: { $0.height != first.height }) {
            throw DataSampleError.invalidField(
                field: "panels", expected: "panels of one height (\(first.height) px)",
                actual: "a panel \(other.height) px high")
        }
        return try Image.hconcat(panels)
    }
}
