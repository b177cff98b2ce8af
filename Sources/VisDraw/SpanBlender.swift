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
    /// The pixel's bytes repeated over 48 bytes (see ``blendVector(_:count:weight:)``).
    let pattern: (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>)

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
        // Gray targets get the colour's luma, the rule of `Image.converted(to: .gray)`.
        self.gray = Int(color.luma)
        let (r, g, b) = (color.red, color.green, color.blue)
        switch layout.channels {
        case 3: pattern = _colorPattern(SIMD4(r, g, b, 0), channels: 3)
        case 4: pattern = _colorPattern(SIMD4(r, g, b, 255), channels: 4)
        default: pattern = _colorPattern(SIMD4(repeating: UInt8(truncatingIfNeeded: gray)), channels: 1)
        }
    }

    /// The blend weight (0...65536) of a pixel with 8-bit coverage.
    @inline(__always)
    func weight(coverage: Int) -> Int {
        (coverage &* strength &+ 127) / 255
    }

    /// The blend weight of a pixel with coverage in 0...1, rounded to 8 bits first so that every path that
    /// composites (masks, spans, rectangles) gives the same pixels for the same coverage.
    @inline(__always)
    func weight(coverage: Float) -> Int {
        weight(coverage: Int(coverage * 255 + 0.5))
    }

    /// Blends `count` pixels starting at `pixel` with one weight: runs of 16 pixels and more go through
    /// ``blendVector(_:count:weight:)``, the rest (and the tail) through ``blendScalar(_:count:weight:)``, its
    /// naive twin (both compute the same integers; tests compare them).
    @inline(__always)
    func blend(_ pixel: UnsafeMutablePointer<UInt8>, count: Int, weight a: Int) {
        guard a > 0, count > 0 else { return }
        if count >= 16 {
            let vectorPixels = count & ~15
            blendVector(pixel, count: vectorPixels, weight: a)
            blendScalar(pixel + vectorPixels * channels, count: count - vectorPixels, weight: a)
        } else {
            blendScalar(pixel, count: count, weight: a)
        }
    }

    /// One pixel at a time.
    @inline(__always)
    func blendScalar(_ pixel: UnsafeMutablePointer<UInt8>, count: Int, weight a: Int) {
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

    /// Sixteen pixels at a time (`count` a multiple of 16): the run's bytes as 16-byte vectors, the colour as
    /// the vectors of its repeating byte pattern (``pattern``; period 3 for RGB, where 48 bytes = 3 vectors hold
    /// 16 pixels).
    ///
    /// The scalar `d + ((s − d)·a + 2^15) >> 16` equals `(d·k + s·a + 2^15) >> 16` with `k = 65536 − a` (both
    /// floor one sum over 65536). Splitting `a` and `k` into bytes (`a = 256·ah + al`) keeps every term in 16-bit
    /// lanes, which baseline x86-64 and ARM multiply natively: with `P = d·kh + s·ah` and `Q = d·kl + s·al`
    /// (each at most 255·256, as `ah + kh ≤ 256` and `al + kl ≤ 256`), the result is `(P + (Q >> 8) + 128) >> 8`
    /// exactly, and `P + (Q >> 8) + 128` stays under 65536.
    func blendVector(_ pixel: UnsafeMutablePointer<UInt8>, count: Int, weight a: Int) {
        guard a > 0, count >= 16 else { return }
        let raw = UnsafeMutableRawPointer(pixel)
        // 16 pixels are 1 (gray), 3 (RGB) or 4 (RGBA) vectors; the pattern repeats every `phases` vectors.
        let phases = channels == 3 ? 3 : 1
        let groups = (count / 16) * channels / phases
        if a >= 65536 {
            var offset = 0
            for _ in 0..<groups {
                raw.storeBytes(of: pattern.0, toByteOffset: offset, as: SIMD16<UInt8>.self)
                if phases == 3 {
                    raw.storeBytes(of: pattern.1, toByteOffset: offset + 16, as: SIMD16<UInt8>.self)
                    raw.storeBytes(of: pattern.2, toByteOffset: offset + 32, as: SIMD16<UInt8>.self)
                }
                offset += 16 * phases
            }
            return
        }
        let keep = 65536 - a
        let keepHigh = SIMD8<UInt16>(repeating: UInt16(keep >> 8))
        let keepLow = SIMD8<UInt16>(repeating: UInt16(keep & 255))
        let (weightHigh, weightLow) = (UInt16(a >> 8), UInt16(a & 255))
        // A 16-byte vector read as eight 16-bit lanes holds the even bytes in the low halves and the odd bytes in
        // the high halves: both blend in place, without widening conversions.
        func sources(_ pattern: SIMD16<UInt8>) -> _LaneSources {
            let lanes = unsafeBitCast(pattern, to: SIMD8<UInt16>.self)
            let even = lanes & 0xFF
            let odd = lanes &>> 8
            return _LaneSources(
                evenHigh: even &* weightHigh, evenLow: even &* weightLow, oddHigh: odd &* weightHigh,
                oddLow: odd &* weightLow)
        }
        let source0 = sources(pattern.0)
        let source1 = sources(pattern.1)
        let source2 = sources(pattern.2)
        @inline(__always)
        func mix(at offset: Int, _ source: _LaneSources) {
            let lanes = raw.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt16>.self)
            let even = lanes & 0xFF
            let odd = lanes &>> 8
            let evenHigh = even &* keepHigh &+ source.evenHigh
            let evenLow = even &* keepLow &+ source.evenLow
            let oddHigh = odd &* keepHigh &+ source.oddHigh
            let oddLow = odd &* keepLow &+ source.oddLow
            let evenMixed = (evenHigh &+ (evenLow &>> 8) &+ 128) &>> 8
            let oddMixed = (oddHigh &+ (oddLow &>> 8) &+ 128) &>> 8
            raw.storeBytes(of: evenMixed | (oddMixed &<< 8), toByteOffset: offset, as: SIMD8<UInt16>.self)
        }
        var offset = 0
        for _ in 0..<groups {
            mix(at: offset, source0)
            if phases == 3 {
                mix(at: offset + 16, source1)
                mix(at: offset + 32, source2)
            }
            offset += 16 * phases
        }
    }

    /// Blends `count` pixels, each with the weight `weights[sample]` of its own mask sample (0...65536), without
    /// branching on the values: weight 0 leaves a pixel, 65536 sets the colour, as
    /// ``blendScalar(_:count:weight:)`` does. For mask compositing at glyph edges, where every pixel differs and
    /// branches would mispredict.
    @inline(__always)
    func blendPixels(
        _ pixel: UnsafeMutablePointer<UInt8>, samples: UnsafePointer<UInt8>, count: Int,
        weights: UnsafeMutableBufferPointer<Int32>
    ) {
        // Locals, not properties: stores through byte pointers could alias the blender, forcing reloads.
        let (r, g, b, luma) = (red, green, blue, gray)
        var p = pixel
        switch channels {
        case 3:
            for index in 0..<count {
                let a = Int(weights[Int(samples[index])])
                p[0] = _mix(p[0], r, a)
                p[1] = _mix(p[1], g, a)
                p[2] = _mix(p[2], b, a)
                p += 3
            }
        case 4:
            for index in 0..<count {
                let a = Int(weights[Int(samples[index])])
                p[0] = _mix(p[0], r, a)
                p[1] = _mix(p[1], g, a)
                p[2] = _mix(p[2], b, a)
                p[3] = _mix(p[3], 255, a)
                p += 4
            }
        default:
            for index in 0..<count { p[index] = _mix(p[index], luma, Int(weights[Int(samples[index])])) }
        }
    }
}

/// The colour's contribution to the even and odd bytes of a vector (see ``_SpanBlender/blendVector(_:count:weight:)``).
private struct _LaneSources {
    var evenHigh: SIMD8<UInt16>
    var evenLow: SIMD8<UInt16>
    var oddHigh: SIMD8<UInt16>
    var oddLow: SIMD8<UInt16>
}

/// The pixel's bytes repeated over three 16-byte vectors: the phases of the RGB pattern (RGBA and gray repeat
/// within one vector, so all three are equal for them).
private func _colorPattern(_ pixel: SIMD4<UInt8>, channels: Int) -> (SIMD16<UInt8>, SIMD16<UInt8>, SIMD16<UInt8>) {
    switch channels {
    case 3:
        func rgb(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> SIMD16<UInt8> {
            SIMD16(a, b, c, a, b, c, a, b, c, a, b, c, a, b, c, a)
        }
        // Byte 16 is a green, byte 32 a blue.
        return (rgb(pixel.x, pixel.y, pixel.z), rgb(pixel.y, pixel.z, pixel.x), rgb(pixel.z, pixel.x, pixel.y))
    case 4:
        let half = SIMD8(lowHalf: pixel, highHalf: pixel)
        let vector = SIMD16(lowHalf: half, highHalf: half)
        return (vector, vector, vector)
    default:
        let vector = SIMD16(repeating: pixel.x)
        return (vector, vector, vector)
    }
}

@inline(__always)
private func _mix(_ destination: UInt8, _ source: Int, _ weight: Int) -> UInt8 {
    let d = Int(destination)
    return UInt8(truncatingIfNeeded: d &+ (((source &- d) &* weight &+ 32768) >> 16))
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

    /// The bytes of the rows read ahead (``touchRow(y:x:)``), kept so that the reads are not optimized away.
    var touched: UInt8 = 0

    @inline(__always)
    mutating func touchRow(y: Int, x: Int) {
        touched ^= pixels[y * rowStride + x * blender.channels]
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
