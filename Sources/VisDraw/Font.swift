/// A font at a size: a ``FontSet`` (the primary face and its fallbacks) and a size in points.
///
/// Sizes are in points at 100 dpi, as in MMEngine (whose matplotlib figure uses 100 dpi): one point is 100/72
/// pixels, so 10 pt text has an em of 13.89 px.
public struct Font: Sendable {
    /// The faces characters come from.
    public let fontSet: FontSet
    /// The size in points.
    public let sizePoints: Double

    /// Pixels per point: the resolution MMEngine's figures use (100 dpi) over 72 points per inch.
    public static let pixelsPerPoint = 100.0 / 72.0
    /// The largest accepted size: 1000 pt (1389 px per em) keeps each glyph bitmap to a few megabytes.
    public static let maximumSizePoints = 1000.0

    /// A font for `spec` at `sizePoints`.
    ///
    /// - Throws: ``VisDrawError/invalidArgument(argument:expected:actual:)`` unless `sizePoints` is finite, positive
    ///   and at most ``maximumSizePoints``; the errors of ``FontSet/resolve(_:)``.
    public init(_ spec: FontSpec = .sansSerif, sizePoints: Double) throws {
        try self.init(fontSet: try FontSet.resolve(spec), sizePoints: sizePoints)
    }

    /// A font from an already resolved set.
    public init(fontSet: FontSet, sizePoints: Double) throws {
        guard sizePoints.isFinite, sizePoints > 0, sizePoints <= Font.maximumSizePoints else {
            throw VisDrawError.invalidArgument(
                argument: "sizePoints",
                expected: "a finite size in points in (0, \(Font.maximumSizePoints)]",
                actual: "\(sizePoints)")
        }
        self.fontSet = fontSet
        self.sizePoints = sizePoints
    }

    /// The primary face.
    public var face: FontFace { fontSet.primaryFace }

    /// The em size in pixels.
    public var pixelsPerEm: Double { sizePoints * Font.pixelsPerPoint }

    /// The size handed to FreeType and used in cache keys: 1/64 points (26.6 fixed point), at least 1.
    var sizeKey: Int { max(Int((sizePoints * 64).rounded()), 1) }

    /// Pixels per font unit of `face` at this size (unhinted).
    func scale(of face: FontFace) -> Double {
        Double(sizeKey) / 64 * Font.pixelsPerPoint / Double(face.unitsPerEm)
    }

    /// The primary face's line ascent in pixels (see ``FontFace/lineAscentUnits``).
    public var lineAscent: Double { Double(face.lineAscentUnits) * scale(of: face) }
    /// The primary face's line descent in pixels, positive below the baseline.
    public var lineDescent: Double { Double(face.lineDescentUnits) * scale(of: face) }
    /// The primary face's line gap in pixels.
    public var lineGap: Double { Double(face.lineGapUnits) * scale(of: face) }
}
