import VisCore

/// Source-over blending of one colour into pixel runs: the single place where drawn pixels change.
///
/// Fixed point: a pixel covered by `coverage` (0...255) moves towards the colour by
/// `a = coverage · strength / 255` in 0...65536 units (`strength` = colour alpha × opacity in 0...65536), as
/// `d + ((s − d)·a + 2^15) >> 16`. A fully covered pixel of an opaque colour (`a` = 65536) is simply set.
struct _SpanBlender {
    let channels: Int
    let red: Int
    let green: Int
    let blue: Int
    let gray: Int
    /// Colour alpha × opacity in 0...65536.
    let strength: Int

    /// Nil when the colour or opacity makes the draw invisible.
    init?(color: Color, opacity: Double, layout: PixelLayout) {
        let clamped = opacity.isNaN ? 0 : min(max(opacity, 0), 1)
        let strength = Int((Double(color.alpha) / 255 * clamped * 65536).rounded())
        guard strength > 0 else { return nil }
        self.strength = strength
        self.channels = layout.channels
        self.red = Int(color.red)
        self.green = Int(color.green)
        self.blue = Int(color.blue)
        // ITU-R BT.601 luma for gray targets.
        let luma: Double = 0.299 * Double(color.red) + 0.587 * Double(color.green) + 0.114 * Double(color.blue)
        self.gray = Int(luma.rounded())
    }

    /// The blend weight (0...65536) of a pixel with 8-bit coverage.
    @inline(__always)
    func weight(coverage: Int) -> Int {
        (coverage * strength + 127) / 255
    }

    /// The blend weight of a pixel with coverage in 0...1, rounded to 8 bits first so that every path that
    /// composites (masks, spans, rectangles) gives the same pixels for the same coverage.
    @inline(__always)
    func weight(coverage: Float) -> Int {
        weight(coverage: Int(coverage * 255 + 0.5))
    }

    /// Blends `count` pixels starting at `pixel` with one weight.
    @inline(__always)
    func blend(_ pixel: UnsafeMutablePointer<UInt8>, count: Int, weight a: Int) {
        guard a > 0, count > 0 else { return }
        var p = pixel
        switch channels {
        case 3:
            if a >= 65536 {
                let r = UInt8(truncatingIfNeeded: red)
                let g = UInt8(truncatingIfNeeded: green)
                let b = UInt8(truncatingIfNeeded: blue)
                for _ in 0..<count {
                    p[0] = r
                    p[1] = g
                    p[2] = b
                    p += 3
                }
            } else {
                for _ in 0..<count {
                    p[0] = _mix(p[0], red, a)
                    p[1] = _mix(p[1], green, a)
                    p[2] = _mix(p[2], blue, a)
                    p += 3
                }
            }
        case 4:
            if a >= 65536 {
                let r = UInt8(truncatingIfNeeded: red)
                let g = UInt8(truncatingIfNeeded: green)
                let b = UInt8(truncatingIfNeeded: blue)
                for _ in 0..<count {
                    p[0] = r
                    p[1] = g
                    p[2] = b
                    p[3] = 255
                    p += 4
                }
            } else {
                for _ in 0..<count {
                    p[0] = _mix(p[0], red, a)
                    p[1] = _mix(p[1], green, a)
                    p[2] = _mix(p[2], blue, a)
                    // Straight alpha: αout = αs + αd·(1 − αs).
                    p[3] = _mix(p[3], 255, a)
                    p += 4
                }
            }
        default:
            if a >= 65536 {
                p.update(repeating: UInt8(truncatingIfNeeded: gray), count: count)
            } else {
                for index in 0..<count { p[index] = _mix(p[index], gray, a) }
            }
        }
    }
}

@inline(__always)
private func _mix(_ destination: UInt8, _ source: Int, _ weight: Int) -> UInt8 {
    let d = Int(destination)
    return UInt8(truncatingIfNeeded: d + (((source - d) * weight + 32768) >> 16))
}

/// Sends rasterizer runs to an image's pixels through a blender.
struct _ImageSink: _CoverageSink {
    let pixels: UnsafeMutablePointer<UInt8>
    let rowStride: Int
    let blender: _SpanBlender

    @inline(__always)
    mutating func span(y: Int, x: Int, count: Int, coverage: Float) {
        blender.blend(
            pixels + y * rowStride + x * blender.channels, count: count, weight: blender.weight(coverage: coverage))
    }
}

/// Collects rasterizer runs into a ``CoverageMask`` (8-bit, rounded).
struct _MaskSink: _CoverageSink {
    var mask: CoverageMask
    /// A factor on every coverage value (hairline and fine-dash strength).
    var scale: Float = 1

    mutating func span(y: Int, x: Int, count: Int, coverage: Float) {
        let value = UInt8(min(max(coverage * scale * 255 + 0.5, 0), 255))
        let start = (y - mask.originY) * mask.width + (x - mask.originX)
        for index in start..<(start + count) { mask.coverage[index] = value }
    }
}

/// Collects rasterizer runs as unquantized coverage (tests of exact area use it).
struct _FloatCoverageSink: _CoverageSink {
    let width: Int
    var coverage: [Float]

    mutating func span(y: Int, x: Int, count: Int, coverage value: Float) {
        let start = y * width + x
        for index in start..<(start + count) { coverage[index] = value }
    }
}
