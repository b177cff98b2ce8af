import Foundation
import VisCore
import VisDraw

/// Where subplots sit on a figure, as fractions of its width and height (matplotlib's `SubplotParams`).
public struct SubplotParams: Sendable, Hashable {
    /// Left edge of the leftmost axes.
    public var left: Double = 0.125
    /// Right edge of the rightmost axes.
    public var right: Double = 0.9
    /// Bottom edge of the lowest axes (measured from the figure's bottom).
    public var bottom: Double = 0.11
    /// Top edge of the highest axes (measured from the figure's bottom).
    public var top: Double = 0.88
    /// Horizontal gap between axes, as a fraction of the average axes width.
    public var wspace: Double = 0.2
    /// Vertical gap between axes, as a fraction of the average axes height.
    public var hspace: Double = 0.2

    /// matplotlib's defaults.
    public init() {}
}

/// A rectangle in figure fractions, origin at the bottom-left (matplotlib's `Axes.get_position()`).
public struct FigureRect: Sendable, Hashable {
    /// Left edge, 0...1 of the figure width.
    public var left: Double
    /// Bottom edge, 0...1 of the figure height from the bottom.
    public var bottom: Double
    /// Width as a fraction of the figure width.
    public var width: Double
    /// Height as a fraction of the figure height.
    public var height: Double

    /// Creates a rectangle.
    public init(left: Double, bottom: Double, width: Double, height: Double) {
        self.left = left
        self.bottom = bottom
        self.width = width
        self.height = height
    }
}

/// Sizes and resolution shared by a figure and its axes.
struct _FigureGeometry {
    var widthInches: Double
    var heightInches: Double
    var dpi: Double
    var pixelWidth: Int { max(Int((widthInches * dpi).rounded()), 1) }
    var pixelHeight: Int { max(Int((heightInches * dpi).rounded()), 1) }
    /// Pixels per point.
    var scale: Double { dpi / 72 }

    /// `rect` in pixels, y down.
    func pixels(_ rect: FigureRect) -> PixelRect {
        let (w, h) = (widthInches * dpi, heightInches * dpi)
        return PixelRect(x: rect.left * w, y: h - (rect.bottom + rect.height) * h, width: rect.width * w, height: rect.height * h)
    }

    /// Lays out `text` at `sizePoints` in `font` at this resolution (VisDraw's points are at 100 dpi).
    func layout(_ text: String, sizePoints: Double, font: FontSpec, alignment: HorizontalTextAlignment = .left) throws
        -> TextLayout
    {
        try TextLayout(
            text, font: try Font(font, sizePoints: sizePoints * dpi / 100), horizontalAlignment: alignment)
    }
}

/// A figure: a canvas of a given size in inches at a resolution, holding ``Axes``; rendered to PNG, JPEG or SVG.
///
/// ```swift
/// let figure = try Figure()                              // 6.4 × 4.8 in at 100 dpi, like matplotlib
/// let axes = try figure.subplots(rows: 1, cols: 1)[0][0]
/// try axes.plot(x: steps, y: loss, label: "loss")
/// axes.setTitle("training")
/// try axes.legend()
/// try figure.savefig("loss.png")
/// ```
///
/// Defaults follow matplotlib 3.11's `matplotlibrc`: DejaVu Sans 10 pt, lines 1.5 pt, axes lines 0.8 pt, ticks
/// 3.5 pt outside with labels 3.5 pt away, the tab10 colour cycle, 5 % margins and the subplot parameters of
/// ``SubplotParams``.
public final class Figure {
    /// Width and height in inches.
    public let size: (width: Double, height: Double)
    /// Pixels per inch.
    public let dpi: Double
    /// The background colour.
    public var faceColor: Color = Color(red: 255, green: 255, blue: 255)
    /// The font of all text (DejaVu Sans through fontconfig's `sans-serif` by default, as matplotlib); setting
    /// it changes the axes already added too.
    public var font: FontSpec = .sansSerif {
        didSet { for axes in axes { axes.font = font } }
    }
    /// Subplot placement; ``tightLayout(pad:)`` recomputes it.
    public private(set) var subplotParams = SubplotParams()
    /// The axes, in the order they were added.
    public private(set) var axes: [Axes] = []
    /// How PNG output is compressed: VisCore's fast encoder (the default), or zlib at a level for the smallest
    /// files. Plots are mostly flat colour, which the fast encoder's run-length codes compress well.
    public var pngCompression: PNGCompression = .fast
    /// A title above all axes (`suptitle`), or nil.
    public var superTitle: String?
    let geometry: _FigureGeometry

    /// A figure of `size` inches at `dpi` pixels per inch.
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` naming `size` or `dpi` for
    ///   non-positive or non-finite values, or a figure over 2²⁶ pixels.
    public init(size: (width: Double, height: Double) = (6.4, 4.8), dpi: Double = 100) throws {
        guard size.width.isFinite, size.height.isFinite, size.width > 0, size.height > 0 else {
            throw PlotError.invalidArgument(
                argument: "size", expected: "a positive finite width and height in inches", actual: "\(size)")
        }
        try PlotError._checkPositive(dpi, argument: "dpi")
        let geometry = _FigureGeometry(widthInches: size.width, heightInches: size.height, dpi: dpi)
        guard Double(geometry.pixelWidth) * Double(geometry.pixelHeight) <= Double(1 << 26) else {
            throw PlotError.invalidArgument(
                argument: "size", expected: "at most 2^26 pixels at this dpi",
                actual: "\(geometry.pixelWidth)×\(geometry.pixelHeight) pixels")
        }
        self.size = size
        self.dpi = dpi
        self.geometry = geometry
    }

    /// The rendered size in pixels.
    public var pixelSize: (width: Int, height: Int) { (geometry.pixelWidth, geometry.pixelHeight) }

    /// A grid of `rows`×`cols` new axes (matplotlib's `plt.subplots`), row by row from the top.
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for counts under 1 or over 64.
    @discardableResult
    public func subplots(rows: Int = 1, cols: Int = 1) throws -> [[Axes]] {
        try _checkGrid(rows: rows, cols: cols)
        return try (0..<rows).map { row in
            try (0..<cols).map { col in try addSubplot(rows: rows, cols: cols, index: row * cols + col + 1) }
        }
    }

    /// Adds the axes at `index` (1-based, row by row) of a `rows`×`cols` grid (matplotlib's `add_subplot`).
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` for a bad grid or index.
    @discardableResult
    public func addSubplot(rows: Int, cols: Int, index: Int) throws -> Axes {
        try _checkGrid(rows: rows, cols: cols)
        guard index >= 1, index <= rows * cols else {
            throw PlotError.invalidArgument(argument: "index", expected: "1...\(rows * cols)", actual: "\(index)")
        }
        let axes = Axes(geometry: geometry, cell: (rows, cols, (index - 1) / cols, (index - 1) % cols), font: font)
        axes.position = cellRect(rows: rows, cols: cols, row: (index - 1) / cols, col: (index - 1) % cols)
        self.axes.append(axes)
        return axes
    }

    /// Adds axes at an explicit position in figure fractions (matplotlib's `add_axes`).
    @discardableResult
    public func addAxes(_ rect: FigureRect) -> Axes {
        let axes = Axes(geometry: geometry, cell: nil, font: font)
        axes.position = rect
        self.axes.append(axes)
        return axes
    }

    private func _checkGrid(rows: Int, cols: Int) throws {
        guard (1...64).contains(rows) else {
            throw PlotError.invalidArgument(argument: "rows", expected: "1...64", actual: "\(rows)")
        }
        guard (1...64).contains(cols) else {
            throw PlotError.invalidArgument(argument: "cols", expected: "1...64", actual: "\(cols)")
        }
    }

    /// Changes the subplot parameters and moves every grid axes accordingly.
    ///
    /// - Throws: ``PlotError/invalidArgument(argument:expected:actual:)`` unless left < right and bottom < top
    ///   within 0...1 and the spaces are >= 0.
    public func subplotsAdjust(_ params: SubplotParams) throws {
        guard params.left >= 0, params.left < params.right, params.right <= 1, params.bottom >= 0,
            params.bottom < params.top, params.top <= 1, params.wspace >= 0, params.hspace >= 0
        else {
            throw PlotError.invalidArgument(
                argument: "params", expected: "0 <= left < right <= 1, 0 <= bottom < top <= 1, spaces >= 0",
                actual: "\(params)")
        }
        subplotParams = params
        for axes in axes {
            if let cell = axes.cell { axes.position = cellRect(rows: cell.rows, cols: cell.cols, row: cell.row, col: cell.col) }
        }
    }

    /// The rectangle of a grid cell under the current subplot parameters (matplotlib's `GridSpec`).
    func cellRect(rows: Int, cols: Int, row: Int, col: Int) -> FigureRect {
        let p = subplotParams
        let cellHeight = (p.top - p.bottom) / (Double(rows) + p.hspace * Double(rows - 1))
        let cellWidth = (p.right - p.left) / (Double(cols) + p.wspace * Double(cols - 1))
        let top = p.top - Double(row) * cellHeight * (1 + p.hspace)
        let left = p.left + Double(col) * cellWidth * (1 + p.wspace)
        return FigureRect(left: left, bottom: top - cellHeight, width: cellWidth, height: cellHeight)
    }

    /// Moves the grid axes so that their labels, tick labels and titles fit inside the figure with `pad`
    /// font sizes of space around them and between neighbours (matplotlib's `tight_layout`).
    ///
    /// - Throws: font errors while measuring text.
    public func tightLayout(pad: Double = 1.08) throws {
        let grid = axes.compactMap { axes in axes.cell.map { (axes, $0) } }
        guard let first = grid.first?.1 else { return }
        let (rows, cols) = (first.rows, first.cols)
        let width = Double(geometry.pixelWidth)
        let height = Double(geometry.pixelHeight)
        var hspaces = [[Double]](repeating: [Double](repeating: 0, count: cols + 1), count: rows)
        var vspaces = [[Double]](repeating: [Double](repeating: 0, count: cols), count: rows + 1)
        for (axes, cell) in grid where cell.rows == rows && cell.cols == cols {
            let box = axes.pixelRect
            let tight = try axes.tightBox()
            hspaces[cell.row][cell.col] += (box.x - tight.x) / width
            hspaces[cell.row][cell.col + 1] += (tight.maxX - box.maxX) / width
            vspaces[cell.row][cell.col] += (box.y - tight.y) / height
            vspaces[cell.row + 1][cell.col] += (tight.maxY - box.maxY) / height
        }
        let padInches = pad * 10 / 72
        let marginLeft = max(hspaces.map { $0[0] }.max() ?? 0, 0) + padInches / size.width
        let marginRight = max(hspaces.map { $0[cols] }.max() ?? 0, 0) + padInches / size.width
        let marginTop = max(vspaces[0].max() ?? 0, 0) + padInches / size.height
        let marginBottom = max(vspaces[rows].max() ?? 0, 0) + padInches / size.height
        var params = subplotParams
        params.left = marginLeft
        params.right = 1 - marginRight
        params.bottom = marginBottom
        params.top = 1 - marginTop
        if cols > 1 {
            let inner = hspaces.flatMap { $0[1..<cols] }.max() ?? 0
            let space = inner + padInches / size.width
            let axesWidth = (1 - marginRight - marginLeft - space * Double(cols - 1)) / Double(cols)
            params.wspace = space / axesWidth
        }
        if rows > 1 {
            let inner = vspaces[1..<rows].flatMap { $0 }.max() ?? 0
            let space = inner + padInches / size.height
            let axesHeight = (1 - marginTop - marginBottom - space * Double(rows - 1)) / Double(rows)
            params.hspace = space / axesHeight
        }
        // Decorations larger than the figure leave no room: keep the previous layout then, as matplotlib does.
        guard params.left < params.right, params.bottom < params.top, params.wspace >= 0, params.hspace >= 0 else { return }
        try subplotsAdjust(params)
    }

    // MARK: - Output

    /// Draws the figure with `renderer`.
    public func draw<R: PlotRenderer>(with renderer: inout R) throws {
        for axes in axes.sorted(by: { $0.zOrder < $1.zOrder }) {
            try axes.draw(with: &renderer)
        }
        if let superTitle, !superTitle.isEmpty {
            let layout = try geometry.layout(superTitle, sizePoints: 12, font: font, alignment: .center)
            // matplotlib's suptitle: centred at 98 % of the height, top-aligned.
            let box = layout.bounds(anchorX: Double(geometry.pixelWidth) / 2, anchorY: 0.02 * Double(geometry.pixelHeight), verticalAlignment: .top)
            try renderer.drawText(layout, in: box, color: Color(red: 0, green: 0, blue: 0), rotated: false)
        }
    }

    /// The figure as an RGB image.
    public func render() throws -> Image {
        var renderer = try RasterRenderer(width: geometry.pixelWidth, height: geometry.pixelHeight, background: faceColor)
        try draw(with: &renderer)
        return renderer.image
    }

    /// The figure as an SVG document (same layout as ``render()``, in the same pixel units).
    public func svg() throws -> String {
        var renderer = SVGRenderer(width: geometry.pixelWidth, height: geometry.pixelHeight, background: faceColor)
        try draw(with: &renderer)
        return renderer.document
    }

    /// Writes the figure to `path`: PNG, JPEG or SVG by the extension (`.png`, `.jpg`/`.jpeg`, `.svg`).
    ///
    /// - Throws: ``PlotError/output(path:reason:)`` for another extension or a failed write.
    public func savefig(_ path: String) throws {
        let lower = path.lowercased()
        do {
            if lower.hasSuffix(".svg") {
                let text = try svg()
                try FileIO.writeAtomically(Array(text.utf8), to: path)
            } else if lower.hasSuffix(".png") {
                try render().writePNG(to: path, compression: pngCompression)
            } else if lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") {
                try render().write(to: path)
            } else {
                throw PlotError.output(path: path, reason: "the extension names no supported format; use .png, .jpg, .jpeg or .svg")
            }
        } catch let error as PlotError {
            throw error
        } catch let error as VisDrawError {
            throw error
        } catch {
            throw PlotError.output(path: path, reason: "\(error)")
        }
    }
}
