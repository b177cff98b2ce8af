import CVisKernels
import Foundation

/// How ``Image/resized(width:height:interpolation:)`` samples the source.
public enum ResizeInterpolation: String, Sendable, Hashable, CaseIterable {
    /// OpenCV `INTER_NEAREST`: output pixel `d` copies source pixel `min(floor(d·scale), size−1)`.
    case nearest
    /// OpenCV `INTER_LINEAR` for `uint8`, bit-exact: half-pixel centres, 11-bit fixed-point weights, borders
    /// replicated.
    case bilinear
}

extension Image {
    /// The image resized to `width`×`height`, with OpenCV's results (`cv2.resize(img, (width, height),
    /// interpolation=...)`) to the bit.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `width` or `height` when not
    ///   positive or too large, or `image` when this image is empty.
    public func resized(width: Int, height: Int, interpolation: ResizeInterpolation = .bilinear) throws -> Image {
        try validateResize(width: width, height: height)
        if width == self.width && height == self.height { return self }
        let pixels: [UInt8]
        switch interpolation {
        case .nearest: pixels = _resizeNearest(width: width, height: height)
        case .bilinear: pixels = _resizeLinear(width: width, height: height)
        }
        return Image(_unchecked: width, height: height, layout: layout, pixels: pixels)
    }

    /// OpenCV's scale: `1 / (dst/src)` in double, which is not always `src/dst` to the last bit.
    private static func _openCVScale(source: Int, destination: Int) -> Double {
        1.0 / (Double(destination) / Double(source))
    }

    private func _resizeNearest(width: Int, height: Int) -> [UInt8] {
        let scaleX = Image._openCVScale(source: self.width, destination: width)
        let scaleY = Image._openCVScale(source: self.height, destination: height)
        let channels = self.channels
        let columnOffsets = (0..<width).map { x in
            Swift.min(Int((Double(x) * scaleX).rounded(.down)), self.width - 1) * channels
        }
        let sourceStride = rowStride
        let outputStride = width * channels
        return [UInt8](unsafeUninitializedCapacity: height * outputStride) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                for y in 0..<height {
                    let sourceRow = Swift.min(Int((Double(y) * scaleY).rounded(.down)), self.height - 1) * sourceStride
                    var target = y * outputStride
                    for offset in columnOffsets {
                        for channel in 0..<channels {
                            output[target + channel] = input[sourceRow + offset + channel]
                        }
                        target += channels
                    }
                }
            }
            initialized = height * outputStride
        }
    }

    /// OpenCV's `INTER_LINEAR` on `uint8`: a horizontal pass into 32-bit sums with weights scaled by 2^11, then
    /// a vertical pass with the arithmetic of OpenCV's SIMD kernel (`VResizeLinearVec_32s8u`), which differs
    /// from the textbook `(a·b0 + c·b1 + 2^21) >> 22` by ±1 and is what `cv2.resize` returns on every pixel.
    ///
    /// The vector kernel of `CVisKernels` does the work (SSE4.1/AVX2 or NEON, chosen at run time), on output row
    /// bands resized in parallel when the image is large; `VIS_PORTABLE_KERNELS=1` runs the Swift twin instead.
    func _resizeLinear(width: Int, height: Int) -> [UInt8] {
        if _VectorKernels.portableRequested { return _resizeLinearPortable(width: width, height: height) }
        return _resizeLinearVector(width: width, height: height, path: Int32(VIS_RESIZE_BEST))
            ?? _resizeLinearPortable(width: width, height: height)
    }

    /// The resize through the C kernel on instruction `path` (a `VIS_RESIZE_*` constant), or nil when it ran out
    /// of memory.
    func _resizeLinearVector(width: Int, height: Int, path: Int32) -> [UInt8]? {
        let channels = self.channels
        let columns = _FixedPointTaps(source: self.width, destination: width, clampAtBorders: true)
        let rows = _FixedPointTaps(source: self.height, destination: height, clampAtBorders: false)
        let rowLength = width * channels
        let sourceStride = rowStride
        let sourceWidth = self.width
        let bands = _ResizeBands.count(height: height, rowLength: rowLength)
        let failures = LockedValue(0)
        let pixels = [UInt8](unsafeUninitializedCapacity: height * rowLength) { output, initialized in
            self.pixels.withUnsafeBufferPointer { input in
                let shared = _ResizeTarget(input: input, output: output)
                DispatchQueue.concurrentPerform(iterations: bands) { band in
                    let buffers = shared
                    guard let source = buffers.input.baseAddress, let target = buffers.output.baseAddress else { return }
                    let done = vis_resize_linear_u8(
                        source, sourceStride, sourceWidth, channels, columns.lower, columns.upper, columns.weights,
                        width, rows.lower, rows.upper, rows.weights, height * band / bands, height * (band + 1) / bands,
                        target, rowLength, path)
                    if done == 0 { failures.withLock { $0 += 1 } }
                }
            }
            initialized = height * rowLength
        }
        return failures.withLock { $0 } == 0 ? pixels : nil
    }

    /// The portable twin of the vector kernel: the same arithmetic, one sample at a time, in Swift.
    func _resizeLinearPortable(width: Int, height: Int) -> [UInt8] {
        let channels = self.channels
        let columns = _FixedPointTaps(source: self.width, destination: width, clampAtBorders: true)
        let rows = _FixedPointTaps(source: self.height, destination: height, clampAtBorders: false)
        let rowLength = width * channels
        // Source sample offsets of each output pixel's two neighbours, with their weights.
        var taps = [_LinearTap](repeating: _LinearTap(left: 0, right: 0, alpha0: 0, alpha1: 0), count: width)
        for x in 0..<width {
            taps[x] = _LinearTap(
                left: columns.lower[x] * Int32(channels), right: columns.upper[x] * Int32(channels),
                alpha0: Int32(columns.weights[2 * x]), alpha1: Int32(columns.weights[2 * x + 1]))
        }
        let sourceStride = rowStride
        let bands = _ResizeBands.count(height: height, rowLength: rowLength)
        return [UInt8](unsafeUninitializedCapacity: height * rowLength) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                taps.withUnsafeBufferPointer { taps in
                    let shared = _ResizeBuffers(input: input, taps: taps, output: output)
                    DispatchQueue.concurrentPerform(iterations: bands) { band in
                        let buffers = shared
                        var top = [Int32](repeating: 0, count: rowLength)
                        var bottom = [Int32](repeating: 0, count: rowLength)
                        var topRow = -1
                        var bottomRow = -1
                        func horizontal(_ sourceRow: Int, into row: inout [Int32]) {
                            let source = buffers.input.baseAddress.map { $0 + sourceRow * sourceStride }
                            row.withUnsafeMutableBufferPointer { row in
                                guard let source, let target = row.baseAddress else { return }
                                // A constant channel count lets the compiler unroll each pixel's channels.
                                switch channels {
                                case 1: _horizontalPass(source, buffers.taps, target, channels: 1)
                                case 3: _horizontalPass(source, buffers.taps, target, channels: 3)
                                default: _horizontalPass(source, buffers.taps, target, channels: 4)
                                }
                            }
                        }
                        for y in (height * band / bands)..<(height * (band + 1) / bands) {
                            let needed0 = Int(rows.lower[y])
                            let needed1 = Int(rows.upper[y])
                            // Keep a horizontally resized row that this output row needs again.
                            if topRow != needed0 {
                                if bottomRow == needed0 {
                                    swap(&top, &bottom)
                                    swap(&topRow, &bottomRow)
                                } else {
                                    horizontal(needed0, into: &top)
                                    topRow = needed0
                                }
                            }
                            if bottomRow != needed1 {
                                if needed1 == needed0 {
                                    bottom = top
                                } else {
                                    horizontal(needed1, into: &bottom)
                                }
                                bottomRow = needed1
                            }
                            let beta0 = Int32(rows.weights[2 * y])
                            let beta1 = Int32(rows.weights[2 * y + 1])
                            let target = y * rowLength
                            top.withUnsafeBufferPointer { top in
                                bottom.withUnsafeBufferPointer { bottom in
                                    for sample in 0..<rowLength {
                                        let value = ((top[sample] >> 4) &* beta0) >> 16 &+ ((bottom[sample] >> 4) &* beta1) >> 16
                                        let rounded = (value &+ 2) >> 2
                                        // Branch-free clamp to 0...255, so the loop vectorises.
                                        buffers.output[target &+ sample] = UInt8(
                                            truncatingIfNeeded: Swift.min(Swift.max(rounded, 0), 255))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            initialized = height * rowLength
        }
    }
}

/// One horizontally interpolated row: 32-bit sums of the two neighbours' samples times their 2^11-scaled weights
/// (255 · 2048 · 2 fits easily, so wrapping arithmetic only drops the overflow branches).
@inline(__always)
private func _horizontalPass(
    _ source: UnsafePointer<UInt8>, _ taps: UnsafeBufferPointer<_LinearTap>, _ row: UnsafeMutablePointer<Int32>,
    channels: Int
) {
    var target = row
    for tap in taps {
        let left = source + Int(tap.left)
        let right = source + Int(tap.right)
        for channel in 0..<channels {
            target[channel] = Int32(left[channel]) &* tap.alpha0 &+ Int32(right[channel]) &* tap.alpha1
        }
        target += channels
    }
}

/// One output pixel's horizontal taps: its two neighbours' first-sample offsets and their 2^11-scaled weights.
struct _LinearTap {
    var left: Int32
    var right: Int32
    var alpha0: Int32
    var alpha1: Int32
}

/// The buffers of one resize, shared by its parallel bands: they read the input and write disjoint output rows.
struct _ResizeBuffers: @unchecked Sendable {
    let input: UnsafeBufferPointer<UInt8>
    let taps: UnsafeBufferPointer<_LinearTap>
    let output: UnsafeMutableBufferPointer<UInt8>
}

/// The source and output of one vector-kernel resize, shared by its parallel bands as ``_ResizeBuffers`` is.
struct _ResizeTarget: @unchecked Sendable {
    let input: UnsafeBufferPointer<UInt8>
    let output: UnsafeMutableBufferPointer<UInt8>
}

/// How many output row bands a resize runs in parallel: one per core, each of at least 1 MiB of output. A band
/// handed to another core waits for a thread to wake and reads its source rows from a cache further away: with the
/// AVX-512 kernel, 1333×800 → 667×400 RGB (800 KB out) took 0.28–0.29 ms in one band and 0.24–0.34 ms in two.
enum _ResizeBands {
    static func count(height: Int, rowLength: Int) -> Int {
        Swift.max(1, Swift.min(ProcessInfo.processInfo.activeProcessorCount, height, height * rowLength / (1 << 20)))
    }
}

/// OpenCV's per-axis linear coefficients for `uint8`: `f = float((d+0.5)·scale − 0.5)`, `s = floor(f)`, weights
/// `round((1−f')·2048)` and `round(f'·2048)` computed in float. Columns clamp the position at the borders
/// (weight 2048 on the edge pixel); rows keep their fraction and only clamp the row index. Stored as the C kernel
/// takes them (32-bit indexes, the two 16-bit weights of each position in turn), filled in place: at a resize's
/// usual sizes building them costs a tenth of the resize itself otherwise.
struct _FixedPointTaps {
    var lower: [Int32]
    var upper: [Int32]
    /// `weights[2d]` and `weights[2d + 1]`: the weights of `lower[d]` and `upper[d]` (each 0…2048, summing to 2048).
    var weights: [Int16]

    init(source: Int, destination: Int, clampAtBorders: Bool) {
        let scale = 1.0 / (Double(destination) / Double(source))
        var weights = [Int16](repeating: 0, count: 2 * destination)
        var upper = [Int32](repeating: 0, count: destination)
        lower = [Int32](unsafeUninitializedCapacity: destination) { lower, initialized in
            upper.withUnsafeMutableBufferPointer { upper in
                weights.withUnsafeMutableBufferPointer { weights in
                    for index in 0..<destination {
                        var position = Float((Double(index) + 0.5) * scale - 0.5)
                        var start = Int(position.rounded(.down))
                        position -= Float(start)
                        if clampAtBorders {
                            if start < 0 {
                                position = 0
                                start = 0
                            }
                            if start >= source - 1 {
                                position = 0
                                start = source - 1
                            }
                        }
                        lower[index] = Int32(Swift.min(Swift.max(start, 0), source - 1))
                        upper[index] = Int32(Swift.min(Swift.max(start + 1, 0), source - 1))
                        // saturate_cast<short>(float) rounds half to even.
                        weights[2 * index] = Int16(((1 - position) * 2048).rounded(.toNearestOrEven))
                        weights[2 * index + 1] = Int16((position * 2048).rounded(.toNearestOrEven))
                    }
                }
            }
            initialized = destination
        }
        self.upper = upper
        self.weights = weights
    }
}

extension Image {
    /// Checks a resize of this image to `width`×`height` (every resizer's arguments: OpenCV's and Pillow's).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `width` or `height` when not
    ///   positive or too large for an image, or `image` when this image is empty.
    package func validateResize(width: Int, height: Int) throws {
        guard width > 0 else {
            throw VisCoreError.invalidArgument(argument: "width", expected: "a positive integer", actual: "\(width)")
        }
        guard height > 0 else {
            throw VisCoreError.invalidArgument(argument: "height", expected: "a positive integer", actual: "\(height)")
        }
        guard !isEmpty else {
            throw VisCoreError.invalidArgument(
                argument: "image", expected: "a non-empty image to resize", actual: "\(self.width)×\(self.height)")
        }
        try Image.validate(width: width, height: height, layout: layout)
    }
}
