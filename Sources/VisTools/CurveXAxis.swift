/// What a curve's x axis shows.
public enum CurveXAxis: String, Sendable, Hashable, CaseIterable {
    /// The logged step.
    case step
    /// The epoch, counted from 1 as MMEngine does. The points that share epoch `e` are spread evenly over
    /// (e − 1, e], the last at `e` itself, so a train curve logged many times per epoch and a validation curve
    /// logged once after each epoch line up.
    case epoch
    /// Wall time since the run's first logged point, in seconds, minutes or hours (see ``WallTimeUnit``).
    case wall
}

/// The unit of a wall-time axis, picked from the longest span shown.
public enum WallTimeUnit: String, Sendable, Hashable {
    /// Seconds (spans up to 2 minutes).
    case seconds = "s"
    /// Minutes (spans up to 2 hours).
    case minutes = "min"
    /// Hours.
    case hours = "h"

    /// Seconds per unit.
    public var seconds: Double {
        switch self {
        case .seconds: return 1
        case .minutes: return 60
        case .hours: return 3600
        }
    }

    /// The unit for a longest span of `seconds`.
    public init(span seconds: Double) {
        self = seconds > 7200 ? .hours : seconds > 120 ? .minutes : .seconds
    }
}

/// A series ready to draw: x and y values of equal length.
public struct CurveLine: Sendable, Hashable {
    /// The legend label.
    public var label: String
    /// The run the points come from.
    public var run: String
    /// The key the points come from.
    public var key: String
    /// The x values.
    public var x: [Double]
    /// The y values as logged (NaN and infinities included; a plot draws them as gaps).
    public var y: [Double]

    /// Creates a line.
    public init(label: String, run: String, key: String, x: [Double], y: [Double]) {
        self.label = label
        self.run = run
        self.key = key
        self.x = x
        self.y = y
    }
}

extension CurveRun {
    /// The earliest wall time of any point, the origin of ``CurveXAxis/wall``.
    public var startWallTime: Double? {
        series.values.lazy.flatMap { $0 }.compactMap(\.wallTime).filter(\.isFinite).min()
    }

    /// The x (in seconds for ``CurveXAxis/wall``) and y values of `key` along `axis`. Points without an epoch
    /// (logged before the first `epoch`) or without a wall time are left out of those axes.
    ///
    /// - Throws: ``CurvesError/missingKey(run:key:available:)``, or
    ///   ``CurvesError/invalidArgument(argument:expected:actual:)`` (naming `axis`) when no point of `key` has an
    ///   epoch or a wall time.
    public func line(of key: String, axis: CurveXAxis, label: String) throws(CurvesError) -> CurveLine {
        let points = try points(of: key)
        var x: [Double] = []
        var y: [Double] = []
        x.reserveCapacity(points.count)
        y.reserveCapacity(points.count)
        switch axis {
        case .step:
            for point in points {
                x.append(Double(point.step))
                y.append(point.value)
            }
        case .wall:
            let start = startWallTime ?? 0
            for point in points {
                guard let time = point.wallTime, time.isFinite else { continue }
                x.append(time - start)
                y.append(point.value)
            }
            guard !x.isEmpty else {
                throw .invalidArgument(
                    argument: "axis", expected: "a run that records wall times (TensorBoard, W&B) for wall-time x",
                    actual: "\(kind.displayName) \(name) without wall times for \(key)")
            }
        case .epoch:
            var index = 0
            while index < points.count {
                guard let epoch = points[index].epoch else {
                    index += 1
                    continue
                }
                var end = index + 1
                while end < points.count, points[end].epoch == epoch { end += 1 }
                let count = Double(end - index)
                for (offset, point) in points[index..<end].enumerated() {
                    x.append(epoch - 1 + Double(offset + 1) / count)
                    y.append(point.value)
                }
                index = end
            }
            guard !x.isEmpty else {
                throw .invalidArgument(
                    argument: "axis", expected: "a run that logs an `epoch` scalar for epoch x",
                    actual: "\(kind.displayName) \(name) without epochs for \(key)")
            }
        }
        return CurveLine(label: label, run: name, key: key, x: x, y: y)
    }
}
