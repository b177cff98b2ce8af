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
    /// colour's luma (ITU-R BT.601).
    public mutating func composite(_ mask: CoverageMask, color: Color, opacity: Double = 1) {
        let strength = Double(color.alpha) / 255 * min(max(opacity, 0), 1)
        guard strength > 0, mask.width > 0, mask.height > 0 else { return }
        let x0 = max(mask.originX, 0)
        let y0 = max(mask.originY, 0)
        let x1 = min(mask.originX + mask.width, width)
        let y1 = min(mask.originY + mask.height, height)
        guard x0 < x1, y0 < y1 else { return }
        // Fixed point: scale = coverage · strength in 0...65536 keeps the per-sample work integer.
        let strengthFixed = Int((strength * 65536 / 255).rounded())
        let source: [Int]
        switch layout {
        case .gray:
            let luma: Double = 0.299 * Double(color.red) + 0.587 * Double(color.green) + 0.114 * Double(color.blue)
            source = [Int(luma.rounded())]
        case .rgb, .rgba:
            source = [Int(color.red), Int(color.green), Int(color.blue)]
        }
        let channels = layout.channels
        let imageWidth = width
        pixels.withUnsafeMutableBufferPointer { buffer in
            mask.coverage.withUnsafeBufferPointer { cover in
                for y in y0..<y1 {
                    let maskRow = (y - mask.originY) * mask.width - mask.originX
                    var index = (y * imageWidth + x0) * channels
                    for x in x0..<x1 {
                        let c = Int(cover[maskRow + x])
                        if c != 0 {
                            let a = c * strengthFixed  // 0...65536
                            for k in 0..<source.count {
                                let d = Int(buffer[index + k])
                                buffer[index + k] = UInt8(truncatingIfNeeded: d + (((source[k] - d) * a + 32768) >> 16))
                            }
                            if channels == 4 {
                                let d = Int(buffer[index + 3])
                                buffer[index + 3] = UInt8(truncatingIfNeeded: d + (((255 - d) * a + 32768) >> 16))
                            }
                        }
                        index += channels
                    }
                }
            }
        }
    }
}
