import Foundation
import VisCore
import VisDraw

/// Draws image-level labels as a text panel in the image's top-left corner — MMPretrain's
/// `UniversalVisualizer.visualize_cls`.
///
/// The ground-truth panel reads `Ground truth: 3 (cat)`; the prediction panel lists the ``topK`` classes by score,
/// `Prediction: 3, 0.92 (cat)`, each on its own line (MMPretrain's format). Classes scoring at or below the
/// prediction score threshold are left out, except the best one, so a prediction is always shown. Without
/// `pred_score`, the `pred_label` classes are listed without scores. With no class list, the name part is left
/// out.
///
/// The text is monospace, white on a black box at 0.5 opacity, at MMPretrain's size: `7 pt × clamp(short side /
/// 224, 0.3, 3)`, and is kept inside the image.
public struct ClassificationVisualizer: TaskVisualizer {
    /// How many predicted classes to list when there are scores.
    public var topK: Int
    /// The font size in points; `nil` for MMPretrain's size for the image.
    public var fontSize: Double?
    /// The text colour.
    public var textColor: Color

    /// Creates a classification visualizer.
    public init(topK: Int = 3, fontSize: Double? = nil, textColor: Color = Color(red: 255, green: 255, blue: 255)) {
        self.topK = topK
        self.fontSize = fontSize
        self.textColor = textColor
    }

    /// The text background: black at 0.5 opacity (MMPretrain's), 3 pt padding.
    public static let background = TextBackground(
        faceColor: Color(red: 0, green: 0, blue: 0), edgeColor: .none, alpha: 0.5, padPoints: 3)

    /// MMPretrain's `get_adaptive_scale`: the short side over 224, clamped to 0.3...3.
    public static func adaptiveScale(width: Int, height: Int) -> Double {
        min(max(Double(min(width, height)) / 224, 0.3), 3)
    }

    public func canDraw(_ annotations: DataSample.Annotations) -> Bool {
        annotations.labels != nil || annotations.scores != nil
    }

    /// The panel's lines for one side.
    public func lines(for annotations: DataSample.Annotations, context: TaskDrawingContext) -> [String] {
        let meta = context.meta
        func name(_ label: Int) -> String { meta.classes.isEmpty ? "" : " (\(meta.className(of: label)))" }
        let entries: [String]
        let prefix: String
        switch context.side {
        case .groundTruth:
            prefix = "Ground truth: "
            entries = (annotations.labels ?? []).map { "\($0)\(name($0))" }
        case .prediction:
            prefix = "Prediction: "
            if let scores = annotations.scores {
                let ranked = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
                let shown = ranked.prefix(max(topK, 1)).enumerated()
                    .filter { $0.offset == 0 || scores[$0.element] > context.predScoreThreshold }.map(\.element)
                entries = shown.map { "\($0), \(_twoDecimals(scores[$0]))\(name($0))" }
            } else {
                entries = (annotations.labels ?? []).map { "\($0)\(name($0))" }
            }
        }
        guard let first = entries.first else { return [prefix + "none"] }
        let indent = String(repeating: " ", count: prefix.count)
        return [prefix + first] + entries.dropFirst().map { indent + $0 }
    }

    public func draw(_ annotations: DataSample.Annotations, on visualizer: Visualizer, context: TaskDrawingContext) throws {
        let text = lines(for: annotations, context: context).joined(separator: "\n")
        let scale = Self.adaptiveScale(width: context.imageWidth, height: context.imageHeight)
        let size = fontSize ?? max((7 * scale).rounded(.down), 1)
        let label = try TaskLayout.placeLabel(
            text, fontSize: size, padPoints: Self.background.padPoints, font: .monospace, x: 5 * scale, y: 5 * scale,
            imageWidth: context.imageWidth, imageHeight: context.imageHeight)
        try visualizer.drawTexts(
            [text], at: [[label.anchor.x, label.anchor.y]], fontSizes: .all(size), colors: .all(textColor),
            fonts: .all(.monospace), backgrounds: .all(Self.background))
    }
}

/// A score with two decimals, as MMPretrain prints it (`f'{score:.2f}'`: the exact binary value rounded).
func _twoDecimals(_ value: Double) -> String {
    String(format: "%.2f", value)
}
