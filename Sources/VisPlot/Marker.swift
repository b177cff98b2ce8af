import Foundation
import VisDraw

/// Marker shapes for ``Axes/plot(x:y:color:lineWidth:lineStyle:marker:markerSize:label:alpha:)`` and
/// ``Axes/scatter(x:y:sizes:color:alpha:edgeColors:lineWidth:marker:label:)``, with matplotlib's symbols.
public enum Marker: String, Sendable, Hashable, CaseIterable {
    /// No marker.
    case none = ""
    /// `"."`: a small dot (a third of the size).
    case point = "."
    /// `"o"`.
    case circle = "o"
    /// `"s"`.
    case square = "s"
    /// `"^"`.
    case triangleUp = "^"
    /// `"v"`.
    case triangleDown = "v"
    /// `"D"`.
    case diamond = "D"
    /// `"+"` (drawn with edges only).
    case plus = "+"
    /// `"x"` (drawn with edges only).
    case cross = "x"

    /// Parses a matplotlib marker symbol (`"o"`, `"s"`, `"^"`, `"v"`, `"D"`, `"+"`, `"x"`, `"."`, `""`/`"None"`).
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` naming `marker` otherwise.
    public init(parsing symbol: String) throws {
        if symbol.lowercased() == "none" {
            self = .none
            return
        }
        guard let marker = Marker(rawValue: symbol) else {
            throw PlotError.invalidArgument(
                argument: "marker", expected: "one of o s ^ v D + x . or none", actual: "\"\(symbol)\"")
        }
        self = marker
    }

    /// Whether the shape has an inside to fill.
    var isFilled: Bool { self != .plus && self != .cross && self != .none }

    /// The outline, centred on (0, 0), for a marker `size` pixels across (matplotlib's marker size: the
    /// circle's diameter, the square's side).
    func path(size: Double) -> Path {
        let r = size / 2
        switch self {
        case .none: return Path()
        case .point: return (try? Path.circle(center: Point(0, 0), radius: r / 2)) ?? Path()
        case .circle: return (try? Path.circle(center: Point(0, 0), radius: r)) ?? Path()
        case .square: return Path.rect(x: -r, y: -r, width: size, height: size)
        case .triangleUp: return Path.polygon([Point(0, -r), Point(-r, r), Point(r, r)])
        case .triangleDown: return Path.polygon([Point(0, r), Point(-r, -r), Point(r, -r)])
        case .diamond:
            // A square of side `size` turned 45°.
            let d = r * 2.0.squareRoot()
            return Path.polygon([Point(0, -d), Point(d, 0), Point(0, d), Point(-d, 0)])
        case .plus:
            var path = Path.line(from: Point(-r, 0), to: Point(r, 0))
            path.addPath(Path.line(from: Point(0, -r), to: Point(0, r)))
            return path
        case .cross:
            var path = Path.line(from: Point(-r, -r), to: Point(r, r))
            path.addPath(Path.line(from: Point(-r, r), to: Point(r, -r)))
            return path
        }
    }
}

/// Scales of an axis.
public enum AxisScale: String, Sendable, Hashable, CaseIterable {
    /// Linear.
    case linear
    /// Base-10 logarithmic; values <= 0 are left out.
    case log

    func forward(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .log: return value > 0 ? log10(value) : -.infinity
        }
    }

    func inverse(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .log: return pow(10, value)
        }
    }
}

