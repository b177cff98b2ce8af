/// Which points are inside a path whose subpaths overlap or self-intersect.
public enum FillRule: String, Sendable, Hashable, CaseIterable {
    /// Inside where the winding number is not zero: overlapping subpaths of the same direction stay filled
    /// (the centre of a five-pointed star drawn in one stroke is filled).
    case nonZero
    /// Inside where the winding number is odd: overlaps alternate (the star's centre pentagon is empty).
    case evenOdd
}
