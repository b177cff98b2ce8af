import Foundation

/// The numeric part of MMEngine's `draw_featmap` and `convert_overlay_heatmap`, for the `Visualization` module:
/// resizing, channel reduction and ranking, normalisation, colouring and blending, each reproducing PyTorch's,
/// OpenCV's and NumPy's arithmetic to the bit.
///
/// This is the only way into the feature-map kernels. Everything behind it (the bilinear resize, the channel
/// sums, the C row kernels and their Swift twins) is internal to VisCore, where the compiler specialises it for
/// `Float` and `Double`. Arguments are checked by the caller; this type only reports values that are not finite
/// (`nil` results), which a finite map can still produce by overflowing when it is averaged or resized.
package struct FeatmapPipeline: Sendable {
    /// Whether the C row kernels run on this CPU (x86-64 with AVX2 and FMA, or AArch64) rather than their
    /// portable Swift twins; `VIS_PORTABLE_KERNELS=1` forces the twins.
    package static var vectorKernelsAvailable: Bool { _VectorKernels.available }

    /// The flat index of the first NaN or infinite value of `map`, or `nil` when every value is finite (always,
    /// for integer dtypes).
    package static func firstNonFiniteIndex(in map: NDArray) -> Int? {
        switch map.storage {
        case .float32(let values):
            // The vector range check first: finite maps (the rule) are then not searched one value at a time.
            let finite = values.withUnsafeBufferPointer { _MinMaxNormalizer<Float>._finiteRange($0) != nil }
            return finite ? nil : values.firstIndex { !$0.isFinite }
        case .float64(let values):
            return values.firstIndex { !$0.isFinite }
        default:
            return nil
        }
    }

    /// `convert_overlay_heatmap` of `map` (1 or 3 planes of `height`×`width`, any numeric dtype): normalised,
    /// coloured with `colormap` and blended over `image` (RGB, `height`×`width`) with weight `alpha`; `nil` when
    /// a value is NaN or infinite.
    package static func heatmap(
        _ map: NDArray, planes: Int, height: Int, width: Int, image: Image?, alpha: Double, colormap: Colormap
    ) throws -> Image? {
        let painter = _Heatmap.Painter(image: image, alpha: alpha, colormap: colormap)
        if case .float64(let values) = map.storage {
            return try _FeatmapComputation.heatmap(values, planes: planes, height: height, width: width, painter: painter)
        }
        return try _FeatmapComputation.heatmap(
            map.toFloat32(), planes: planes, height: height, width: width, painter: painter)
    }

    private enum Precision: Sendable {
        case float(_FeatmapComputation<Float>)
        case double(_FeatmapComputation<Double>)
    }

    private let precision: Precision

    /// The pipeline of one `draw_featmap` call: `featmap` (C×H×W, any numeric dtype; `float64` is computed in
    /// `Double`, everything else in `Float`) drawn at `outHeight`×`outWidth` over `image` (RGB of that size, or
    /// `nil`) with weight `alpha`.
    package init(featmap: NDArray, outHeight: Int, outWidth: Int, image: Image?, alpha: Double, colormap: Colormap) {
        let painter = _Heatmap.Painter(image: image, alpha: alpha, colormap: colormap)
        let (channels, height, width) = (featmap.shape[0], featmap.shape[1], featmap.shape[2])
        if case .float64(let values) = featmap.storage {
            precision = .double(_FeatmapComputation(
                planes: values, channels: channels, height: height, width: width, outHeight: outHeight,
                outWidth: outWidth, painter: painter))
        } else {
            precision = .float(_FeatmapComputation(
                planes: featmap.toFloat32(), channels: channels, height: height, width: width, outHeight: outHeight,
                outWidth: outWidth, painter: painter))
        }
    }

    /// `squeeze_mean`: the heatmap of PyTorch's channel mean of the resized map; `nil` when it is not finite.
    package func meanHeatmap() throws -> Image? {
        switch precision {
        case .float(let computation): return try computation.meanHeatmap()
        case .double(let computation): return try computation.meanHeatmap()
        }
    }

    /// Channel indices by the sum of their resized values, largest first (ties: lower index first).
    package func rankedChannels() -> [Int] {
        switch precision {
        case .float(let computation): return computation.rankedChannels()
        case .double(let computation): return computation.rankedChannels()
        }
    }

    /// One heatmap of the resized channels `channels` (one channel, or three normalised jointly and turned into
    /// one intensity by OpenCV's BGR-to-gray weights); `nil` when a resized value is not finite.
    package func heatmap(channels: Range<Int>) throws -> Image? {
        switch precision {
        case .float(let computation): return try computation.heatmap(channels: channels)
        case .double(let computation): return try computation.heatmap(channels: channels)
        }
    }

    /// The pixels of a `rows`×`columns` grid of heatmaps (RGB, row-major cells of the output size): cell `i`
    /// shows channel `shown[i]`, cells beyond `shown` are white. Cells are computed on all cores. `nil` when a
    /// resized channel is not finite.
    package func gridPixels(shown: [Int], rows: Int, columns: Int) -> [UInt8]? {
        switch precision {
        case .float(let computation): return computation.gridPixels(shown: shown, rows: rows, columns: columns)
        case .double(let computation): return computation.gridPixels(shown: shown, rows: rows, columns: columns)
        }
    }

    /// Paints cell `index` of such a grid again (channel `shown[index]`) into `pixels`; `false` when the resized
    /// channel is not finite.
    package func repaintCell(_ index: Int, shown: [Int], columns: Int, in pixels: UnsafeMutableBufferPointer<UInt8>)
        -> Bool
    {
        switch precision {
        case .float(let computation): return computation.repaintCell(index, shown: shown, columns: columns, in: pixels)
        case .double(let computation): return computation.repaintCell(index, shown: shown, columns: columns, in: pixels)
        }
    }
}

/// ``FeatmapPipeline`` in one precision: `Double` for `float64` maps, `Float` for every other dtype.
struct _FeatmapComputation<T: _TorchFloat>: Sendable {
    /// C planes of `height`×`width`, row-major.
    let planes: [T]
    let channels: Int
    let height: Int
    let width: Int
    /// The size each heatmap is drawn at.
    let outHeight: Int
    let outWidth: Int
    let painter: _Heatmap.Painter

    /// One heatmap of `planes` (1 or 3) planes of `height`×`width`; `nil` when a value is not finite.
    static func heatmap(_ values: [T], planes: Int, height: Int, width: Int, painter: _Heatmap.Painter) throws -> Image? {
        // One plane is checked while its range is found; three are normalised jointly, so checked here.
        if planes == 3, !values.allSatisfy({ $0.isFinite }) { return nil }
        return try _Heatmap.render(values, planes: planes, height: height, width: width, painter: painter)
    }

    func meanHeatmap() throws -> Image? {
        let mean = _FeatmapReduction.channelMeanForHeatmap(
            planes, channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
        return try Self.heatmap(mean, planes: 1, height: outHeight, width: outWidth, painter: painter)
    }

    func rankedChannels() -> [Int] {
        _FeatmapReduction.ranked(_FeatmapReduction.resizedChannelSums(
            planes, channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth))
    }

    /// The channels `range`, resized to the output size as PyTorch resizes them within the whole map.
    func heatmap(channels range: Range<Int>) throws -> Image? {
        let resized = planes.withUnsafeBufferPointer { input in range.flatMap { resize.resized(input, channel: $0) } }
        return try Self.heatmap(resized, planes: range.count, height: outHeight, width: outWidth, painter: painter)
    }

    var resize: _TorchBilinear<T> {
        _TorchBilinear(channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
    }

    func gridPixels(shown: [Int], rows: Int, columns: Int) -> [UInt8]? {
        let cell = _GridCell(
            planes: planes, shown: shown, resize: resize, painter: painter, columns: columns,
            outputWidth: outWidth * columns)
        let outputHeight = outHeight * rows
        let finite = LockedValue(true)
        let pixels = [UInt8](unsafeUninitializedCapacity: cell.outputWidth * outputHeight * 3) { output, initialized in
            let target = _SharedPointer(output)
            // Each worker paints every `workers`-th cell, reusing one resized plane (fresh planes cost page faults).
            let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, shown.count))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var plane = _GridCell<T>.Plane(cell: cell)
                for index in stride(from: worker, to: shown.count, by: workers) where !cell.paint(index, into: target.value, plane: &plane) {
                    finite.withLock { $0 = false }
                }
            }
            // Cells beyond the channels drawn are white.
            for index in shown.count..<(rows * columns) {
                let origin = cell.origin(index)
                for row in origin.y..<(origin.y + outHeight) {
                    let start = (row * cell.outputWidth + origin.x) * 3
                    UnsafeMutableBufferPointer(rebasing: output[start..<(start + outWidth * 3)]).initialize(repeating: 255)
                }
            }
            initialized = cell.outputWidth * outputHeight * 3
        }
        return finite.withLock { $0 } ? pixels : nil
    }

    func repaintCell(_ index: Int, shown: [Int], columns: Int, in pixels: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        let cell = _GridCell(
            planes: planes, shown: shown, resize: resize, painter: painter, columns: columns,
            outputWidth: outWidth * columns)
        var plane = _GridCell<T>.Plane(cell: cell)
        return cell.paint(index, into: pixels, plane: &plane)
    }
}

/// One cell of the top-k grid: the resized channel's heatmap painted into the grid's pixels.
private struct _GridCell<T: _TorchFloat>: Sendable {
    let planes: [T]
    let shown: [Int]
    let resize: _TorchBilinear<T>
    let painter: _Heatmap.Painter
    let columns: Int
    /// Pixels per row of the grid.
    let outputWidth: Int

    /// The top-left pixel of cell `index` (row-major).
    func origin(_ index: Int) -> (x: Int, y: Int) {
        let (row, column) = index.quotientAndRemainder(dividingBy: columns)
        return (column * resize.outWidth, row * resize.outHeight)
    }

    /// A worker's buffers: the interpolated source rows of one channel for PyTorch's generic kernel with the
    /// vector kernels (each output row is computed twice, for the range and for the levels, which only hardware
    /// FMA makes cheaper than storing the plane); otherwise one resized channel and the resize's scratch rows.
    struct Plane {
        var rows: _TorchBilinearRows<T>?
        var values: [T]
        var scratch: _TorchBilinearScratch<T>

        init(cell: _GridCell) {
            let (height, width) = (cell.resize.outHeight, cell.resize.outWidth)
            rows = T.self == Float.self && _VectorKernels.available ? _TorchBilinearRows(resize: cell.resize) : nil
            values = rows == nil ? [T](repeating: 0, count: height * width) : []
            scratch = _TorchBilinearScratch(width: rows == nil ? width : 0)
        }
    }

    /// Paints cell `index` (channel `shown[index]`) into the grid `output`, resizing it into `plane`; `false` when
    /// the resized channel is not finite.
    func paint(_ index: Int, into output: UnsafeMutableBufferPointer<UInt8>, plane: inout Plane) -> Bool {
        let corner = origin(index)
        let (height, width) = (resize.outHeight, resize.outWidth)
        if var rows = plane.rows {
            // Taken out of `plane` while loaded, so that the buffer is not copied.
            plane.rows = nil
            defer { plane.rows = rows }
            planes.withUnsafeBufferPointer { rows.load($0, channel: shown[index]) }
            guard let range = rows.finiteRange(rows: 0..<height) else { return false }
            let source = _ResizedRows(rows: rows, normalizer: _MinMaxNormalizer(minimum: range.minimum, maximum: range.maximum))
            painter.paint(source, width: width, height: height, into: output, outputWidth: outputWidth, at: corner)
            return true
        }
        planes.withUnsafeBufferPointer { input in
            plane.values.withUnsafeMutableBufferPointer { values in
                resize.fill(input, channel: shown[index], rows: 0..<height, into: values, scratch: &plane.scratch)
            }
        }
        return plane.values.withUnsafeBufferPointer { values in
            guard let plane = _NormalizedPlane(finite: values) else { return false }
            painter.paint(plane, width: width, height: height, into: output, outputWidth: outputWidth, at: corner)
            return true
        }
    }
}
