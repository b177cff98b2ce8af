/// How two stroked segments meet at a corner.
public enum LineJoin: String, Sendable, Hashable, CaseIterable {
    /// Outer edges extended to a point, or bevelled when the point would exceed ``StrokeStyle/miterLimit``.
    case miter
    /// A circular arc around the corner (matplotlib's default for collections, hence MMEngine's).
    case round
    /// The outer corners connected by a straight edge.
    case bevel
}

/// How an open stroke ends.
public enum LineCap: String, Sendable, Hashable, CaseIterable {
    /// Flat, exactly at the end point (MMEngine's and dashes' default).
    case butt
    /// A half disc around the end point.
    case round
    /// Flat, extended by half the line width.
    case square
}

/// A dash pattern: alternating on and off lengths in pixels, starting `offset` pixels into the pattern.
public struct DashPattern: Sendable, Hashable {
    /// On, off, on, off … lengths in pixels. An odd count repeats once (as in SVG), so `[4]` is 4 on, 4 off.
    public let intervals: [Double]
    /// How far into the pattern the stroke starts, in pixels (may be negative or exceed the period).
    public let offset: Double

    /// Creates a pattern.
    ///
    /// - Throws: ``VisDrawError/invalidArgument(argument:expected:actual:)`` naming `dash` when the intervals
    ///   are empty, negative, not finite or all zero, or `dashOffset` when the offset is not finite.
    public init(intervals: [Double], offset: Double = 0) throws {
        let expected = "one or more finite lengths >= 0 with a positive sum"
        guard !intervals.isEmpty, intervals.allSatisfy({ $0.isFinite && $0 >= 0 }),
            intervals.reduce(0, +) > 0, intervals.reduce(0, +).isFinite
        else {
            throw VisDrawError.invalidArgument(argument: "dash", expected: expected, actual: "\(intervals)")
        }
        guard offset.isFinite else {
            throw VisDrawError.invalidArgument(argument: "dashOffset", expected: "a finite number", actual: "\(offset)")
        }
        self.intervals = intervals.count % 2 == 1 ? intervals + intervals : intervals
        self.offset = offset
    }

    /// The length of one repetition, in pixels.
    public var period: Double { intervals.reduce(0, +) }

    /// The fraction of the period that is on.
    var onFraction: Double {
        stride(from: 0, to: intervals.count, by: 2).reduce(0) { $0 + intervals[$1] } / period
    }
}

/// Everything about a stroke except its colour: width, joins, caps and dashes.
public struct StrokeStyle: Sendable, Hashable {
    /// The stroke width in pixels. Widths under 1 px draw a 1 px stroke with its opacity scaled by the width
    /// (a 0.25 px hairline is a quarter-strength 1 px line), so thin lines stay visible and keep their weight.
    public var lineWidth: Double
    /// Corner shape (default `.round`, as MMEngine's shapes get from matplotlib).
    public var join: LineJoin
    /// End shape of open subpaths and dashes (default `.butt`).
    public var cap: LineCap
    /// The longest miter, as a multiple of the line width, before a miter join is bevelled (default 4, as in
    /// Agg and SVG). A square corner needs √2.
    public var miterLimit: Double
    /// The dash pattern, or nil for a solid stroke.
    public var dash: DashPattern?

    /// Creates a style.
    public init(
        lineWidth: Double, join: LineJoin = .round, cap: LineCap = .butt, miterLimit: Double = 4,
        dash: DashPattern? = nil
    ) {
        self.lineWidth = lineWidth
        self.join = join
        self.cap = cap
        self.miterLimit = miterLimit
        self.dash = dash
    }

    /// A style with MMEngine's line style: the dash lengths scale with `lineWidth`, and dashed strokes use butt
    /// caps as matplotlib's do.
    public init(lineWidth: Double, lineStyle: LineStyle, join: LineJoin = .round, cap: LineCap = .butt) {
        self.init(
            lineWidth: lineWidth, join: join, cap: lineStyle == .solid ? cap : .butt,
            dash: lineStyle.dashPattern(lineWidth: lineWidth))
    }

    /// Throws unless the width and miter limit are usable.
    func validate() throws {
        guard lineWidth.isFinite, lineWidth > 0 else {
            throw VisDrawError.invalidArgument(
                argument: "lineWidth", expected: "a finite width > 0 pixels", actual: "\(lineWidth)")
        }
        guard miterLimit.isFinite, miterLimit >= 1 else {
            throw VisDrawError.invalidArgument(
                argument: "miterLimit", expected: "a finite number >= 1", actual: "\(miterLimit)")
        }
    }

    /// How far outside the path the stroke can reach (joins, caps), in pixels.
    var reach: Double {
        let half = max(lineWidth, 1) / 2
        return half * max(join == .miter ? miterLimit : 1, cap == .square ? 2.0.squareRoot() : 1)
    }
}
