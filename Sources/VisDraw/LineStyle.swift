/// MMEngine's line styles (matplotlib's named dash patterns). Dash lengths are multiples of the line width.
public enum LineStyle: String, Sendable, Hashable, CaseIterable {
    /// `'-'`: a continuous line.
    case solid
    /// `'--'`: on 3.7, off 1.6.
    case dashed
    /// `'-.'`: on 6.4, off 1.6, on 1.0, off 1.6.
    case dashDot
    /// `':'`: on 1.0, off 1.65.
    case dotted

    /// Parses MMEngine's symbols `"-"`, `"--"`, `"-."`, `":"` and the names `"solid"`, `"dashed"`,
    /// `"dashdot"`, `"dotted"` (case-insensitive).
    ///
    /// - Throws: ``VisDrawError/invalidArgument(argument:expected:actual:)`` naming `lineStyle` otherwise.
    public init(parsing text: String) throws {
        switch text.lowercased() {
        case "-", "solid": self = .solid
        case "--", "dashed": self = .dashed
        case "-.", "dashdot": self = .dashDot
        case ":", "dotted": self = .dotted
        default:
            throw VisDrawError.invalidArgument(
                argument: "lineStyle",
                expected: "one of \"-\", \"--\", \"-.\", \":\", \"solid\", \"dashed\", \"dashdot\", \"dotted\"",
                actual: "\"\(text)\"")
        }
    }

    /// The MMEngine / matplotlib symbol (`"-"`, `"--"`, `"-."`, `":"`).
    public var symbol: String {
        switch self {
        case .solid: return "-"
        case .dashed: return "--"
        case .dashDot: return "-."
        case .dotted: return ":"
        }
    }

    /// The on/off lengths in multiples of the line width (empty for solid).
    public var intervalsInLineWidths: [Double] {
        switch self {
        case .solid: return []
        case .dashed: return [3.7, 1.6]
        case .dashDot: return [6.4, 1.6, 1.0, 1.6]
        case .dotted: return [1.0, 1.65]
        }
    }

    /// The dash pattern for a stroke `lineWidth` pixels wide, or nil for solid (or a width that is not a
    /// finite positive number, which the stroke itself then rejects).
    public func dashPattern(lineWidth: Double) -> DashPattern? {
        guard self != .solid else { return nil }
        return try? DashPattern(intervals: intervalsInLineWidths.map { $0 * lineWidth })
    }
}
