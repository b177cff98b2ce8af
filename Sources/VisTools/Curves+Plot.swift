import Foundation
import VisCore
import VisPlot

/// How ``Curves/figure(_:options:)`` draws runs.
public struct CurvePlotOptions: Sendable {
    /// Where the curves go.
    public enum Layout: String, Sendable, Hashable, CaseIterable {
        /// Every curve in one axes.
        case one
        /// One axes per key, each titled by its key: up to three in a row, more in a near-square grid.
        case grid
    }

    /// The keys to draw, in order.
    public var keys: [String]
    /// Legend labels per run and key (`labels[run][key]`); `nil` for the defaults of ``labels(for:legend:)``.
    public var labels: [[String]]?
    /// What the x axis shows.
    public var xAxis: CurveXAxis
    /// TensorBoard's smoothing weight in [0, 1); above 0 the raw curve stays faint behind the smoothed one.
    public var smoothing: Double
    /// A logarithmic y axis (values ≤ 0 are left out).
    public var logY: Bool
    /// The figure title (above the grid for ``Layout/grid``).
    public var title: String?
    /// The figure width in inches.
    public var width: Double
    /// The figure height in inches.
    public var height: Double
    /// Pixels per inch.
    public var dpi: Double
    /// One axes, or one per key.
    public var layout: Layout

    /// Options with matplotlib's default figure (6.4×4.8 in at 100 dpi).
    public init(
        keys: [String], labels: [[String]]? = nil, xAxis: CurveXAxis = .step, smoothing: Double = 0,
        logY: Bool = false, title: String? = nil, width: Double = 6.4, height: Double = 4.8, dpi: Double = 100,
        layout: Layout = .one
    ) {
        self.keys = keys
        self.labels = labels
        self.xAxis = xAxis
        self.smoothing = smoothing
        self.logY = logY
        self.title = title
        self.width = width
        self.height = height
        self.dpi = dpi
        self.layout = layout
    }

    /// Legend labels per run and key. With no `legend`, run names; with one name per run, those; the key is
    /// appended (`"exp1 loss"`) when several keys share one axes. With one name per run and key (run-major, as
    /// MMEngine's `analyze_logs.py --legend`), those as given.
    ///
    /// - Throws: ``CurvesError/invalidArgument(argument:expected:actual:)`` naming `legend` for another count.
    public func labels(for runs: [CurveRun], legend: [String] = []) throws(CurvesError) -> [[String]] {
        let names: [String]
        if legend.isEmpty {
            names = runs.map(\.name)
        } else if legend.count == runs.count {
            names = legend
        } else if legend.count == runs.count * keys.count {
            return runs.indices.map { run in Array(legend[(run * keys.count)..<((run + 1) * keys.count)]) }
        } else {
            throw .invalidArgument(
                argument: "legend",
                expected: "\(runs.count) names (one per run) or \(runs.count * keys.count) (one per run and key)",
                actual: "\(legend.count) names; the runs are \(runs.map(\.name).joined(separator: ", "))")
        }
        let suffixed = layout == .one && keys.count > 1
        return names.map { name in keys.map { suffixed ? "\(name) \($0)" : name } }
    }
}

extension Curves {
    /// The opacity of the raw curve behind a smoothed one.
    static let rawCurveAlpha = 0.25

    /// A figure of `options.keys` of every run: one colour per curve from matplotlib's tab10 cycle, a grid, a
    /// legend, axis labels and a tight layout. NaN and infinite values are gaps in the lines.
    ///
    /// - Throws: ``CurvesError`` for a missing key, a bad smoothing weight or label count, or an x axis the run
    ///   cannot provide; VisPlot's errors for a bad figure size.
    public static func figure(_ runs: [CurveRun], options: CurvePlotOptions) throws -> Figure {
        guard !options.keys.isEmpty else {
            throw CurvesError.invalidArgument(argument: "keys", expected: "at least one key", actual: "none")
        }
        let labels = try options.labels ?? options.labels(for: runs)
        guard labels.count == runs.count, labels.allSatisfy({ $0.count == options.keys.count }) else {
            throw CurvesError.invalidArgument(
                argument: "labels", expected: "\(runs.count) runs × \(options.keys.count) keys of labels",
                actual: "\(labels.map(\.count))")
        }
        var lines: [[CurveLine]] = []  // per key
        for (keyIndex, key) in options.keys.enumerated() {
            var keyLines: [CurveLine] = []
            for (runIndex, run) in runs.enumerated() {
                keyLines.append(try run.line(of: key, axis: options.xAxis, label: labels[runIndex][keyIndex]))
            }
            lines.append(keyLines)
        }
        var xLabel = options.xAxis.rawValue
        if options.xAxis == .wall {
            let span = lines.joined().compactMap { $0.x.max() }.max() ?? 0
            let unit = WallTimeUnit(span: span)
            xLabel = "time since start (\(unit.rawValue))"
            for keyIndex in lines.indices {
                for lineIndex in lines[keyIndex].indices {
                    lines[keyIndex][lineIndex].x = lines[keyIndex][lineIndex].x.map { $0 / unit.seconds }
                }
            }
        }

        let figure = try Figure(size: (options.width, options.height), dpi: options.dpi)
        let panels: [[CurveLine]]
        let axesList: [Axes]
        switch options.layout {
        case .one:
            panels = [Array(lines.joined())]
            axesList = try figure.subplots(rows: 1, cols: 1).joined().map { $0 }
            if let title = options.title { axesList[0].setTitle(title) }
            axesList[0].setYLabel(options.keys.count == 1 ? options.keys[0] : "value")
        case .grid:
            panels = lines
            // Up to three keys side by side, more in a near-square grid.
            let count = options.keys.count
            let cols = count <= 3 ? count : Int(Double(count).squareRoot().rounded(.up))
            let rows = (options.keys.count + cols - 1) / cols
            let all = Array(try figure.subplots(rows: rows, cols: cols).joined())
            axesList = Array(all.prefix(options.keys.count))
            for unused in all.dropFirst(options.keys.count) { unused.axisOff() }
            for (axes, key) in zip(axesList, options.keys) { axes.setTitle(key) }
            figure.superTitle = options.title
        }
        var colorIndex = 0
        for (axes, panel) in zip(axesList, panels) {
            // In a grid, a run keeps its colour in every panel.
            if options.layout == .grid { colorIndex = 0 }
            if options.logY { axes.setYScale(.log) }
            axes.setXLabel(xLabel)
            axes.grid(true)
            for line in panel {
                let color = ColorPalette.tab10.colors[colorIndex % ColorPalette.tab10.colors.count]
                colorIndex += 1
                // A lone point would be an invisible zero-length line: mark it.
                let marker: Marker = line.x.count == 1 ? .circle : .none
                if options.smoothing > 0 {
                    try axes.plot(x: line.x, y: line.y, color: color, lineWidth: 1, alpha: rawCurveAlpha)
                    let smoothed = try smoothed(line.y, weight: options.smoothing)
                    try axes.plot(
                        x: line.x, y: smoothed, color: color, lineWidth: 1.5, marker: marker, label: line.label)
                } else {
                    try axes.plot(x: line.x, y: line.y, color: color, lineWidth: 1.5, marker: marker, label: line.label)
                }
            }
            try axes.legend()
        }
        try figure.tightLayout()
        if options.layout == .grid, let title = options.title, !title.isEmpty {
            // The tight layout leaves the figure title no room above the panel titles: give it a 12 pt line.
            var params = figure.subplotParams
            params.top -= 12 * 1.5 / 72 / options.height
            if params.top - params.bottom > 0.2 { try figure.subplotsAdjust(params) }
        }
        return figure
    }

    /// Draws ``figure(_:options:)`` and writes it to `path` (PNG or SVG by the extension).
    public static func plot(_ runs: [CurveRun], options: CurvePlotOptions, to path: String) throws {
        try figure(runs, options: options).savefig(path)
    }
}
