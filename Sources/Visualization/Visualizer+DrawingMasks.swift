import Foundation
import VisCore
import VisDraw

extension Visualizer {
    /// Blends binary masks into the image (MMEngine's `draw_binary_masks`), pixel-exact.
    ///
    /// For each mask in order, every pixel inside it becomes `round((1 − α)·p + α·c)` per channel, computed as
    /// OpenCV's `addWeighted` does for 8-bit images: in single precision as `fma(p, 1 − α, c·α)`, rounded half to
    /// even and saturated. Pixels outside stay unchanged; later masks blend over earlier ones. Everything drawn
    /// before is blended too (MMEngine rasterizes its figure first), and later drawings land on top.
    ///
    /// ```swift
    /// try visualizer.drawBinaryMasks(mask, colors: "b", alphas: 0.5)
    /// ```
    ///
    /// - Parameters:
    ///   - masks: N×H×W or H×W (one mask), matching the image's size, of any element type: non-zero is inside
    ///     (the mask rule of ``InstanceMasks``, MMEngine's cast to `bool`), so `bool`, 0/1 and 0/255 `uint8`
    ///     masks all work. `[[Bool]]` and `[[[Bool]]]` work too.
    ///   - colors: Fill colours; strings are converted as MMEngine's `color_str2rgb` does, **truncating** (`"g"`
    ///     is (0, 127, 0)); `.rgb(color)` gives exact channels.
    ///   - alphas: Blend weights of the colours, 0...1 (default 0.8).
    /// - Returns: The visualizer, for chaining.
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `masks` for a rank other
    ///   than 2 or 3 or a size other than the image's (reported H×W); `colors`/`alphas` for a bad
    ///   colour, an alpha outside 0...1 or a list shorter than the masks (MMEngine silently draws fewer masks
    ///   when `alphas` is short).
    ///
    /// On an RGBA image the colour channels blend and alpha is kept.
    @discardableResult
    public func drawBinaryMasks(
        _ masks: some NDArrayConvertible, colors: PerItem<MaskColor> = "g", alphas: PerItem<Double> = 0.8
    ) throws -> Visualizer {
        guard isMainProcess else { return self }
        let array = try masks.makeNDArray(argument: "masks")
        guard array.rank == 2 || array.rank == 3 else {
            throw VisualizerError.invalidArgument(
                argument: "masks", expected: "an N×H×W or H×W array", actual: "an array of shape \(array.shape)")
        }
        let bits = InstanceMasks._bits(of: array)
        let count = array.rank == 2 ? 1 : array.shape[0]
        let maskHeight = array.shape[array.rank - 2]
        let maskWidth = array.shape[array.rank - 1]
        let colorValues = try colors.values(count: count, argument: "colors").enumerated().map { index, color in
            try color.resolved(argument: "colors[\(index)]")
        }
        let alphaValues = try alphas.values(count: count, argument: "alphas").enumerated().map { index, alpha in
            try _DrawingArguments.alpha(alpha, argument: "alphas[\(index)]")
        }
        return try _drawing { canvas, context in
            guard maskHeight == context.height, maskWidth == context.width else {
                throw VisualizerError.invalidArgument(
                    argument: "masks",
                    expected: "masks of the image's size \(context.height)×\(context.width) (H×W)",
                    actual: "an array of shape \(array.shape)")
            }
            bits.withUnsafeBufferPointer { all in
                let planes = (0..<count).map { _MaskPlane(all, index: $0, width: maskWidth, height: maskHeight) }
                for (index, bounds) in _MaskPlane.bounds(of: planes).enumerated() {
                    guard let bounds else { continue }
                    let table = _MaskBlendTable(color: colorValues[index], alpha: alphaValues[index])
                    canvas.image._blend(planes[index], within: bounds, table: table)
                }
            }
        }
    }

    /// Draws instance masks as the detection visualizer shows them: every mask blended in its colour, in order,
    /// then every mask's outline — its pixels with a 4-neighbour outside the mask or on the image border — in
    /// `outlineColor`, all at `alpha`.
    ///
    /// The pixels are those of ``drawBinaryMasks(_:colors:alphas:)`` with the masks and then with their outline
    /// masks; the bits are read in place and each mask's work stays inside its bounding box, found once (an
    /// empty mask costs one scan and draws nothing, so it is never checked against the image).
    ///
    /// - Throws: ``VisualizerError/invalidArgument(argument:expected:actual:)`` naming `alphas[0]` for an alpha
    ///   outside 0...1 or `masks` for masks of another size than the image, when a mask has a pixel to draw.
    func _drawInstanceMasks(_ masks: InstanceMasks, colors: [Color], outlineColor: Color, alpha: Double) throws {
        guard isMainProcess, masks.count > 0, colors.count >= masks.count else { return }
        try masks.bits.withUnsafeBufferPointer { all in
            let planes = (0..<masks.count).map { _MaskPlane(all, index: $0, width: masks.width, height: masks.height) }
            let drawn = _MaskPlane.bounds(of: planes).enumerated().compactMap { index, bounds in
                bounds.map { (index, $0) }
            }
            guard !drawn.isEmpty else { return }
            let alpha = try _DrawingArguments.alpha(alpha, argument: "alphas[0]")
            let outline = _MaskBlendTable(color: outlineColor, alpha: alpha)
            _ = try _drawing { canvas, context in
                guard masks.height == context.height, masks.width == context.width else {
                    throw VisualizerError.invalidArgument(
                        argument: "masks",
                        expected: "masks of the image's size \(context.height)×\(context.width) (H×W)",
                        actual: "an array of shape \([masks.count, masks.height, masks.width])")
                }
                for (index, bounds) in drawn {
                    let table = _MaskBlendTable(color: colors[index], alpha: alpha)
                    canvas.image._blend(planes[index], within: bounds, table: table)
                }
                for (index, bounds) in drawn {
                    canvas.image._blendOutline(planes[index], within: bounds, table: outline)
                }
            }
        }
    }
}

/// The rows and columns of the smallest rectangle holding a mask's pixels.
typealias _MaskBounds = (rows: ClosedRange<Int>, columns: ClosedRange<Int>)

/// One H×W mask read in place from flat bits (a `Bool` is stored as one byte, 0 or 1).
struct _MaskPlane {
    let bits: UnsafeBufferPointer<Bool>
    let width: Int
    let height: Int

    /// Mask `index` of the N×H×W masks in `all` (which holds at least `index + 1` of them).
    init(_ all: UnsafeBufferPointer<Bool>, index: Int, width: Int, height: Int) {
        let plane = width * height
        self.bits = UnsafeBufferPointer(rebasing: all[(index * plane)..<((index + 1) * plane)])
        self.width = width
        self.height = height
    }

    /// The smallest rectangle holding the mask's pixels, or nil for an empty mask.
    func bounds() -> _MaskBounds? {
        guard let start = bits.baseAddress, bits.count > 0, width > 0 else { return nil }
        let bytes = UnsafeRawPointer(start)
        // memchr runs at memory speed, so an empty mask (detections often come with many) costs one fast scan.
        guard let first = memchr(bytes, 1, bits.count) else { return nil }
        let top = bytes.distance(to: UnsafeRawPointer(first)) / width
        let bottom = (_lastNonZeroByte(bytes, count: bits.count) ?? 0) / width
        var left = width
        var right = -1
        for y in top...bottom {
            let row = bytes + y * width
            // Only the parts of the row outside the columns found so far can widen them.
            if left > 0, let hit = memchr(row, 1, left) {
                left = row.distance(to: UnsafeRawPointer(hit))
            }
            let tail = right + 1
            if tail < width, let last = _lastNonZeroByte(row + tail, count: width - tail) {
                right = tail + last
            }
        }
        // Some row of top...bottom has a pixel, so left <= right.
        return (top...bottom, left...max(right, left))
    }
}

/// The offset of the last non-zero byte of `count` bytes at `bytes`, or nil when all are zero.
func _lastNonZeroByte(_ bytes: UnsafeRawPointer, count: Int) -> Int? {
    var end = count
    // 64 bytes a step (the compiler turns the OR of eight words into vector loads), then 8, then 1.
    while end >= 64 {
        let base = end - 64
        var any: UInt64 = 0
        for word in 0..<8 { any |= bytes.loadUnaligned(fromByteOffset: base + word * 8, as: UInt64.self) }
        if any != 0 { break }
        end = base
    }
    while end >= 8 {
        if bytes.loadUnaligned(fromByteOffset: end - 8, as: UInt64.self) != 0 { break }
        end -= 8
    }
    while end > 0 {
        end -= 1
        if bytes.load(fromByteOffset: end, as: UInt8.self) != 0 { return end }
    }
    return nil
}

extension _MaskPlane {
    /// ``bounds()`` of every plane; on two cores or more when the planes are large, since the scan is
    /// memory-bound and a second core's loads nearly halve it.
    static func bounds(of planes: [_MaskPlane]) -> [_MaskBounds?] {
        let bytes = planes.reduce(0) { $0 + $1.bits.count }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, planes.count, bytes / (1 << 22)))
        guard workers > 1 else { return planes.map { $0.bounds() } }
        let found = LockedValue([_MaskBounds?](repeating: nil, count: planes.count))
        let next = LockedValue(0)
        let shared = _SharedPlanes(planes: planes)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            // Planes are handed out one at a time, so a worker that starts late (a busy core) takes fewer.
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < shared.planes.count else { return }
                let bounds = shared.planes[index].bounds()
                found.withLock { $0[index] = bounds }
            }
        }
        return found.withLock { $0 }
    }
}

/// Mask planes handed to scanning threads; they only read the bits, which outlive the scan.
private struct _SharedPlanes: @unchecked Sendable {
    let planes: [_MaskPlane]
}

/// `addWeighted(p, 1 − α, c, α, 0)` for every 8-bit `p`, per colour channel: the blend of one mask as lookup
/// tables.
struct _MaskBlendTable {
    let red: [UInt8]
    let green: [UInt8]
    let blue: [UInt8]

    init(color: Color, alpha: Double) {
        red = _MaskBlendTable.channel(color.red, alpha: alpha)
        green = _MaskBlendTable.channel(color.green, alpha: alpha)
        blue = _MaskBlendTable.channel(color.blue, alpha: alpha)
    }

    /// OpenCV's `addWeighted` for `uchar`: the weights as `float`, `p·(1−α)` fused onto `c·α`, rounded to nearest
    /// (ties to even) and saturated. Doing it in `Double` would round some pixels differently (at α = 0.3,
    /// p = 0 and c = 95 give 29, not 28).
    static func channel(_ color: UInt8, alpha: Double) -> [UInt8] {
        let weight = Float(alpha)
        let complement = Float(1 - alpha)
        let colorTerm = Float(color) * weight
        return (0...255).map { pixel in
            let value = colorTerm.addingProduct(Float(pixel), complement).rounded(.toNearestOrEven)
            return UInt8(min(max(value, 0), 255))
        }
    }
}

extension Image {
    /// Blends the colour channels of the pixels inside `mask` (which must have the image's size), looking only
    /// within `bounds`.
    mutating func _blend(_ mask: _MaskPlane, within bounds: _MaskBounds, table: _MaskBlendTable) {
        _blending(mask, within: bounds, table: table) { flags, width, blend in
            let (first, last) = (bounds.columns.lowerBound, bounds.columns.upperBound)
            for y in bounds.rows {
                let row = y * width
                var x = first
                // Eight flags at a time (bytes 0 or 1, pixel x + k in byte k), one at a time at the end.
                while x + 7 <= last {
                    var inside = flags.word(row + x)
                    while inside != 0 {
                        blend(row + x + inside.trailingZeroBitCount >> 3)
                        inside &= inside - 1
                    }
                    x += 8
                }
                while x <= last {
                    if flags.byte(row + x) != 0 { blend(row + x) }
                    x += 1
                }
            }
        }
    }

    /// Blends the colour channels of the outline of `mask` (its pixels with a 4-neighbour outside it or on the
    /// image border), looking only within `bounds`, the mask's bounding box.
    mutating func _blendOutline(_ mask: _MaskPlane, within bounds: _MaskBounds, table: _MaskBlendTable) {
        let height = mask.height
        _blending(mask, within: bounds, table: table) { flags, width, blend in
            let (first, last) = (bounds.columns.lowerBound, bounds.columns.upperBound)
            for y in bounds.rows {
                let row = y * width
                let innerRow = y > 0 && y < height - 1
                var x = first
                while x <= last {
                    // Eight pixels at a time away from the border, where all four neighbours can be read: a pixel
                    // is on the outline when it is inside and not all its neighbours are.
                    if innerRow, x > 0, x + 8 < width, x + 7 <= last {
                        let inside = flags.word(row + x)
                        if inside != 0 {
                            let neighbours = flags.word(row + x - 1) & flags.word(row + x + 1)
                                & flags.word(row - width + x) & flags.word(row + width + x)
                            var outline = inside & ~neighbours
                            while outline != 0 {
                                blend(row + x + outline.trailingZeroBitCount >> 3)
                                outline &= outline - 1
                            }
                        }
                        x += 8
                        continue
                    }
                    if flags.byte(row + x) != 0 {
                        let interior = innerRow && x > 0 && x < width - 1
                            && flags.byte(row + x - 1) != 0 && flags.byte(row + x + 1) != 0
                            && flags.byte(row - width + x) != 0 && flags.byte(row + width + x) != 0
                        if !interior { blend(row + x) }
                    }
                    x += 1
                }
            }
        }
    }

    /// Runs `body` with the mask's flags, the image width and `blend(pixel)`, which blends the colour channels of
    /// pixel `pixel` (row-major index) with `table`; nothing runs unless the mask has the image's size, `bounds`
    /// lies inside it and the image has colour channels.
    @inline(__always)
    private mutating func _blending(
        _ mask: _MaskPlane, within bounds: _MaskBounds, table: _MaskBlendTable,
        _ body: (_MaskFlags, Int, (Int) -> Void) -> Void
    ) {
        let channels = self.channels
        guard channels >= 3, mask.width == width, mask.height == height,
            bounds.rows.upperBound < height, bounds.columns.upperBound < width,
            let bits = mask.bits.baseAddress
        else {
            // Gray images never reach here: the visualizer replicates them to RGB.
            return
        }
        let flags = _MaskFlags(bytes: UnsafeRawPointer(bits))
        let width = self.width
        table.red.withUnsafeBufferPointer { red in
            table.green.withUnsafeBufferPointer { green in
                table.blue.withUnsafeBufferPointer { blue in
                    pixels.withUnsafeMutableBufferPointer { samples in
                        body(flags, width) { pixel in
                            let base = pixel * channels
                            samples[base] = red[Int(samples[base])]
                            samples[base + 1] = green[Int(samples[base + 1])]
                            samples[base + 2] = blue[Int(samples[base + 2])]
                        }
                    }
                }
            }
        }
    }
}

/// A mask's flags as bytes (a `Bool` is stored as 0 or 1), read one or eight at a time.
struct _MaskFlags {
    let bytes: UnsafeRawPointer

    /// The flag at `offset`.
    @inline(__always)
    func byte(_ offset: Int) -> UInt8 { bytes.load(fromByteOffset: offset, as: UInt8.self) }

    /// The eight flags from `offset` on, the one at `offset + k` in byte `k` (bit `8k`).
    @inline(__always)
    func word(_ offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
