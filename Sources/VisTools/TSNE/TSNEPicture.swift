import Foundation
import VisCore
import VisPlot

/// The picture MMSelfSup draws of a t-SNE embedding: the first two components min–max normalised to [0, 1] per
/// axis, one 15 pt² dot per sample coloured by its label through matplotlib's `tab20`, on a 10 × 10 inch figure at
/// 100 dpi (1000 × 1000 pixels) with matplotlib's default axes.
///
/// This follows `tools/analysis_tools/visualize_tsne.py` of open-mmlab/mmselfsup: `plt.figure(figsize=(10, 10))`,
/// then `plt.scatter(x, y, alpha=1.0, s=15, c=labels, cmap='tab20')` on the normalised result and `savefig` at the
/// default dpi. Labels are normalised by their own minimum and maximum, as matplotlib does with `c=`, so K classes
/// spread over the 20 colours rather than taking the first K. Without labels every dot takes matplotlib's first
/// cycle colour (what `scatter` does without `c`).
///
/// Beyond MMSelfSup, ``classNames`` adds a legend (matplotlib's default style, placed where it covers the fewest
/// dots) with one entry per class present, in label order; the dots are still drawn in sample order, as one
/// collection, so the picture under the legend is MMSelfSup's.
public struct TSNEPicture: Sendable {
    /// The figure size in inches.
    public static let size = (width: 10.0, height: 10.0)
    /// Pixels per inch.
    public static let dpi = 100.0
    /// The dot area in pt² (matplotlib's `s`).
    public static let markerArea = 15.0

    /// The first component of each sample, normalised to [0, 1].
    public let x: [Double]
    /// The second component of each sample, normalised to [0, 1].
    public let y: [Double]
    /// One class label per sample, or nil for one colour.
    public let labels: [Int]?
    /// The class names, indexed by label, or nil for no legend.
    public let classNames: [String]?

    /// A picture of `embedding` (N × C, C ≥ 2; only the first two columns are drawn).
    ///
    /// - Parameters:
    ///   - embedding: The embedding, of any numeric dtype.
    ///   - labels: N class labels, or nil to draw every sample in one colour.
    ///   - classNames: Names indexed by label (at least the largest label + 1 of them), or nil for no legend.
    /// - Throws: ``TSNEPictureError`` for an embedding that is not N × C with C ≥ 2, labels of another length,
    ///   names without labels, too few names or a negative label to name.
    public init(embedding: NDArray, labels: [Int]? = nil, classNames: [String]? = nil) throws {
        guard embedding.rank == 2, embedding.shape[1] >= 2 else {
            throw TSNEPictureError.embeddingShape(shape: embedding.shape)
        }
        let (rows, columns) = (embedding.shape[0], embedding.shape[1])
        if let labels, labels.count != rows {
            throw TSNEPictureError.labelCount(labels: labels.count, samples: rows)
        }
        if let classNames {
            guard let labels else { throw TSNEPictureError.namesWithoutLabels }
            if let negative = labels.first(where: { $0 < 0 }) { throw TSNEPictureError.negativeLabel(negative) }
            let classes = (labels.max() ?? -1) + 1
            guard classNames.count >= classes else {
                throw TSNEPictureError.tooFewClassNames(names: classNames.count, classes: classes)
            }
        }
        let values = embedding.toDouble()
        x = Self.normalized((0..<rows).map { values[$0 * columns] })
        y = Self.normalized((0..<rows).map { values[$0 * columns + 1] })
        self.labels = labels
        self.classNames = classNames
    }

    /// `values` mapped linearly so that the smallest finite one is 0 and the largest 1 (MMSelfSup's
    /// `(result - min) / (max - min)`); a constant column, which MMSelfSup would turn into NaN, is placed at 0.5.
    public static func normalized(_ values: [Double]) -> [Double] {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return values }
        guard high > low else { return values.map { $0.isFinite ? 0.5 : $0 } }
        return values.map { ($0 - low) / (high - low) }
    }

    /// The figure: one axes with the dots and, with class names, the legend.
    ///
    /// - Throws: VisPlot's errors (none for a picture made by ``init(embedding:labels:classNames:)``).
    public func figure() throws -> Figure {
        let figure = try Figure(size: Self.size, dpi: Self.dpi)
        let axes = try figure.subplots()[0][0]
        let sizes = [Self.markerArea]
        guard let labels else {
            try axes.scatter(x: x, y: y, sizes: sizes, alpha: 1)
            return figure
        }
        let values = labels.map(Double.init)
        let (low, high) = (values.min() ?? 0, values.max() ?? 0)
        try axes.scatter(x: x, y: y, sizes: sizes, values: values, colormap: .tab20, vmin: low, vmax: high, alpha: 1)
        if let classNames {
            // Empty collections carry the legend entries, so the dots keep MMSelfSup's sample order.
            for label in Set(labels).sorted() {
                let color = PlotColormap.tab20.color(for: Double(label), vmin: low, vmax: high)
                try axes.scatter(x: [], y: [], sizes: sizes, color: color, alpha: 1, label: classNames[label])
            }
            try axes.legend()
        }
        return figure
    }

    /// Renders the picture and writes it to `path`: PNG, JPEG or SVG by the extension.
    ///
    /// - Throws: VisPlot's `PlotError.output` for an unsupported extension or a failed write.
    public func write(to path: String) throws {
        try figure().savefig(path)
    }
}

/// Why a ``TSNEPicture`` could not be made; each case names the input at fault and the form expected.
public enum TSNEPictureError: Error, Equatable, Sendable, LocalizedError {
    /// The embedding is not an N × C array with C ≥ 2.
    case embeddingShape(shape: [Int])
    /// The labels are not one per sample.
    case labelCount(labels: Int, samples: Int)
    /// Class names were given without labels.
    case namesWithoutLabels
    /// A label is negative, so no class name can stand for it.
    case negativeLabel(Int)
    /// Fewer class names than classes (the largest label + 1).
    case tooFewClassNames(names: Int, classes: Int)

    public var errorDescription: String? {
        switch self {
        case .embeddingShape(let shape):
            return "the embedding has shape (\(shape.map(String.init).joined(separator: ", "))); expected (N, C) "
                + "with at least 2 components"
        case let .labelCount(labels, samples):
            return "expected one label per sample (\(samples)), got \(labels)"
        case .namesWithoutLabels:
            return "class names need labels"
        case .negativeLabel(let label):
            return "label \(label) is negative; class names are indexed by labels 0, 1, 2, ..."
        case let .tooFewClassNames(names, classes):
            return "\(names) class names for \(classes) classes (labels 0...\(classes - 1)); expected one name per class"
        }
    }
}
