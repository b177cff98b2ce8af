import VisCore

/// How ``Axes/scatter(x:y:sizes:values:colormap:vmin:vmax:alpha:edgeColors:lineWidth:marker:label:)`` turns
/// values into colours: a continuous table (VisCore's ``VisCore/Colormap``) or a qualitative palette
/// (``VisCore/ColorPalette``) whose N colours split the normalised range into N equal bins, as matplotlib's
/// `ListedColormap` does.
public enum PlotColormap: Sendable, Hashable {
    /// 256 levels; a normalised value v takes entry `min(Int(v·256), 255)`.
    case continuous(Colormap)
    /// N colours; a normalised value v takes colour `min(Int(v·N), N−1)`.
    case qualitative(ColorPalette)

    /// matplotlib's `viridis` (the default).
    public static let viridis = PlotColormap.continuous(.viridis)
    /// matplotlib's `magma`.
    public static let magma = PlotColormap.continuous(.magma)
    /// matplotlib's `gray`.
    public static let gray = PlotColormap.continuous(.gray)
    /// VisCore's `jet` (OpenCV's table, which MMEngine's heatmaps use).
    public static let jet = PlotColormap.continuous(.jet)
    /// matplotlib's `tab10`.
    public static let tab10 = PlotColormap.qualitative(.tab10)
    /// matplotlib's `tab20` (what MMSelfSup's t-SNE pictures use).
    public static let tab20 = PlotColormap.qualitative(.tab20)

    /// The map called `name`: `viridis`, `magma`, `gray`, `jet`, `tab10` or `tab20` (case-insensitive).
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` naming `colormap` otherwise.
    public init(named name: String) throws {
        switch name.lowercased() {
        case "viridis": self = .viridis
        case "magma": self = .magma
        case "gray", "grey": self = .gray
        case "jet": self = .jet
        case "tab10": self = .tab10
        case "tab20": self = .tab20
        default:
            throw PlotError.invalidArgument(
                argument: "colormap", expected: "one of viridis, magma, gray, jet, tab10, tab20", actual: "\"\(name)\"")
        }
    }

    /// The colour of `value` normalised by `vmin...vmax` (values outside clamp to the ends; NaN is transparent).
    public func color(for value: Double, vmin: Double, vmax: Double) -> Color {
        guard !value.isNaN else { return .none }
        var normalized = vmax > vmin ? (value - vmin) / (vmax - vmin) : 0
        normalized = min(max(normalized, 0), 1)
        switch self {
        case .continuous(let map):
            return map.color(at: UInt8(min(Int(normalized * 256), 255)))
        case .qualitative(let palette):
            return palette[min(Int(normalized * Double(palette.count)), palette.count - 1)]
        }
    }
}
