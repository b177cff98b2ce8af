import VisCore

/// A rectangle of anti-aliasing coverage, one byte per pixel (0 = untouched, 255 = fully covered), placed on an
/// image at an integer offset. The rasterizer and the glyph renderer both produce these; compositing them onto
/// an image with a colour is the one place where pixels change.
public struct CoverageMask: Sendable, Equatable {
    /// Column of the mask's left edge in image coordinates (may be negative or beyond the image: clipped on use).
    public var originX: Int
    /// Row of the mask's top edge in image coordinates.
    public var originY: Int
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Coverage samples, row-major, `width * height` long.
    public var coverage: [UInt8]

    /// Creates an empty (all zero) mask.
    public init(originX: Int, originY: Int, width: Int, height: Int) {
        self.originX = originX
        self.originY = originY
        self.width = max(width, 0)
        self.height = max(height, 0)
        self.coverage = [UInt8](repeating: 0, count: self.width * self.height)
    }

    /// Wraps existing coverage samples; returns nil when the count does not match.
    public init?(originX: Int, originY: Int, width: Int, height: Int, coverage: [UInt8]) {
        guard width >= 0, height >= 0, coverage.count == width * height else { return nil }
        self.originX = originX
        self.originY = originY
        self.width = width
        self.height = height
        self.coverage = coverage
    }
}

extension Image {
    /// Composites `color` onto the image through `mask` with source-over blending: each pixel moves towards the
    /// colour by `coverage/255 · color.alpha/255 · opacity`. Pixels outside the image are ignored. On RGBA
    /// images the alpha channel is composited too (`αout = αs + αd·(1 − αs)`); gray images receive the
    /// colour's luma, as ``Image/converted(to:)`` computes it (Pillow's ITU-R BT.601 weights).
    public mutating func composite(_ mask: CoverageMask, color: Color, opacity: Double = 1) {
        _ = _composite(mask, color: color, opacity: opacity)
    }

    /// ``composite(_:color:opacity:)``, returning the bytes it read ahead of blending (each row's first pixel,
    /// so that the rows' cache misses overlap); ``Canvas`` keeps them so that the reads stay in optimized code.
    mutating func _composite(_ mask: CoverageMask, color: Color, opacity: Double) -> UInt8 {
        guard let blender = _SpanBlender(color: color, opacity: opacity, layout: layout) else { return 0 }
        guard mask.width > 0, mask.height > 0 else { return 0 }
        let x0 = max(mask.originX, 0)
        let y0 = max(mask.originY, 0)
        let x1 = min(mask.originX + mask.width, width)
        let y1 = min(mask.originY + mask.height, height)
        guard x0 < x1, y0 < y1 else { return 0 }
        let channels = layout.channels
        let imageWidth = width
        // The weight of every coverage value, looked up per pixel instead of divided out.
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { weights -> UInt8 in
            for value in 0..<256 { weights[value] = Int32(blender.weight(coverage: value)) }
            return pixels.withUnsafeMutableBufferPointer { buffer -> UInt8 in
                mask.coverage.withUnsafeBufferPointer { cover -> UInt8 in
                    guard let base = buffer.baseAddress, let samples = cover.baseAddress else { return 0 }
                    var touched: UInt8 = 0
                    for y in y0..<y1 { touched ^= base[(y * imageWidth + x0) * channels] }
                    for y in y0..<y1 {
                        let maskRow = samples + (y - mask.originY) * mask.width - mask.originX
                        let imageRow = base + y * imageWidth * channels
                        // Uniform stretches of eight samples (empty ones, solid stems, filled shapes) extend into runs
                        // blended together; elsewhere (glyph edges) every pixel blends on its own without branching
                        // on its value, which would mispredict at nearly every pixel.
                        var x = x0
                        while x < x1 {
                            if x + 8 <= x1 {
                                let chunk = UnsafeRawPointer(maskRow + x).loadUnaligned(as: UInt64.self)
                                let value = maskRow[x]
                                if chunk == UInt64(value) &* 0x0101_0101_0101_0101 {
                                    var end = x + 8
                                    while end < x1 && maskRow[end] == value { end += 1 }
                                    if value != 0 {
                                        blender.blend(
                                            imageRow + x * channels, count: end - x, weight: blender.weight(coverage: Int(value)))
                                    }
                                    x = end
                                    continue
                                }
                            }
                            let count = min(8, x1 - x)
                            blender.blendPixels(imageRow + x * channels, samples: maskRow + x, count: count, weights: weights)
                            x += count
                        }
                    }
                    return touched
                }
            }
        }
    }
}
