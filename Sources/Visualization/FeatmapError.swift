import Foundation

/// Errors of ``Visualizer/drawFeatmap(_:overlaidImage:channelReduction:topk:arrangement:resizeShape:alpha:colormap:warningHandler:)``:
/// one case per input MMEngine's `draw_featmap` rejects, plus the inputs it would mis-draw. Each names the
/// argument at fault and what is expected.
public enum FeatmapError: Error, Sendable, Equatable {
    /// `featmap` is not 3-D (C, H, W). MMEngine: "Input dimension must be 3, but got N".
    case invalidRank(shape: [Int])
    /// A channel reduction other than `squeeze_mean`, `select_max` or none. MMEngine: "Mode only support
    /// "squeeze_mean", "select_max", but got xx".
    case unsupportedReduction(String)
    /// With no reduction and `topk > 0`: `rows·columns` is less than the requested `topk`.
    case arrangementTooSmall(rows: Int, columns: Int, topk: Int)
    /// With no reduction and `topk <= 0` the map is drawn as one image, so it needs 1 or 3 channels.
    case channelCountNotOneOrThree(channels: Int)
    /// The overlaid image has an alpha channel (MMEngine fails inside OpenCV); pass an RGB or gray image.
    case unsupportedOverlaidImage(layout: PixelLayout)
    /// `featmap` holds NaN or infinity (at flat index `index`), or its values overflow while averaged or
    /// resized; min-max normalisation of such a map is meaningless (MMEngine draws garbage).
    case nonFiniteValues(argument: String, index: Int?)
    /// Any other argument with the wrong value or form (an empty map, a non-positive size, a `bool` map, a
    /// non-finite alpha, an output too large).
    case invalidArgument(argument: String, expected: String, actual: String)
}

extension FeatmapError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .invalidRank(shape):
            return "invalid argument `featmap`: expected 3 dimensions (C, H, W), got \(shape.count) (shape \(shape))"
        case let .unsupportedReduction(name):
            return "invalid argument `channelReduction`: expected \"squeeze_mean\", \"select_max\" or none, "
                + "got \"\(name)\""
        case let .arrangementTooSmall(rows, columns, topk):
            return "invalid argument `arrangement`: rows × columns (\(rows) × \(columns) = \(rows * columns)) is "
                + "less than topk \(topk); set the arrangement so that it holds topk cells"
        case let .channelCountNotOneOrThree(channels):
            return "invalid argument `featmap`: with no channel reduction and topk <= 0 the channel dimension must "
                + "be 1 or 3, got \(channels); use a channel reduction or set topk greater than 0"
        case let .unsupportedOverlaidImage(layout):
            return "invalid argument `overlaidImage`: expected an RGB or gray image, got \(layout)"
        case let .nonFiniteValues(argument, index):
            let place = index.map { " (first at flat index \($0))" } ?? " (after averaging or resizing)"
            return "invalid argument `\(argument)`: expected finite values, got NaN or infinity\(place)"
        case let .invalidArgument(argument, expected, actual):
            return "invalid argument `\(argument)`: expected \(expected), got \(actual)"
        }
    }
}

/// `localizedDescription` is the ``description``, not Foundation's generic "The operation could not be completed".
extension FeatmapError: LocalizedError {
    public var errorDescription: String? { description }
}
