import Foundation
import VisCore
import VisDraw

/// A tick as drawn: its value, position along the axis in pixels, and label.
struct _Tick {
    var value: Double
    var pixel: Double
    var label: String
}

/// Maps data values of one axis to pixels.
struct _AxisTransform {
    var scale: AxisScale
    /// The view interval in scaled units (start at the left/bottom edge).
    var start: Double
    var end: Double
    /// Pixel of the left/bottom edge and the signed pixel length to the right/top edge.
    var origin: Double
    var length: Double

    func pixel(_ value: Double) -> Double {
        // Linear axes (nearly all data) take a multiply-add; only log axes take the logarithm.
        let scaled: Double
        if scale == .linear {
            scaled = value
        } else {
            scaled = _log10OrNegativeInfinity(value)
        }
        let fraction = (scaled - start) / (end - start)
        // Far-off values stay finite so that the rasterizer can clip them.
        return min(max(origin + fraction * length, -1e9), 1e9)
    }
}

extension Axes {
    /// Every finite value along one axis (x when `horizontal`), the smallest positive one, and sticky edges.
    func dataExtent(horizontal: Bool) -> (low: Double, high: Double, minPositive: Double, sticky: [Double])? {
        var low = Double.infinity
        var high = -Double.infinity
        var minPositive = Double.infinity
        var sticky: [Double] = []
        var any = false
        func include(_ value: Double) {
            low = min(low, value)
            high = max(high, value)
            if value > 0 { minPositive = min(minPositive, value) }
        }
        func includePairs(_ xs: [Double], _ ys: [Double]) {
            any = true
            let values = horizontal ? xs : ys
            let others = horizontal ? ys : xs
            // A tight loop over the (long) series: only finite pairs count.
            var (lowest, highest, smallestPositive) = (low, high, minPositive)
            values.withUnsafeBufferPointer { values in
                others.withUnsafeBufferPointer { others in
                    for index in 0..<min(values.count, others.count) {
                        let value = values[index]
                        guard value.isFinite, others[index].isFinite else { continue }
                        lowest = min(lowest, value)
                        highest = max(highest, value)
                        if value > 0 { smallestPositive = min(smallestPositive, value) }
                    }
                }
            }
            (low, high, minPositive) = (lowest, highest, smallestPositive)
        }
        for artist in artists {
            switch artist {
            case .line(let line): includePairs(line.x, line.y)
            case .scatter(let scatter): includePairs(scatter.x, scatter.y)
            case .fill(let fill):
                includePairs(fill.x, fill.lower)
                includePairs(fill.x, fill.upper)
            case .image(let image):
                any = true
                let extent = Double(horizontal ? image.width : image.height)
                include(-0.5)
                include(extent - 0.5)
                sticky += [-0.5, extent - 0.5]
            case .referenceLine(let line):
                if line.horizontal != horizontal {
                    any = true
                    include(line.value)
                }
            case .text: break
            }
        }
        guard any else { return nil }
        return (low, high, minPositive, sticky.sorted())
    }

    /// The automatic view interval of one axis: data range (finite values), widened when degenerate, plus
    /// margins in scaled units, not past sticky edges (matplotlib's `autoscale_view`).
    func autoscaled(horizontal: Bool) -> (Double, Double) {
        let state = horizontal ? xAxis : yAxis
        guard let extent = dataExtent(horizontal: horizontal) else {
            return state.scale == .log ? (1, 10) : (0, 1)
        }
        var (x0, x1) = (extent.low, extent.high)
        switch state.scale {
        case .linear:
            (x0, x1) = _nonsingular(x0, x1, expander: 0.05)
        case .log:
            (x0, x1) = _logNonsingular(x0, x1, minPositive: extent.minPositive)
        }
        var lowerBound: Double?
        var upperBound: Double?
        if !extent.sticky.isEmpty {
            let tolerance = 1e-5 * abs(x1 - x0)
            lowerBound = extent.sticky.last(where: { $0 < x0 + tolerance })
            upperBound = extent.sticky.first(where: { $0 > x1 - tolerance })
        }
        if state.scale == .log, x0 <= 0 { x0 = extent.minPositive }
        let t0 = state.scale.forward(x0)
        let t1 = state.scale.forward(x1)
        var delta = (t1 - t0) * state.margin
        if !delta.isFinite { delta = 0 }
        x0 = state.scale.inverse(t0 - delta)
        x1 = state.scale.inverse(t1 + delta)
        if let lowerBound { x0 = max(x0, lowerBound) }
        if let upperBound { x1 = min(x1, upperBound) }
        switch state.scale {
        case .linear: return _nonsingular(x0, x1)
        case .log: return _logNonsingular(x0, x1, minPositive: extent.minPositive)
        }
    }

    /// The view interval of one axis in data units, from its left/bottom end to its right/top end (images
    /// turn the y axis downwards).
    func viewInterval(horizontal: Bool) -> (Double, Double) {
        if let viewCache { return horizontal ? viewCache.x : viewCache.y }
        let state = horizontal ? xAxis : yAxis
        var interval: (Double, Double)
        if let lower = state.lowerLimit, let upper = state.upperLimit {
            interval = (lower, upper)
        } else {
            let auto = autoscaled(horizontal: horizontal)
            interval = (state.lowerLimit ?? auto.0, state.upperLimit ?? auto.1)
            if interval.0 == interval.1 {
                interval = state.scale == .log ? _logNonsingular(interval.0, interval.1, minPositive: interval.0) : _nonsingular(interval.0, interval.1, expander: 0.05)
            }
            let hasImage = artists.contains { if case .image = $0 { return true } else { return false } }
            if !horizontal, hasImage, state.lowerLimit == nil, state.upperLimit == nil { interval = (interval.1, interval.0) }
        }
        return interval
    }

    /// The data-to-pixel transforms of both axes.
    func transforms() throws -> (x: _AxisTransform, y: _AxisTransform) {
        let rect = pixelRect
        let (x0, x1) = viewInterval(horizontal: true)
        let (y0, y1) = viewInterval(horizontal: false)
        let x = _AxisTransform(
            scale: xAxis.scale, start: xAxis.scale.forward(x0), end: xAxis.scale.forward(x1), origin: rect.x,
            length: rect.width)
        let y = _AxisTransform(
            scale: yAxis.scale, start: yAxis.scale.forward(y0), end: yAxis.scale.forward(y1), origin: rect.maxY,
            length: -rect.height)
        return (x, y)
    }

    /// The locator and formatter in effect on one axis.
    func tickMachinery(horizontal: Bool) -> (any TickLocator, any TickFormatter) {
        let state = horizontal ? xAxis : yAxis
        let locator: any TickLocator = state.locator ?? (state.scale == .log ? LogLocator() : MaxNLocator.auto)
        let formatter: any TickFormatter = state.formatter ?? (state.scale == .log ? LogFormatter() : ScalarFormatter())
        return (locator, formatter)
    }

    /// The context the locator and formatter of one axis see.
    func axisContext(horizontal: Bool) throws -> AxisContext {
        let rect = pixelRect
        let lengthPoints = (horizontal ? rect.width : rect.height) / geometry.scale
        return AxisContext(
            viewInterval: viewInterval(horizontal: horizontal),
            tickSpace: AxisContext.tickSpace(lengthPoints: lengthPoints, fontSizePoints: fontSizePoints, horizontal: horizontal))
    }

    /// The major ticks inside the view with their labels, and the axis's offset text.
    public func majorTicks(horizontal: Bool) throws -> (values: [Double], labels: [String], offsetText: String) {
        let ticks = try computedTicks(horizontal: horizontal)
        return (ticks.ticks.map(\.value), ticks.ticks.map(\.label), ticks.offsetText)
    }

    func computedTicks(horizontal: Bool) throws -> (ticks: [_Tick], offsetText: String, minor: [Double]) {
        let context = try axisContext(horizontal: horizontal)
        let (locator, formatter) = tickMachinery(horizontal: horizontal)
        let (low, high) = (min(context.viewLow, context.viewHigh), max(context.viewLow, context.viewHigh))
        let values = locator.tickValues(low, high, context: context)
        let (labels, offsetText) = formatter.labels(for: values, context: context)
        let transform = horizontal ? try transforms().x : try transforms().y
        let scale = transform.scale
        let (t0, t1) = (min(transform.start, transform.end), max(transform.start, transform.end))
        let tolerance = (t1 - t0) * 1e-10
        var ticks: [_Tick] = []
        for (index, value) in values.enumerated() {
            let t = scale.forward(value)
            guard t.isFinite, t >= t0 - tolerance, t <= t1 + tolerance else { continue }
            ticks.append(_Tick(value: value, pixel: transform.pixel(value), label: index < labels.count ? labels[index] : ""))
        }
        var minor: [Double] = []
        if scale == .log, (horizontal ? xAxis : yAxis).locator == nil {
            let majors = Set(ticks.map(\.value))
            for value in LogLocator(minor: true).tickValues(low, high, context: context) where !majors.contains(value) {
                let t = scale.forward(value)
                if t >= t0 - tolerance, t <= t1 + tolerance { minor.append(transform.pixel(value)) }
            }
        }
        return (ticks, offsetText, minor)
    }
}

/// matplotlib's `LogLocator.nonsingular`.
func _logNonsingular(_ low: Double, _ high: Double, minPositive: Double) -> (Double, Double) {
    var (vmin, vmax) = (min(low, high), max(low, high))
    guard vmin.isFinite, vmax.isFinite, vmax > 0 else { return (1, 10) }
    let positive = minPositive.isFinite ? minPositive : 1e-300
    if vmin <= 0 { vmin = positive }
    if vmin == vmax {
        vmin = _decadeLess(vmin)
        vmax = _decadeGreater(vmax)
    }
    return (vmin, vmax)
}

/// The largest power of ten strictly below `x` (> 0).
func _decadeLess(_ x: Double) -> Double {
    var decade = pow(10, log10(x).rounded(.down))
    if decade >= x { decade /= 10 }
    return decade
}

/// The smallest power of ten strictly above `x` (> 0).
func _decadeGreater(_ x: Double) -> Double {
    var decade = pow(10, log10(x).rounded(.up))
    if decade <= x { decade *= 10 }
    return decade
}

extension Axes {
    /// The view limits of the x axis (`horizontal`) or y axis as drawn: the fixed limits, or the autoscaled
    /// data range with margins (matplotlib's `get_xlim`/`get_ylim`). Images turn the y limits downwards.
    public func viewLimits(horizontal: Bool) -> (Double, Double) {
        viewInterval(horizontal: horizontal)
    }
}

/// log10 for positive values, -inf otherwise; kept out of line so that linear transforms never evaluate it.
@inline(never)
func _log10OrNegativeInfinity(_ value: Double) -> Double {
    value > 0 ? log10(value) : -.infinity
}
