import Foundation

/// What a locator or formatter knows about the axis it serves.
public struct AxisContext: Sendable, Hashable {
    /// The view interval (lower, upper) in data units.
    public var viewInterval: (Double, Double) {
        get { (viewLow, viewHigh) }
        set { (viewLow, viewHigh) = newValue }
    }
    var viewLow: Double
    var viewHigh: Double
    /// How many ticks fit along the axis: its length in points over three tick-label font sizes (x) or two
    /// (y), as matplotlib estimates it.
    public var tickSpace: Int

    /// Creates a context.
    public init(viewInterval: (Double, Double), tickSpace: Int) {
        self.viewLow = viewInterval.0
        self.viewHigh = viewInterval.1
        self.tickSpace = tickSpace
    }

    /// The tick space of an axis `lengthPoints` long with tick labels of `fontSizePoints`, horizontal or not.
    public static func tickSpace(lengthPoints: Double, fontSizePoints: Double, horizontal: Bool) -> Int {
        let size = fontSizePoints * (horizontal ? 3 : 2)
        guard size > 0, lengthPoints.isFinite else { return Int(Int32.max) }
        return max(Int((lengthPoints / size).rounded(.down)), 0)
    }
}

/// Chooses where the ticks of an axis go.
public protocol TickLocator: Sendable {
    /// Tick locations for the view interval `vmin...vmax`; they may extend past it (the axis draws only those
    /// inside).
    func tickValues(_ vmin: Double, _ vmax: Double, context: AxisContext) -> [Double]
}

/// Turns tick locations into labels.
public protocol TickFormatter: Sendable {
    /// The labels of `locations` (all the locator's ticks, in order) on an axis with `context`, and the offset
    /// text shown at the end of the axis (empty when there is none).
    func labels(for locations: [Double], context: AxisContext) -> (labels: [String], offsetText: String)
}

/// Python's float `divmod`: the floor quotient and a remainder with the divisor's sign.
func _pyDivmod(_ x: Double, _ y: Double) -> (Double, Double) {
    var mod = fmod(x, y)
    var div = (x - mod) / y
    if mod != 0 {
        if (y < 0) != (mod < 0) {
            mod += y
            div -= 1
        }
    } else {
        mod = copysign(0, y)
    }
    var floorDiv: Double
    if div != 0 {
        floorDiv = div.rounded(.down)
        if div - floorDiv > 0.5 { floorDiv += 1 }
    } else {
        floorDiv = copysign(0, x / y)
    }
    return (floorDiv, mod)
}

/// Python's float floor division `x // y`.
func _pyFloorDiv(_ x: Double, _ y: Double) -> Double { _pyDivmod(x, y).0 }

/// Widens a degenerate or non-finite interval (matplotlib's `transforms.nonsingular`).
func _nonsingular(_ low: Double, _ high: Double, expander: Double = 0.001, tiny: Double = 1e-15) -> (Double, Double) {
    guard low.isFinite, high.isFinite else { return (-expander, expander) }
    var (vmin, vmax) = (low, high)
    let swapped = vmax < vmin
    if swapped { swap(&vmin, &vmax) }
    let maxAbs = max(abs(vmin), abs(vmax))
    if maxAbs < (1e6 / tiny) * Double.leastNormalMagnitude {
        vmin = -expander
        vmax = expander
    } else if vmax - vmin <= maxAbs * tiny {
        if vmax == 0 && vmin == 0 {
            vmin = -expander
            vmax = expander
        } else {
            vmin -= expander * abs(vmin)
            vmax += expander * abs(vmax)
        }
    }
    if swapped { swap(&vmin, &vmax) }
    return (vmin, vmax)
}

/// "Nice" ticks: at most `nbins` intervals whose step is 1, 2, 2.5, 5 or 10 times a power of ten, with at least
/// two ticks inside the view (matplotlib's `MaxNLocator`; ``AutoLocator`` is its default configuration).
public struct MaxNLocator: TickLocator, Hashable {
    /// The largest number of intervals, or nil for "as many as fit" (the axis's tick space, clipped to 1...9).
    public var nbins: Int?
    /// The acceptable steps within a decade, ascending, from 1 to 10.
    public let steps: [Double]
    /// The fewest ticks inside the view.
    public var minTicks: Int

    /// Creates a locator.
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` naming `steps` unless they are
    ///   increasing numbers in 1...10, or `nbins` unless it is positive.
    public init(nbins: Int? = nil, steps: [Double] = [1, 2, 2.5, 5, 10], minTicks: Int = 2) throws {
        guard !steps.isEmpty, steps.allSatisfy({ $0 >= 1 && $0 <= 10 }), zip(steps, steps.dropFirst()).allSatisfy({ $0 < $1 })
        else {
            throw PlotError.invalidArgument(
                argument: "steps", expected: "increasing numbers in 1...10", actual: "\(steps)")
        }
        if let nbins, nbins < 1 {
            throw PlotError.invalidArgument(argument: "nbins", expected: "a count >= 1", actual: "\(nbins)")
        }
        self.nbins = nbins
        self.steps = steps.first == 1 ? steps : [1] + steps
        self.minTicks = max(1, minTicks)
    }

    private init(_auto: Void) {
        nbins = nil
        steps = [1, 2, 2.5, 5, 10]
        minTicks = 2
    }

    /// matplotlib's `AutoLocator`: automatic bin count, steps 1, 2, 2.5, 5, 10.
    public static let auto = MaxNLocator(_auto: ())

    /// The steps of one decade below, the decade, and the next step above (matplotlib's staircase).
    private var extendedSteps: [Double] {
        var result = steps.dropLast().map { $0 * 0.1 }
        result += steps
        result.append(10 * steps[1 < steps.count ? 1 : 0])
        return result
    }

    public func tickValues(_ vmin: Double, _ vmax: Double, context: AxisContext) -> [Double] {
        let (low, high) = _nonsingular(vmin, vmax, expander: 1e-13, tiny: 1e-14)
        return rawTicks(low, high, context: context)
    }

    private func rawTicks(_ vmin: Double, _ vmax: Double, context: AxisContext) -> [Double] {
        let bins = nbins ?? min(max(context.tickSpace, max(1, minTicks - 1)), 9)
        let (scale, offset) = _scaleRange(vmin, vmax, n: Double(bins))
        let low = vmin - offset
        let high = vmax - offset
        let candidates = extendedSteps.map { $0 * scale }
        let rawStep = (high - low) / Double(bins)
        let largeIndex = candidates.firstIndex(where: { $0 >= rawStep }) ?? candidates.count - 1
        var ticks: [Double] = []
        for step in candidates[...largeIndex].reversed() {
            let bestMin = _pyFloorDiv(low, step) * step
            let edge = _EdgeInteger(step: step, offset: offset)
            let first = edge.le(low - bestMin)
            let last = edge.ge(high - bestMin)
            ticks = []
            var n = first
            while n < last + 1 && ticks.count < 10_000 {
                ticks.append(n * step + bestMin)
                n += 1
            }
            let inside = ticks.count(where: { $0 <= high && $0 >= low })
            if inside >= minTicks { break }
        }
        return ticks.map { $0 + offset }
    }
}

/// matplotlib's `scale_range`: the power of ten of a bin and an offset for ranges far from zero.
func _scaleRange(_ vmin: Double, _ vmax: Double, n: Double, threshold: Double = 100) -> (scale: Double, offset: Double) {
    let dv = abs(vmax - vmin)
    let mean = (vmax + vmin) / 2
    let offset = abs(mean) / dv < threshold ? 0 : copysign(pow(10, _pyFloorDiv(log10(abs(mean)), 1)), mean)
    let scale = pow(10, _pyFloorDiv(log10(dv / n), 1))
    return (scale, offset)
}

/// Integer multiples of a step with a tolerance that grows with the offset (floating-point slop).
struct _EdgeInteger {
    var step: Double
    var offset: Double

    init(step: Double, offset: Double) {
        self.step = step
        self.offset = abs(offset)
    }

    func closeTo(_ ms: Double, _ edge: Double) -> Bool {
        var tolerance = 1e-10
        if offset > 0 {
            let digits = log10(offset / step)
            tolerance = min(0.4999, max(1e-10, pow(10, digits - 12)))
        }
        return abs(ms - edge) < tolerance
    }

    /// The largest n with n·step <= x.
    func le(_ x: Double) -> Double {
        let (d, m) = _pyDivmod(x, step)
        return closeTo(m / step, 1) ? d + 1 : d
    }

    /// The smallest n with n·step >= x.
    func ge(_ x: Double) -> Double {
        let (d, m) = _pyDivmod(x, step)
        return closeTo(m / step, 0) ? d : d + 1
    }
}

/// Ticks at powers of a base (matplotlib's `LogLocator` with `subs=(1.0,)`), or, as a minor locator, at
/// 2…9 times each power.
public struct LogLocator: TickLocator, Hashable {
    /// The logarithm base.
    public var base: Double
    /// Whether this places the in-between (minor) ticks.
    public var minor: Bool

    /// Creates a locator.
    public init(base: Double = 10, minor: Bool = false) {
        self.base = base > 1 && base.isFinite ? base : 10
        self.minor = minor
    }

    private func logB(_ x: Double) -> Double {
        base == 10 ? log10(x) : base == 2 ? log2(x) : log(x) / log(base)
    }

    public func tickValues(_ vmin: Double, _ vmax: Double, context: AxisContext) -> [Double] {
        var request = min(max(context.tickSpace, 2), 9)
        var (low, high) = (vmin, vmax)
        guard low > 0, high > 0, low.isFinite, high.isFinite else { return [] }
        if high < low { swap(&low, &high) }
        let efmin = logB(low)
        let efmax = logB(high)
        let emin = Int(efmin.rounded(.up))
        let emax = Int(efmax.rounded(.down))
        let available = emax - emin + 1
        var subs: [Double] = [1]
        if minor {
            if available >= 10 || base < 3 { return [] }
            subs = Array(stride(from: 2.0, to: base, by: 1))
        }
        var stride = available / (request + 1) + 1
        let actual = Int((Double(available) / Double(stride)).rounded(.up))
        if actual <= request { request = actual }
        var decades: [Int]
        if request == 0 {
            decades = [emin - 1, emax + 1]
            stride = decades[1] - decades[0]
        } else if request == 1 {
            let mid = Int(((efmin + efmax) / 2).rounded(.toNearestOrEven))
            stride = max(mid - (emin - 1), (emax + 1) - mid)
            decades = [mid - stride, mid, mid + stride]
        } else {
            stride = (available - 1) / (request - 1)
            if Double(stride) < Double(available) / Double(request) { stride = available / request }
            let olo = max(available - stride * request, 0)
            let ohi = min(available - stride * (request - 1), stride)
            var offset = ((-emin) % stride + stride) % stride
            if !(olo <= offset && offset < ohi) { offset = olo }
            decades = Array(Swift.stride(from: emin + offset - stride, to: emax + stride + 1, by: stride))
        }
        if minor {
            guard stride == 1 || available <= 1 else { return [] }
            var ticks: [Double] = []
            for decade in (emin - 1)...max(emin - 1, emax) {
                for sub in subs { ticks.append(sub * pow(base, Double(decade))) }
            }
            let majorCount = decades.count - 2
            if majorCount + ticks.count(where: { $0 >= low && $0 <= high }) <= 1 {
                return MaxNLocator.auto.tickValues(low, high, context: context)
            }
            return ticks
        }
        return decades.map { pow(base, Double($0)) }
    }
}

/// Labels with a common offset and power of ten factored out when they need too many digits (matplotlib's
/// `ScalarFormatter`): ticks 1000000, 1000002, … read `0 2 4 …` with `+1e6` at the axis end.
public struct ScalarFormatter: TickFormatter, Hashable {
    /// Whether an additive offset may be factored out.
    public var useOffset: Bool = true
    /// The least number of significant digits an offset must save to be used.
    public var offsetThreshold: Int = 4
    /// Scientific notation is used when the largest tick's power of ten is <= the first or >= the second.
    public var powerLimits: (Int, Int) {
        get { (powerLow, powerHigh) }
        set { (powerLow, powerHigh) = newValue }
    }
    var powerLow = -5
    var powerHigh = 6
    /// Whether the minus sign is U+2212 (as matplotlib draws it) rather than a hyphen.
    public var unicodeMinus: Bool = true
    /// Whether the factor reads `×10⁶` instead of matplotlib's default `1e6`.
    public var useMathText: Bool = false

    /// Creates a formatter with matplotlib's defaults.
    public init() {}

    /// The offset, power of ten and decimal count for `locations` on an axis with `context`.
    func parameters(for locations: [Double], context: AxisContext) -> (offset: Double, order: Int, decimals: Int) {
        let (vmin, vmax) = (min(context.viewLow, context.viewHigh), max(context.viewLow, context.viewHigh))
        let visible = locations.filter { vmin <= $0 && $0 <= vmax }
        var offset = 0.0
        if useOffset, let lmin = visible.min(), let lmax = visible.max(), lmin != lmax, !(lmin <= 0 && 0 <= lmax) {
            let absMin = min(abs(lmin), abs(lmax))
            let absMax = max(abs(lmin), abs(lmax))
            let sign: Double = lmin < 0 ? -1 : 1
            let oomMax = log10(absMax).rounded(.up)
            var oom = oomMax
            while oom > -400, _pyFloorDiv(absMin, pow(10, oom)) == _pyFloorDiv(absMax, pow(10, oom)) { oom -= 1 }
            oom += 1
            if (absMax - absMin) / pow(10, oom) <= 1e-2 {
                oom = oomMax
                while oom > -400, !(_pyFloorDiv(absMax, pow(10, oom)) - _pyFloorDiv(absMin, pow(10, oom)) > 1) {
                    oom -= 1
                }
                oom += 1
            }
            let n = Double(offsetThreshold - 1)
            offset = _pyFloorDiv(absMax, pow(10, oom)) >= pow(10, n) ? sign * _pyFloorDiv(absMax, pow(10, oom)) * pow(10, oom) : 0
        }
        var order = 0
        if powerLow == powerHigh, powerLow != 0 {
            order = powerLow
        } else if !visible.isEmpty {
            let oom: Int
            if offset != 0 {
                oom = Int(log10(vmax - vmin).rounded(.down))
            } else {
                let largest = visible.map(abs).max() ?? 0
                oom = largest == 0 ? 0 : Int(log10(largest).rounded(.down))
            }
            order = oom <= powerLow || oom >= powerHigh ? oom : 0
        }
        // Decimals: as few as keep every label distinct at a thousandth of the tick range.
        var scaled = (locations.count < 2 ? locations + [context.viewLow, context.viewHigh] : locations)
            .map { ($0 - offset) / pow(10, Double(order)) }
        var range = (scaled.max() ?? 0) - (scaled.min() ?? 0)
        if range == 0 { range = scaled.map(abs).max() ?? 0 }
        if range == 0 { range = 1 }
        if locations.count < 2 { scaled.removeLast(2) }
        let rangeOOM = Int(log10(range).rounded(.down))
        var sigfigs = max(0, 3 - rangeOOM)
        let threshold = 1e-3 * pow(10, Double(rangeOOM))
        while sigfigs >= 0 {
            let scale = pow(10, Double(sigfigs))
            let worst = scaled.map { abs($0 - ($0 * scale).rounded(.toNearestOrEven) / scale) }.max() ?? 0
            if worst < threshold { sigfigs -= 1 } else { break }
        }
        return (offset, order, sigfigs + 1)
    }

    public func labels(for locations: [Double], context: AxisContext) -> (labels: [String], offsetText: String) {
        guard !locations.isEmpty else { return ([], "") }
        let (offset, order, decimals) = parameters(for: locations, context: context)
        let factor = pow(10, Double(order))
        let labels = locations.map { location -> String in
            var value = (location - offset) / factor
            if abs(value) < 1e-8 { value = 0 }
            return fixMinus(String(format: "%1.\(decimals)f", value))
        }
        var offsetText = ""
        if order != 0 || offset != 0 {
            var offsetPart = ""
            if offset != 0 {
                offsetPart = formatData(offset)
                if offset > 0 { offsetPart = "+" + offsetPart }
            }
            var scientific = ""
            if order != 0 {
                scientific = useMathText ? "×10" + _superscript(order) : "1e\(order)"
            }
            offsetText = fixMinus(scientific + offsetPart)
        }
        return (labels, offsetText)
    }

    /// A value written as `significand e exponent` (or with ×10ⁿ under ``useMathText``).
    func formatData(_ value: Double) -> String {
        let e = Int(log10(abs(value)).rounded(.down))
        let s = (value / pow(10, Double(e)) * 1e10).rounded(.toNearestOrEven) / 1e10
        let significand = s.truncatingRemainder(dividingBy: 1) == 0 ? String(Int(s)) : _pyGeneral(s, digits: 10)
        if e == 0 { return significand }
        if useMathText { return s == 1 ? "10" + _superscript(e) : significand + "×10" + _superscript(e) }
        return "\(significand)e\(e)"
    }

    private func fixMinus(_ text: String) -> String {
        unicodeMinus ? text.replacingOccurrences(of: "-", with: "\u{2212}") : text
    }
}

/// C's `%.Ng`.
func _pyGeneral(_ value: Double, digits: Int) -> String { String(format: "%1.\(digits)g", value) }

/// An integer in Unicode superscript digits (`-3` → `⁻³`).
func _superscript(_ value: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    var text = value < 0 ? "⁻" : ""
    for character in String(abs(value)) {
        if let digit = character.wholeNumberValue { text.append(digits[digit]) }
    }
    return text
}

/// Labels powers of the base as `10²` (matplotlib's `LogFormatterSciNotation`, whose mathtext `10^{2}` this
/// writes with superscript digits); other ticks as `2×10¹`, or nothing when ``labelOnlyBase``.
public struct LogFormatter: TickFormatter, Hashable {
    /// The logarithm base.
    public var base: Double
    /// Whether ticks between powers of the base stay unlabelled.
    public var labelOnlyBase: Bool

    /// Creates a formatter.
    public init(base: Double = 10, labelOnlyBase: Bool = false) {
        self.base = base
        self.labelOnlyBase = labelOnlyBase
    }

    /// The label of one tick.
    public func label(_ x: Double) -> String {
        if x == 0 { return "0" }
        let sign = x < 0 ? "\u{2212}" : ""
        let fx = log(abs(x)) / log(base)
        let isDecade = abs(fx - fx.rounded()) < 1e-10
        if labelOnlyBase && !isDecade { return "" }
        let baseText = base.truncatingRemainder(dividingBy: 1) == 0 ? String(Int(base)) : "\(base)"
        if isDecade { return sign + baseText + _superscript(Int(fx.rounded())) }
        let exponent = fx.rounded(.down)
        var coefficient = pow(base, fx - exponent)
        if abs(coefficient - coefficient.rounded()) < 1e-10 { coefficient = coefficient.rounded() }
        return sign + _pyGeneral(coefficient, digits: 6) + "×" + baseText + _superscript(Int(exponent))
    }

    public func labels(for locations: [Double], context: AxisContext) -> (labels: [String], offsetText: String) {
        (locations.map(label), "")
    }
}
