import Foundation
import VisCore
import VisDraw

/// Where ``Axes/legend(loc:fontSize:frameAlpha:)`` puts the legend (matplotlib's `loc` codes).
public enum LegendLocation: Int, Sendable, Hashable, CaseIterable {
    /// The first of the other places (in this order) that covers the least data.
    case best = 0
    /// Top right corner (`"upper right"`).
    case upperRight
    /// Top left corner.
    case upperLeft
    /// Bottom left corner.
    case lowerLeft
    /// Bottom right corner.
    case lowerRight
    /// Right edge, vertically centred (`"right"`, the same place as `"center right"`).
    case right
    /// Left edge, vertically centred.
    case centerLeft
    /// Right edge, vertically centred.
    case centerRight
    /// Bottom edge, horizontally centred.
    case lowerCenter
    /// Top edge, horizontally centred.
    case upperCenter
    /// The middle of the axes.
    case center
}

/// Edge colours of scatter markers.
public enum EdgeColors: Sendable, Hashable {
    /// The face colour (matplotlib's default `'face'`).
    case face
    /// No edge.
    case none
    /// One colour for every marker.
    case color(Color)
}

/// One axis's settings.
struct _AxisState {
    var scale: AxisScale = .linear
    var lowerLimit: Double?
    var upperLimit: Double?
    var label = ""
    var locator: (any TickLocator)?
    var formatter: (any TickFormatter)?
    var margin = 0.05
}

/// The things an axes draws, in the order added.
enum _Artist {
    case line(_Line)
    case scatter(_Scatter)
    case image(Image)
    case referenceLine(_ReferenceLine)
    case fill(_Fill)
    case text(_Text)

    /// matplotlib's z-orders: images 0, collections 1, lines 2, text 3.
    var zOrder: Double {
        switch self {
        case .image: return 0
        case .scatter, .fill: return 1
        case .line, .referenceLine: return 2
        case .text: return 3
        }
    }
}

struct _Line {
    var x: [Double]
    var y: [Double]
    var color: Color
    var widthPoints: Double
    var style: LineStyle
    var marker: Marker
    var markerSizePoints: Double
    var label: String?
    var alpha: Double
}

struct _Scatter {
    var x: [Double]
    var y: [Double]
    /// Areas in pt², one or one per point.
    var sizes: [Double]
    /// Face colours, one or one per point.
    var colors: [Color]
    var edges: EdgeColors
    var lineWidthPoints: Double
    var marker: Marker
    var alpha: Double
    var label: String?
}

struct _ReferenceLine {
    /// True for `axhline` (a y value across), false for `axvline`.
    var horizontal: Bool
    var value: Double
    var color: Color
    var widthPoints: Double
    var style: LineStyle
    var alpha: Double
    var label: String?
}

struct _Fill {
    var x: [Double]
    var lower: [Double]
    var upper: [Double]
    var color: Color
    var alpha: Double
    var label: String?
}

struct _Text {
    var x: Double
    var y: Double
    var text: String
    var sizePoints: Double
    var color: Color
    var horizontal: HorizontalTextAlignment
    var vertical: VerticalTextAlignment
}

/// One set of axes on a ``Figure``: artists (lines, scatters, images, bands, text) drawn through a data-to-pixel
/// transform, with ticks, labels, title, grid and legend in matplotlib's default style.
///
/// Colours default to the tab10 cycle: lines take the next colour of one cycle, scatters and bands of
/// another (as matplotlib keeps them apart).
public final class Axes {
    let geometry: _FigureGeometry
    /// The grid cell for subplots (nil for free axes).
    let cell: (rows: Int, cols: Int, row: Int, col: Int)?
    /// The position in figure fractions.
    public internal(set) var position: FigureRect
    var artists: [_Artist] = []
    var xAxis = _AxisState()
    var yAxis = _AxisState()
    var title = ""
    var titleSizePoints = 12.0
    var font: FontSpec
    var axisVisible = true
    var gridVisible = false
    /// Whether data units have the same length on both axes (set by ``imshow(_:)``).
    var equalAspect = false
    var legendRequest: (location: LegendLocation, fontSize: Double, frameAlpha: Double)?
    var lineCycle = 0
    var patchCycle = 0
    /// Drawing order among the figure's axes.
    var zOrder = 0.0
    /// Both view intervals, computed once per draw (autoscaling scans all the data).
    var viewCache: (x: (Double, Double), y: (Double, Double))?
    /// The face colour inside the axes.
    public var faceColor: Color = Color(red: 255, green: 255, blue: 255)
    /// The tick-label and label font size in points.
    public var fontSizePoints = 10.0

    init(geometry: _FigureGeometry, cell: (rows: Int, cols: Int, row: Int, col: Int)?, font: FontSpec) {
        self.geometry = geometry
        self.cell = cell
        self.font = font
        self.position = FigureRect(left: 0.125, bottom: 0.11, width: 0.775, height: 0.77)
    }

    /// The axes rectangle in figure pixels (y down), after the equal-aspect adjustment of images.
    public var pixelRect: PixelRect {
        let box = geometry.pixels(position)
        guard equalAspect else { return box }
        let (x0, x1) = viewInterval(horizontal: true)
        let (y0, y1) = viewInterval(horizontal: false)
        let dataRatio = abs(y1 - y0) / abs(x1 - x0)
        guard dataRatio.isFinite, dataRatio > 0, box.width > 0, box.height > 0 else { return box }
        // Shrink to the data's aspect, centred (matplotlib's adjustable="box", anchor "C").
        var (width, height) = (box.width, box.width * dataRatio)
        if height > box.height { (width, height) = (box.height / dataRatio, box.height) }
        return PixelRect(x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width: width, height: height)
    }

    private static let cycle = ColorPalette.tab10

    // MARK: - Artists

    /// Draws `y` against `x` as a line (matplotlib's `plot`). Non-finite values break the line (drawn as gaps)
    /// and are left out of autoscaling.
    ///
    /// - Parameters:
    ///   - color: The colour; nil takes the next colour of the tab10 cycle.
    ///   - lineWidth: Width in points (default 1.5).
    ///   - lineStyle: Solid, dashed, dash-dot or dotted; dashes scale with the width, as in matplotlib.
    ///   - marker: A marker at every point (default none).
    ///   - markerSize: Marker size in points (default 6).
    ///   - label: The legend entry, or nil for none.
    ///   - alpha: Opacity 0...1.
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for different lengths, a bad width,
    ///   size or alpha.
    public func plot(
        x: [Double], y: [Double], color: Color? = nil, lineWidth: Double = 1.5, lineStyle: LineStyle = .solid,
        marker: Marker = .none, markerSize: Double = 6, label: String? = nil, alpha: Double = 1
    ) throws {
        try PlotError._checkSameLength(x, y)
        guard lineWidth.isFinite, lineWidth >= 0 else {
            throw PlotError.invalidArgument(argument: "lineWidth", expected: "a finite width >= 0 points", actual: "\(lineWidth)")
        }
        try PlotError._checkPositive(markerSize, argument: "markerSize")
        try PlotError._checkUnit(alpha, argument: "alpha")
        let chosen = color ?? nextLineColor()
        artists.append(
            .line(
                _Line(
                    x: x, y: y, color: chosen, widthPoints: lineWidth, style: lineStyle, marker: marker,
                    markerSizePoints: markerSize, label: label, alpha: alpha)))
    }

    /// Draws `y` against its indices 0, 1, 2, …; see ``plot(x:y:color:lineWidth:lineStyle:marker:markerSize:label:alpha:)``.
    public func plot(
        y: [Double], color: Color? = nil, lineWidth: Double = 1.5, lineStyle: LineStyle = .solid,
        marker: Marker = .none, markerSize: Double = 6, label: String? = nil, alpha: Double = 1
    ) throws {
        try plot(
            x: y.indices.map(Double.init), y: y, color: color, lineWidth: lineWidth, lineStyle: lineStyle,
            marker: marker, markerSize: markerSize, label: label, alpha: alpha)
    }

    /// Draws a marker at each (x, y) in one colour (matplotlib's `scatter`). Points with a non-finite coordinate
    /// are skipped.
    ///
    /// - Parameters:
    ///   - sizes: Marker areas in pt², one for all or one per point (default 36, a 6 pt circle).
    ///   - color: The face colour; nil takes the next colour of the patch cycle.
    ///   - edgeColors: Marker edges (default: the face colour, as matplotlib).
    ///   - lineWidth: Edge width in points (default 1 for filled markers, 1.5 for `+` and `x`, as matplotlib).
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for mismatched lengths or bad sizes.
    public func scatter(
        x: [Double], y: [Double], sizes: [Double] = [36], color: Color? = nil, alpha: Double = 1,
        edgeColors: EdgeColors = .face, lineWidth: Double? = nil, marker: Marker = .circle, label: String? = nil
    ) throws {
        let lineWidth = lineWidth ?? (marker.isFilled ? 1.0 : 1.5)
        try checkScatter(x: x, y: y, sizes: sizes, alpha: alpha, lineWidth: lineWidth)
        let chosen = color ?? nextPatchColor()
        artists.append(
            .scatter(
                _Scatter(
                    x: x, y: y, sizes: sizes, colors: [chosen], edges: edgeColors, lineWidthPoints: lineWidth,
                    marker: marker, alpha: alpha, label: label)))
    }

    /// Draws a marker at each (x, y) coloured by `values` through `colormap` (matplotlib's `scatter(c=values,
    /// cmap=...)`), normalised by `vmin...vmax` (default: the finite values' range).
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for mismatched lengths or bad sizes.
    public func scatter(
        x: [Double], y: [Double], sizes: [Double] = [36], values: [Double], colormap: PlotColormap = .viridis,
        vmin: Double? = nil, vmax: Double? = nil, alpha: Double = 1, edgeColors: EdgeColors = .face,
        lineWidth: Double? = nil, marker: Marker = .circle, label: String? = nil
    ) throws {
        let lineWidth = lineWidth ?? (marker.isFilled ? 1.0 : 1.5)
        try checkScatter(x: x, y: y, sizes: sizes, alpha: alpha, lineWidth: lineWidth)
        try PlotError._checkSameLength(x, values, yName: "values")
        let finite = values.filter(\.isFinite)
        let low = vmin ?? finite.min() ?? 0
        let high = vmax ?? finite.max() ?? 1
        guard low.isFinite, high.isFinite else {
            throw PlotError.invalidArgument(argument: "vmin/vmax", expected: "finite numbers", actual: "\(low), \(high)")
        }
        let colors = values.map { colormap.color(for: $0, vmin: low, vmax: high) }
        artists.append(
            .scatter(
                _Scatter(
                    x: x, y: y, sizes: sizes, colors: colors, edges: edgeColors, lineWidthPoints: lineWidth,
                    marker: marker, alpha: alpha, label: label)))
    }

    private func checkScatter(x: [Double], y: [Double], sizes: [Double], alpha: Double, lineWidth: Double) throws {
        try PlotError._checkSameLength(x, y)
        guard sizes.count == 1 || sizes.count == x.count, sizes.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            throw PlotError.invalidArgument(
                argument: "sizes", expected: "one area >= 0 (pt²) or one per point (\(x.count))",
                actual: "\(sizes.count) values")
        }
        guard lineWidth.isFinite, lineWidth >= 0 else {
            throw PlotError.invalidArgument(argument: "lineWidth", expected: "a finite width >= 0 points", actual: "\(lineWidth)")
        }
        try PlotError._checkUnit(alpha, argument: "alpha")
    }

    /// Shows `image` with one data unit per pixel, the first row at the top and equal aspect (matplotlib's
    /// `imshow` with its defaults); the axes shrink to the image's shape.
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for an empty image.
    public func imshow(_ image: Image) throws {
        guard !image.isEmpty else {
            throw PlotError.invalidArgument(argument: "image", expected: "an image with pixels", actual: "0×0")
        }
        artists.append(.image(image))
        equalAspect = true
    }

    /// A horizontal line across the axes at `y` (matplotlib's `axhline`; default colour C0).
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for a non-finite `y`.
    public func axhline(
        y: Double, color: Color = ColorPalette.tab10[0], lineWidth: Double = 1.5, lineStyle: LineStyle = .solid,
        alpha: Double = 1, label: String? = nil
    ) throws {
        guard y.isFinite else { throw PlotError.invalidArgument(argument: "y", expected: "a finite number", actual: "\(y)") }
        try PlotError._checkUnit(alpha, argument: "alpha")
        artists.append(
            .referenceLine(
                _ReferenceLine(
                    horizontal: true, value: y, color: color, widthPoints: lineWidth, style: lineStyle, alpha: alpha,
                    label: label)))
    }

    /// A vertical line across the axes at `x` (matplotlib's `axvline`).
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for a non-finite `x`.
    public func axvline(
        x: Double, color: Color = ColorPalette.tab10[0], lineWidth: Double = 1.5, lineStyle: LineStyle = .solid,
        alpha: Double = 1, label: String? = nil
    ) throws {
        guard x.isFinite else { throw PlotError.invalidArgument(argument: "x", expected: "a finite number", actual: "\(x)") }
        try PlotError._checkUnit(alpha, argument: "alpha")
        artists.append(
            .referenceLine(
                _ReferenceLine(
                    horizontal: false, value: x, color: color, widthPoints: lineWidth, style: lineStyle, alpha: alpha,
                    label: label)))
    }

    /// Fills between `lower` and `upper` over `x` (matplotlib's `fill_between`, e.g. a min–max band). Points
    /// where any of the three is not finite split the band.
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for mismatched lengths or alpha.
    public func fillBetween(
        x: [Double], lower: [Double], upper: [Double], color: Color? = nil, alpha: Double = 1, label: String? = nil
    ) throws {
        try PlotError._checkSameLength(x, lower, yName: "lower")
        try PlotError._checkSameLength(x, upper, yName: "upper")
        try PlotError._checkUnit(alpha, argument: "alpha")
        let chosen = color ?? nextPatchColor()
        artists.append(.fill(_Fill(x: x, lower: lower, upper: upper, color: chosen, alpha: alpha, label: label)))
    }

    /// Writes `text` at data point (`x`, `y`), its box's bottom-left corner there by default (matplotlib's
    /// `text`).
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for a non-finite position or size.
    public func text(
        x: Double, y: Double, _ text: String, fontSize: Double = 10, color: Color = Color(red: 0, green: 0, blue: 0),
        horizontalAlignment: HorizontalTextAlignment = .left, verticalAlignment: VerticalTextAlignment = .baseline
    ) throws {
        guard x.isFinite, y.isFinite else {
            throw PlotError.invalidArgument(argument: "x, y", expected: "finite numbers", actual: "(\(x), \(y))")
        }
        try PlotError._checkPositive(fontSize, argument: "fontSize")
        artists.append(
            .text(
                _Text(
                    x: x, y: y, text: text, sizePoints: fontSize, color: color, horizontal: horizontalAlignment,
                    vertical: verticalAlignment)))
    }

    // MARK: - Furniture

    /// Sets the title shown above the axes (12 pt by default).
    public func setTitle(_ text: String, fontSize: Double = 12) {
        title = text
        if fontSize.isFinite, fontSize > 0 { titleSizePoints = fontSize }
    }

    /// Sets the x-axis label.
    public func setXLabel(_ text: String) { xAxis.label = text }
    /// Sets the y-axis label.
    public func setYLabel(_ text: String) { yAxis.label = text }
    /// Sets the x scale.
    public func setXScale(_ scale: AxisScale) { xAxis.scale = scale }
    /// Sets the y scale.
    public func setYScale(_ scale: AxisScale) { yAxis.scale = scale }

    /// Fixes the x view limits; nil keeps that end automatic. A lower limit above the upper one flips the axis.
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for non-finite limits, equal limits,
    ///   or limits <= 0 on a log axis.
    public func setXLim(_ lower: Double?, _ upper: Double?) throws {
        try Axes.checkLimits(lower, upper, scale: xAxis.scale, argument: "xlim")
        xAxis.lowerLimit = lower
        xAxis.upperLimit = upper
    }

    /// Fixes the y view limits; see ``setXLim(_:_:)``.
    public func setYLim(_ lower: Double?, _ upper: Double?) throws {
        try Axes.checkLimits(lower, upper, scale: yAxis.scale, argument: "ylim")
        yAxis.lowerLimit = lower
        yAxis.upperLimit = upper
    }

    private static func checkLimits(_ lower: Double?, _ upper: Double?, scale: AxisScale, argument: String) throws {
        for value in [lower, upper].compactMap({ $0 }) where !value.isFinite || (scale == .log && value <= 0) {
            throw PlotError.invalidArgument(
                argument: argument, expected: scale == .log ? "finite numbers > 0 on a log axis" : "finite numbers",
                actual: "\(value)")
        }
        if let lower, let upper, lower == upper {
            throw PlotError.invalidArgument(argument: argument, expected: "two different limits", actual: "\(lower), \(upper)")
        }
    }

    /// Sets the x tick locator (default: ``MaxNLocator/auto``, or ``LogLocator`` on a log axis).
    public func setXLocator(_ locator: any TickLocator) { xAxis.locator = locator }
    /// Sets the y tick locator.
    public func setYLocator(_ locator: any TickLocator) { yAxis.locator = locator }
    /// Sets the x tick formatter (default: ``ScalarFormatter``, or ``LogFormatter`` on a log axis).
    public func setXFormatter(_ formatter: any TickFormatter) { xAxis.formatter = formatter }
    /// Sets the y tick formatter.
    public func setYFormatter(_ formatter: any TickFormatter) { yAxis.formatter = formatter }

    /// Sets the autoscale margins as fractions of the data range (default 0.05 each).
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for values outside 0...10.
    public func margins(x: Double = 0.05, y: Double = 0.05) throws {
        for (name, value) in [("x", x), ("y", y)] where !(value.isFinite && value >= 0 && value <= 10) {
            throw PlotError.invalidArgument(argument: name, expected: "a margin in 0...10", actual: "\(value)")
        }
        xAxis.margin = x
        yAxis.margin = y
    }

    /// Shows or hides grid lines at the major ticks.
    public func grid(_ visible: Bool = true) { gridVisible = visible }

    /// Hides the spines, ticks, tick labels and axis labels (matplotlib's `axis("off")`); the title stays.
    public func axisOff() { axisVisible = false }

    /// Adds a legend of the labelled artists.
    ///
    /// - Parameters:
    ///   - loc: Where; `.best` picks the place covering the least data.
    ///   - fontSize: Entry text size in points.
    ///   - frameAlpha: Opacity of the frame (default 0.8).
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for a bad size or alpha.
    public func legend(loc: LegendLocation = .best, fontSize: Double = 10, frameAlpha: Double = 0.8) throws {
        try PlotError._checkPositive(fontSize, argument: "fontSize")
        try PlotError._checkUnit(frameAlpha, argument: "frameAlpha")
        legendRequest = (loc, fontSize, frameAlpha)
    }

    private func nextLineColor() -> Color {
        defer { lineCycle += 1 }
        return Axes.cycle[lineCycle]
    }

    private func nextPatchColor() -> Color {
        defer { patchCycle += 1 }
        return Axes.cycle[patchCycle]
    }
}
