import Foundation
import Logging

extension Visualizer {
    /// Draws a C×H×W feature map as a heatmap, alone or blended over an image: MMEngine's
    /// `Visualizer.draw_featmap`, with the same defaults, branches, order of operations and pixels.
    ///
    /// ```swift
    /// let featmap = try NDArray(npyFile: "backbone_stage3.npy")        // 256×50×84
    /// let picture = try Visualizer.drawFeatmap(featmap, overlaidImage: image)            // mean, over the image
    /// let strongest = try Visualizer.drawFeatmap(featmap, channelReduction: .selectMax)
    /// let grid = try Visualizer.drawFeatmap(featmap, channelReduction: .none, topk: 8, arrangement: (2, 4))
    /// ```
    ///
    /// **Sizes.** The map is drawn at `resizeShape` when given: the map is bilinearly resized to it straight from
    /// its own size (PyTorch `align_corners=False`) and the image with OpenCV `INTER_LINEAR`. Otherwise, when an
    /// image of another size is given, the map is resized to the image's size. Whenever the image's size differs
    /// from the map's, a warning is issued (as MMEngine does), even when `resizeShape` then decides the size.
    ///
    /// **Branches** (`channelReduction`):
    /// - ``ChannelReduction/squeezeMean``: the mean of the (resized) channels → one H×W heatmap.
    /// - ``ChannelReduction/selectMax``: the channel whose (resized) values have the largest sum → one heatmap.
    ///   `topk` and `arrangement` are ignored.
    /// - ``ChannelReduction/none`` with `topk > 0`: the `min(C, topk)` channels with the largest sums, in that
    ///   order, each as its own heatmap in a row-major grid of `arrangement` cells labelled `channel: i` (black,
    ///   10 pt, the label of one cell may spill into the next one if that is empty). The output is always
    ///   (H·rows)×(W·columns); cells beyond the channels drawn are white.
    /// - ``ChannelReduction/none`` with `topk <= 0`: a 1- or 3-channel map drawn as one heatmap; 3 channels are
    ///   normalised jointly and turned into one intensity with OpenCV's BGR-to-gray weights (channel 0 = blue).
    ///
    /// Each heatmap is ``convertOverlayHeatmap(_:overlaidImage:alpha:colormap:)``: min-max normalised per heatmap,
    /// truncated to 0…255, coloured with `colormap` (OpenCV JET by default) and blended as
    /// `round((1 − alpha)·image + alpha·heat)`.
    ///
    /// **Exactness.** For `float32` maps the result equals MMEngine 0.10.7 with torch 2.x bit for bit in every
    /// non-label pixel: the resize, the channel mean (summed in PyTorch's CPU order, without materialising the
    /// resized C×H'×W' map), the normalisation, the gray conversion and the blend reproduce their arithmetic.
    /// Channel ranking sums are computed in `Double` from the bilinear weights: maps whose channel sums agree to
    /// float32 precision may be ranked differently than PyTorch's float32 sums (exact ties: lower index first).
    /// Label glyphs come from this library's text renderer, not matplotlib's, and differ slightly.
    ///
    /// **Extensions over MMEngine.** Any numeric dtype (`float64` is computed in `Double`, integers in `Float`),
    /// `colormap`, and typed errors instead of garbage for NaN/infinity and RGBA images.
    ///
    /// - Parameters:
    ///   - featmap: The C×H×W map, any numeric dtype.
    ///   - overlaidImage: An RGB or gray image to blend the heatmap over (gray is replicated to RGB), or `nil`.
    ///   - channelReduction: See above; default ``ChannelReduction/squeezeMean``.
    ///   - topk: Channels in the grid (no reduction, `> 0`), or `<= 0` for a 1- or 3-channel map. Default 20.
    ///   - arrangement: The grid's rows and columns (no reduction, `topk > 0` only). Default (4, 5).
    ///   - resizeShape: The output (height, width) of one heatmap, or `nil`.
    ///   - alpha: The heatmap's weight when blended over the image. Default 0.5.
    ///   - colormap: The colour table. Default `Colormap.jet` (OpenCV's, MMEngine's).
    ///   - warningHandler: Receives each warning (the image/map size mismatch); when `nil`, warnings are logged
    ///     to the `Logger` labelled `Visualization.featmap`.
    /// - Returns: An RGB image.
    /// - Throws: ``FeatmapError``: ``FeatmapError/invalidRank(shape:)`` unless `featmap` is 3-D;
    ///   ``FeatmapError/arrangementTooSmall(rows:columns:topk:)`` when the grid has fewer cells than `topk`;
    ///   ``FeatmapError/channelCountNotOneOrThree(channels:)`` for `topk <= 0` with another channel count;
    ///   ``FeatmapError/unsupportedOverlaidImage(layout:)`` for an RGBA image;
    ///   ``FeatmapError/nonFiniteValues(argument:index:)`` for NaN or infinity;
    ///   ``FeatmapError/invalidArgument(argument:expected:actual:)`` for an empty or `bool` map, a non-positive
    ///   `resizeShape` or `arrangement`, an `alpha` that is not finite or beyond ±1e30, or an output over
    ///   `Image.maximumSampleCount`.
    ///   Label rendering can throw `VisDrawError` when no font is available.
    public static func drawFeatmap(
        _ featmap: NDArray,
        overlaidImage: Image? = nil,
        channelReduction: ChannelReduction = .squeezeMean,
        topk: Int = 20,
        arrangement: (rows: Int, columns: Int) = (4, 5),
        resizeShape: (height: Int, width: Int)? = nil,
        alpha: Double = 0.5,
        colormap: Colormap = .jet,
        warningHandler: VisualizerWarningHandler? = nil
    ) throws -> Image {
        guard featmap.rank == 3 else { throw FeatmapError.invalidRank(shape: featmap.shape) }
        guard featmap.count > 0 else {
            throw FeatmapError.invalidArgument(
                argument: "featmap", expected: "a non-empty map (C, H, W all at least 1)", actual: "shape \(featmap.shape)")
        }
        try _FeatmapArguments.checkNumeric(featmap, argument: "featmap")
        try _FeatmapArguments.checkFinite(featmap, argument: "featmap")
        try _FeatmapArguments.checkAlpha(alpha)
        let request = _FeatmapRequest(
            channels: featmap.shape[0], height: featmap.shape[1], width: featmap.shape[2],
            reduction: channelReduction, topk: topk, arrangement: arrangement, alpha: alpha, colormap: colormap)
        let plan = try request.plan(overlaidImage: overlaidImage, resizeShape: resizeShape)
        if let warning = plan.warning {
            if let warningHandler { warningHandler(warning) } else { _featmapLogger.warning("\(warning)") }
        }
        try request.checkBranch(plan: plan)
        return try request.draw(featmap, plan: plan)
    }

    /// ``drawFeatmap(_:overlaidImage:channelReduction:topk:arrangement:resizeShape:alpha:colormap:warningHandler:)``
    /// for flat row-major values (`[Float]`, `[Double]`, integers) with a C×H×W `shape`.
    ///
    /// - Throws: ``FeatmapError/invalidArgument(argument:expected:actual:)`` naming `shape` when its product is
    ///   not `values.count`, then the errors of the `NDArray` variant.
    public static func drawFeatmap<Element: NDArrayElement>(
        _ values: [Element],
        shape: [Int],
        overlaidImage: Image? = nil,
        channelReduction: ChannelReduction = .squeezeMean,
        topk: Int = 20,
        arrangement: (rows: Int, columns: Int) = (4, 5),
        resizeShape: (height: Int, width: Int)? = nil,
        alpha: Double = 0.5,
        colormap: Colormap = .jet,
        warningHandler: VisualizerWarningHandler? = nil
    ) throws -> Image {
        let featmap: NDArray
        do {
            featmap = try NDArray(values, shape: shape)
        } catch {
            throw FeatmapError.invalidArgument(
                argument: "shape", expected: "non-negative axes whose product is the value count \(values.count)",
                actual: "\(shape)")
        }
        return try drawFeatmap(
            featmap, overlaidImage: overlaidImage, channelReduction: channelReduction, topk: topk,
            arrangement: arrangement, resizeShape: resizeShape, alpha: alpha, colormap: colormap,
            warningHandler: warningHandler)
    }
}

/// Where `drawFeatmap` warnings go when the caller passes no warning handler.
private let _featmapLogger = Logger(label: "Visualization.featmap")

/// The grid label: MMEngine's `axes.text(2, 15, f"channel: {i}", fontsize=10)` in a cell whose image puts pixel
/// centres at integer data coordinates, so the anchor is 2.5 px right of and 15.5 px below the cell's corner.
let _featmapLabelOffset = (x: 2.5, y: 15.5)
let _featmapLabelStyle = TextStyle(
    font: .sansSerif, sizePoints: 10, color: Color(red: 0, green: 0, blue: 0), horizontalAlignment: .left,
    verticalAlignment: .baseline)

/// The size decisions of one `drawFeatmap` call, made before any pixel work.
struct _FeatmapPlan {
    /// The size each heatmap is drawn at.
    var height: Int
    var width: Int
    /// The overlaid image at that size, RGB.
    var image: Image?
    /// MMEngine's size-mismatch warning, if due.
    var warning: String?
}

/// The arguments of one `drawFeatmap` call that do not depend on the map's element type.
struct _FeatmapRequest {
    let channels: Int
    let height: Int
    let width: Int
    let reduction: ChannelReduction
    let topk: Int
    let arrangement: (rows: Int, columns: Int)
    let alpha: Double
    let colormap: Colormap

    /// As MMEngine's `draw_featmap`: gray images become RGB; an image of another size warns and, without
    /// `resizeShape`, sets the size; `resizeShape` sets it otherwise and the image is resized to it with OpenCV
    /// `INTER_LINEAR`.
    func plan(overlaidImage: Image?, resizeShape: (height: Int, width: Int)?) throws -> _FeatmapPlan {
        var plan = _FeatmapPlan(height: height, width: width)
        if let resizeShape {
            guard resizeShape.height > 0, resizeShape.width > 0 else {
                throw FeatmapError.invalidArgument(
                    argument: "resizeShape", expected: "a positive (height, width)",
                    actual: "(\(resizeShape.height), \(resizeShape.width))")
            }
            try _FeatmapRequest.checkOutput(height: resizeShape.height, width: resizeShape.width, argument: "resizeShape")
        }
        if var image = try overlaidImage.map({ try _FeatmapArguments.rgb($0) }) {
            guard !image.isEmpty else {
                throw FeatmapError.invalidArgument(
                    argument: "overlaidImage", expected: "a non-empty image", actual: "\(image.width)×\(image.height)")
            }
            if image.height != height || image.width != width {
                plan.warning = "Since the spatial dimensions of overlaid_image: (\(image.height), \(image.width)) "
                    + "and featmap: (\(height), \(width)) are not same, the feature map will be interpolated. "
                    + "This may cause mismatch problems !"
                (plan.height, plan.width) = (image.height, image.width)
            }
            if let resizeShape {
                image = try image.resized(width: resizeShape.width, height: resizeShape.height, interpolation: .bilinear)
            }
            plan.image = image
        }
        if let resizeShape { (plan.height, plan.width) = resizeShape }
        return plan
    }

    /// The checks of the branch taken, before any pixel work (MMEngine asserts them after resizing).
    func checkBranch(plan: _FeatmapPlan) throws {
        guard reduction == .none else { return }
        if topk <= 0 {
            guard channels == 1 || channels == 3 else { throw FeatmapError.channelCountNotOneOrThree(channels: channels) }
            return
        }
        guard arrangement.rows > 0, arrangement.columns > 0 else {
            throw FeatmapError.invalidArgument(
                argument: "arrangement", expected: "positive (rows, columns)",
                actual: "(\(arrangement.rows), \(arrangement.columns))")
        }
        let (cells, overflow) = arrangement.rows.multipliedReportingOverflow(by: arrangement.columns)
        guard overflow || cells >= topk else {
            throw FeatmapError.arrangementTooSmall(rows: arrangement.rows, columns: arrangement.columns, topk: topk)
        }
        let (gridHeight, overflowHeight) = plan.height.multipliedReportingOverflow(by: arrangement.rows)
        let (gridWidth, overflowWidth) = plan.width.multipliedReportingOverflow(by: arrangement.columns)
        guard !overflowHeight, !overflowWidth else {
            throw FeatmapError.invalidArgument(
                argument: "arrangement", expected: "a grid of at most \(Image.maximumSampleCount) samples",
                actual: "(\(arrangement.rows), \(arrangement.columns)) cells of \(plan.height)×\(plan.width)")
        }
        try _FeatmapRequest.checkOutput(height: gridHeight, width: gridWidth, argument: "arrangement")
    }

    /// Refuses outputs over ``Image/maximumSampleCount`` before anything is allocated.
    static func checkOutput(height: Int, width: Int, argument: String) throws {
        let (area, overflow) = height.multipliedReportingOverflow(by: width)
        guard !overflow, area <= Image.maximumSampleCount / 3 else {
            throw FeatmapError.invalidArgument(
                argument: argument, expected: "an output of at most \(Image.maximumSampleCount) samples",
                actual: "\(height)×\(width)×3")
        }
    }

    /// Draws the branch taken.
    func draw(_ featmap: NDArray, plan: _FeatmapPlan) throws -> Image {
        let pipeline = FeatmapPipeline(
            featmap: featmap, outHeight: plan.height, outWidth: plan.width, image: plan.image, alpha: alpha,
            colormap: colormap)
        let heatmap: Image?
        switch reduction {
        case .squeezeMean:
            heatmap = try pipeline.meanHeatmap()
        case .selectMax:
            let best = pipeline.rankedChannels()[0]
            heatmap = try pipeline.heatmap(channels: best..<(best + 1))
        case .none where topk <= 0:
            heatmap = try pipeline.heatmap(channels: 0..<channels)
        case .none:
            heatmap = try grid(pipeline, plan: plan)
        }
        // A finite map can still overflow to infinity when averaged or resized (values near the type's limit).
        guard let heatmap else { throw FeatmapError.nonFiniteValues(argument: "featmap", index: nil) }
        return heatmap
    }

    /// The top-k grid. Cells are computed concurrently, each resized channel painted straight into the output;
    /// then labels are drawn in order, and a label that spills into a later cell has that cell painted again
    /// over it, as in matplotlib, which draws each subplot's image and label in turn. `nil` when a resized
    /// channel is not finite.
    private func grid(_ pipeline: FeatmapPipeline, plan: _FeatmapPlan) throws -> Image? {
        let shown = Array(pipeline.rankedChannels().prefix(min(channels, topk)))
        let (outputWidth, outputHeight) = (plan.width * arrangement.columns, plan.height * arrangement.rows)
        guard let pixels = pipeline.gridPixels(shown: shown, rows: arrangement.rows, columns: arrangement.columns)
        else { return nil }
        var output = try Image(width: outputWidth, height: outputHeight, layout: .rgb, pixels: pixels)
        func origin(_ index: Int) -> (x: Int, y: Int) {
            let (row, column) = index.quotientAndRemainder(dividingBy: arrangement.columns)
            return (column * plan.width, row * plan.height)
        }
        for (index, channel) in shown.enumerated() {
            let corner = origin(index)
            let bounds = try output.drawText(
                "channel: \(channel)", x: Double(corner.x) + _featmapLabelOffset.x,
                y: Double(corner.y) + _featmapLabelOffset.y, style: _featmapLabelStyle)
            guard let bounds else { continue }
            for later in (index + 1)..<shown.count {
                let corner = origin(later)
                let overlaps = bounds.x < Double(corner.x + plan.width) && bounds.x + bounds.width > Double(corner.x)
                    && bounds.y < Double(corner.y + plan.height) && bounds.y + bounds.height > Double(corner.y)
                let repainted = !overlaps || output.pixels.withUnsafeMutableBufferPointer {
                    pipeline.repaintCell(later, shown: shown, columns: arrangement.columns, in: $0)
                }
                guard repainted else { return nil }
            }
        }
        blackenLabelSpills(in: &output, drawnCells: shown.count, plan: plan)
        return output
    }

    /// Label spills into the empty cells are solid black in MMEngine: its figure has no background, so the
    /// canvas there is transparent white, and Agg blending black text into a pixel of alpha 0 gives black with
    /// alpha = coverage; dropping alpha leaves black wherever any glyph coverage fell.
    private func blackenLabelSpills(in output: inout Image, drawnCells: Int, plan: _FeatmapPlan) {
        let cells = arrangement.rows * arrangement.columns
        guard drawnCells < cells else { return }
        let width = output.width
        output.pixels.withUnsafeMutableBufferPointer { pixels in
            for index in drawnCells..<cells {
                let (row, column) = index.quotientAndRemainder(dividingBy: arrangement.columns)
                for y in (row * plan.height)..<((row + 1) * plan.height) {
                    for x in (column * plan.width)..<((column + 1) * plan.width) {
                        let offset = (y * width + x) * 3
                        if pixels[offset] != 255 || pixels[offset + 1] != 255 || pixels[offset + 2] != 255 {
                            (pixels[offset], pixels[offset + 1], pixels[offset + 2]) = (0, 0, 0)
                        }
                    }
                }
            }
        }
    }
}
