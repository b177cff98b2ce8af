import CVisKernels
import VisCore

/// Pillow's `ImageEnhance` and `ImageOps` arithmetic on 8-bit images, which torchvision's colour transforms use on
/// PIL images (and so MMSelfSup's pipelines).
public enum PillowEnhance {
    /// `Image.blend(degenerate, image, factor)`: `degenerate + factor·(image − degenerate)` in single precision,
    /// truncated; clipped to 0…255 when `factor` is outside [0, 1] (Pillow's two code paths).
    public static func blend(_ degenerate: [UInt8], _ image: Image, factor: Double) throws -> Image {
        guard degenerate.count == image.pixels.count else {
            throw VisCoreError.invalidArgument(
                argument: "degenerate", expected: "\(image.pixels.count) samples, as the image", actual: "\(degenerate.count)")
        }
        return try degenerate.withUnsafeBufferPointer { low in
            try _blend(image, factor: factor) { low[$0] }
        }
    }

    /// The blend with the degenerate sample at each index given by `degenerate`.
    @inline(__always)
    static func _blend(_ image: Image, factor: Double, degenerate: (Int) -> UInt8) throws -> Image {
        let alpha = Float(factor)
        let interpolating = alpha >= 0 && alpha <= 1
        let count = image.pixels.count
        let pixels = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
            image.pixels.withUnsafeBufferPointer { input in
                for index in 0..<count {
                    let low = degenerate(index)
                    let value = Float(Int(low)) + alpha * Float(Int(input[index]) - Int(low))
                    if interpolating {
                        output[index] = UInt8(value)
                    } else {
                        output[index] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
                    }
                }
            }
            initialized = count
        }
        return try Image(width: image.width, height: image.height, layout: image.layout, pixels: pixels)
    }

    /// The blend of every sample with the constant degenerate sample `low`, in place, through the C kernel on
    /// instruction `path` (a `VIS_RESIZE_*` constant).
    static func _blend(_ image: inout Image, low: UInt8, factor: Double, path: Int32) {
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            vis_pillow_blend_constant_u8(pixels.baseAddress, pixels.count, low, Float(factor), path)
        }
    }

    /// `ImageEnhance.Brightness(image).enhance(factor)`: a blend with black.
    public static func brightness(_ image: Image, factor: Double) throws -> Image {
        var result = image
        _brightness(&result, factor: factor)
        return result
    }

    /// ``brightness(_:factor:)`` in place.
    static func _brightness(_ image: inout Image, factor: Double, path: Int32 = Int32(VIS_RESIZE_BEST)) {
        _blend(&image, low: 0, factor: factor, path: path)
    }

    /// `ImageEnhance.Contrast(image).enhance(factor)`: a blend with the grey of the image's mean luma, rounded.
    public static func contrast(_ image: Image, factor: Double) throws -> Image {
        var result = image
        _contrast(&result, factor: factor)
        return result
    }

    /// ``contrast(_:factor:)`` in place.
    static func _contrast(_ image: inout Image, factor: Double, path: Int32 = Int32(VIS_RESIZE_BEST)) {
        let count = image.width * image.height
        let channels = image.channels
        let total = image.pixels.withUnsafeBufferPointer { pixels -> UInt64 in
            if channels == 1 { return pixels.reduce(0) { $0 + UInt64($1) } }
            return vis_pillow_luma_sum_u8(pixels.baseAddress, count, channels, path)
        }
        let mean = count == 0 ? 0 : Double(total) / Double(count)
        let level = UInt8(Swift.min(Int(mean + 0.5), 255))
        _blend(&image, low: level, factor: factor, path: path)
    }

    /// `ImageEnhance.Color(image).enhance(factor)` (saturation): a blend with the image's luma.
    public static func saturation(_ image: Image, factor: Double) throws -> Image {
        var result = image
        _saturation(&result, factor: factor)
        return result
    }

    /// ``saturation(_:factor:)`` in place: each pixel's colour samples blended with its luma (alpha, which the
    /// converted image keeps, blends with itself); a gray image is its own luma.
    static func _saturation(_ image: inout Image, factor: Double, path: Int32 = Int32(VIS_RESIZE_BEST)) {
        let channels = image.channels
        guard channels >= 3 else { return }
        let count = image.width * image.height
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            vis_pillow_saturation_u8(pixels.baseAddress, count, channels, Float(factor), path)
        }
    }

    /// `ImageOps.solarize(image, threshold)`: samples at or above `threshold` inverted.
    public static func solarize(_ image: Image, threshold: Int) throws -> Image {
        try Image(
            width: image.width, height: image.height, layout: image.layout,
            pixels: image.pixels.map { Int($0) >= threshold ? 255 - $0 : $0 })
    }
}

extension PillowEnhance {
    /// `image.filter(ImageFilter.GaussianBlur(radius: sigma))`: Pillow's approximation of a Gaussian of standard
    /// deviation `sigma` by three box blurs with a fractional radius per direction, horizontal passes first, in
    /// 24-bit fixed point with replicated borders.
    ///
    /// - Throws: `VisCoreError/invalidArgument(argument:expected:actual:)` for a negative or non-finite
    ///   `sigma`.
    public static func gaussianBlur(_ image: Image, sigma: Double) throws -> Image {
        var result = image
        try _gaussianBlur(&result, sigma: sigma)
        return result
    }

    /// ``gaussianBlur(_:sigma:)`` in place, through the C kernel on instruction `path` (a `VIS_RESIZE_*` constant).
    static func _gaussianBlur(_ image: inout Image, sigma: Double, path: Int32 = Int32(VIS_RESIZE_BEST)) throws {
        guard sigma.isFinite, sigma >= 0, sigma <= 1e4 else {
            throw VisCoreError.invalidArgument(argument: "sigma", expected: "a number in 0...10000", actual: "\(sigma)")
        }
        let radius = _boxRadius(Float(sigma), passes: 3)
        guard radius != 0, !image.isEmpty else { return }
        let (whole, ww, fw) = _boxWeights(radius)
        let (width, height, channels) = (image.width, image.height, image.channels)
        // Every scratch byte is written before it is read.
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2 * image.pixels.count)
        defer { scratch.deallocate() }
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            vis_pillow_box_blur_u8(
                pixels.baseAddress, width, height, channels, Int32(whole), ww, fw, scratch.baseAddress, path)
        }
    }

    /// The whole radius and the 24-bit fixed-point weights of the `2r + 1` inner samples (`ww`) and of the two
    /// fractional ones (`fw`) of Pillow's box of radius `radius`.
    static func _boxWeights(_ radius: Float) -> (whole: Int, ww: UInt32, fw: UInt32) {
        let whole = Int(radius)
        let ww = UInt32(Float(1 << 24) / (radius * 2 + 1))
        let fw = (UInt32(1 << 24) &- UInt32(whole * 2 + 1) &* ww) / 2
        return (whole, ww, fw)
    }

    /// The blur in Swift, one line of pixels at a time: the reference the C kernel is checked against.
    static func _gaussianBlurPortable(_ image: Image, sigma: Double) throws -> Image {
        let radius = _boxRadius(Float(sigma), passes: 3)
        guard radius != 0, !image.isEmpty else { return image }
        let channels = image.channels
        var pixels = image.pixels
        let width = image.width
        let height = image.height
        let longest = Swift.max(width, height)
        // One line of pixels, all channels of a pixel in one vector (Pillow also blurs a pixel's bands together).
        var first = [SIMD4<UInt32>](repeating: .zero, count: longest)
        var second = [SIMD4<UInt32>](repeating: .zero, count: longest)
        pixels.withUnsafeMutableBufferPointer { pixels in
            first.withUnsafeMutableBufferPointer { first in
                second.withUnsafeMutableBufferPointer { second in
                    // Rows, three passes each, then columns.
                    for (count, length, stride, lineStride) in [
                        (height, width, channels, width * channels), (width, height, width * channels, channels),
                    ] {
                        for lineIndex in 0..<count {
                            let start = lineIndex * lineStride
                            for i in 0..<length {
                                var pixel = SIMD4<UInt32>.zero
                                for channel in 0..<channels { pixel[channel] = UInt32(pixels[start + i * stride + channel]) }
                                first[i] = pixel
                            }
                            _boxBlurLine(first, into: second, length: length, radius: radius)
                            _boxBlurLine(second, into: first, length: length, radius: radius)
                            _boxBlurLine(first, into: second, length: length, radius: radius)
                            for i in 0..<length {
                                let pixel = second[i]
                                for channel in 0..<channels {
                                    pixels[start + i * stride + channel] = UInt8(truncatingIfNeeded: pixel[channel])
                                }
                            }
                        }
                    }
                }
            }
        }
        return try Image(width: width, height: height, layout: image.layout, pixels: pixels)
    }

    /// Pillow's box radius for a Gaussian of standard deviation `sigma` over `passes` boxes (Gwosdek et al.'s
    /// extended box), in single precision as Pillow computes it.
    static func _boxRadius(_ sigma: Float, passes: Int) -> Float {
        let sigma2 = sigma * sigma / Float(passes)
        let boxLength = Float((12.0 * Double(sigma2) + 1.0).squareRoot())
        let whole = Float((Double(boxLength) - 1.0) / 2.0).rounded(.down)
        var fraction = (2 * whole + 1) * (whole * (whole + 1) - 3 * sigma2)
        fraction /= 6 * (sigma2 - (whole + 1) * (whole + 1))
        return whole + fraction
    }

    /// One pass of Pillow's horizontal box blur over `length` samples: a running sum of `2r + 1` samples weighted
    /// `ww` plus the two next samples weighted `fw` (the fractional part), borders replicated.
    static func _boxBlurLine(
        _ input: UnsafeMutableBufferPointer<SIMD4<UInt32>>, into output: UnsafeMutableBufferPointer<SIMD4<UInt32>>,
        length: Int, radius floatRadius: Float
    ) {
        let (radius, ww, fw) = _boxWeights(floatRadius)
        let last = length - 1
        let edgeA = Swift.min(radius + 1, length)
        let edgeB = Swift.max(length - radius - 1, 0)
        @inline(__always) func at(_ index: Int) -> SIMD4<UInt32> { input[index] }
        var acc = at(0) &* UInt32(radius + 1)
        if edgeA > 1 { for x in 0..<(edgeA - 1) { acc &+= at(x) } }
        acc &+= at(last) &* UInt32(truncatingIfNeeded: radius - edgeA + 1)
        @inline(__always) func step(_ x: Int, subtract: Int, add: Int, left: Int, right: Int) {
            acc = acc &+ at(add) &- at(subtract)
            let bulk = acc &* ww &+ (at(left) &+ at(right)) &* fw
            // Truncated to a byte, as Pillow stores it.
            output[x] = ((bulk &+ (1 << 23)) &>> 24) & 255
        }
        if edgeA <= edgeB {
            for x in 0..<edgeA { step(x, subtract: 0, add: x + radius, left: 0, right: x + radius + 1) }
            for x in edgeA..<edgeB {
                step(x, subtract: x - radius - 1, add: x + radius, left: x - radius - 1, right: x + radius + 1)
            }
            for x in edgeB...last { step(x, subtract: x - radius - 1, add: last, left: x - radius - 1, right: last) }
        } else {
            for x in 0..<edgeB { step(x, subtract: 0, add: x + radius, left: 0, right: x + radius + 1) }
            for x in edgeB..<edgeA { step(x, subtract: 0, add: last, left: 0, right: last) }
            if edgeA <= last {
                for x in edgeA...last { step(x, subtract: x - radius - 1, add: last, left: x - radius - 1, right: last) }
            }
        }
    }
}

extension PillowEnhance {
    /// torchvision's `adjust_hue` on a PIL image: Pillow's RGB → HSV conversion, the hue byte shifted by
    /// `Int(factor·255)` with 8-bit wrap-around, and back. Gray images are returned unchanged.
    ///
    /// - Throws: `VisCoreError/invalidArgument(argument:expected:actual:)` for a factor outside
    ///   [−0.5, 0.5].
    public static func hue(_ image: Image, factor: Double) throws -> Image {
        var result = image
        try _hue(&result, factor: factor)
        return result
    }

    /// ``hue(_:factor:)`` in place, through the C kernel on instruction `path` (a `VIS_RESIZE_*` constant).
    static func _hue(_ image: inout Image, factor: Double, path: Int32 = Int32(VIS_RESIZE_BEST)) throws {
        guard factor >= -0.5, factor <= 0.5 else {
            throw VisCoreError.invalidArgument(argument: "hue", expected: "a factor in -0.5...0.5", actual: "\(factor)")
        }
        guard image.layout != .gray else { return }
        let shift = UInt8(truncatingIfNeeded: Int(factor * 255))
        let (count, channels) = (image.width * image.height, image.channels)
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            vis_pillow_hue_u8(pixels.baseAddress, count, channels, shift, path)
        }
    }

    /// The hue shift in Swift through ``_HueTables``: the reference the C kernel is checked against.
    static func _huePortable(_ image: Image, factor: Double) throws -> Image {
        guard image.layout != .gray else { return image }
        let shift = UInt8(truncatingIfNeeded: Int(factor * 255))
        let channels = image.channels
        let tables = _hueTables
        var pixels = image.pixels
        pixels.withUnsafeMutableBufferPointer { pixels in
            var index = 0
            while index + 2 < pixels.count {
                var (h, s, v) = tables.rgbToHSV(pixels[index], pixels[index + 1], pixels[index + 2])
                h &+= shift
                (pixels[index], pixels[index + 1], pixels[index + 2]) = tables.hsvToRGB(h, s, v)
                index += channels
            }
        }
        return try Image(width: image.width, height: image.height, layout: image.layout, pixels: pixels)
    }
}

/// Pillow's `rgb2hsv_row` and `hsv2rgb`, with their mix of single and double precision, for the hue shift: every
/// division and every product of two bytes' functions is looked up, the same operations done once per pair of
/// bytes instead of once per pixel.
struct _HueTables: Sendable {
    /// `Float(d) / Float(cr)` at `d · 256 + cr`.
    let ratio: [Float]
    /// The saturation byte of (maxc, cr) at `maxc · 256 + cr`.
    let saturation: [UInt8]
    /// `i % 6` for a hue byte.
    let sector: [UInt8]
    /// `1 − fs·f` (q's factor) and `1 − fs·(1 − f)` (t's) at `s · 256 + h`.
    let qFactor: [Double]
    let tFactor: [Double]
    /// p's byte at `s · 256 + v`.
    let p: [UInt8]

    init() {
        var ratio = [Float](repeating: 0, count: 65536)
        var saturation = [UInt8](repeating: 0, count: 65536)
        for a in 0..<256 {
            for b in 1..<256 {
                ratio[a * 256 + b] = Float(a) / Float(b)
                if a > 0 { saturation[a * 256 + b] = _HueTables.truncated(Double(Float(b) / Float(a)) * 255.0) }
            }
        }
        var sector = [UInt8](repeating: 0, count: 256)
        var fraction = [Float](repeating: 0, count: 256)
        for h in 0..<256 {
            let position = Double(Float(h)) * 6.0 / 255.0
            let i = Int(position)
            sector[h] = UInt8(i % 6)
            fraction[h] = Float(position - Double(Float(i)))
        }
        var qFactor = [Double](repeating: 0, count: 65536)
        var tFactor = [Double](repeating: 0, count: 65536)
        var p = [UInt8](repeating: 0, count: 65536)
        for s in 0..<256 {
            let fs = Float(Double(Float(s)) / 255.0)
            for h in 0..<256 {
                let f = fraction[h]
                qFactor[s * 256 + h] = 1.0 - Double(fs * f)
                tFactor[s * 256 + h] = 1.0 - Double(fs * Float(1.0 - Double(f)))
            }
            for v in 0..<256 { p[s * 256 + v] = _HueTables.rounded(Double(Float(v)) * (1.0 - Double(fs))) }
        }
        self.ratio = ratio
        self.saturation = saturation
        self.sector = sector
        self.qFactor = qFactor
        self.tFactor = tFactor
        self.p = p
    }

    /// `int` conversion clamped to a byte (Pillow's `CLIP8` of a truncated value).
    @inline(__always)
    static func truncated(_ value: Double) -> UInt8 { UInt8(Swift.min(Swift.max(Int(value), 0), 255)) }

    /// C's `round` (half away from zero) clamped to a byte, for values in [0, 255]: the part above the integer part
    /// is exact, so no library call is needed.
    @inline(__always)
    static func rounded(_ value: Double) -> UInt8 {
        let whole = Int(value)
        return UInt8(Swift.min(Swift.max(value - Double(whole) >= 0.5 ? whole + 1 : whole, 0), 255))
    }

    @inline(__always)
    func rgbToHSV(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> (UInt8, UInt8, UInt8) {
        let maxc = Swift.max(Swift.max(r, g), b)
        let minc = Swift.min(Swift.min(r, g), b)
        guard maxc != minc else { return (0, 0, maxc) }
        let cr = Int(maxc - minc)
        let quotient = { (d: UInt8) in ratio[Int(maxc - d) * 256 + cr] }
        var h: Float
        if r == maxc {
            h = quotient(b) - quotient(g)
        } else if g == maxc {
            h = Float(2.0 + Double(quotient(r)) - Double(quotient(b)))
        } else {
            h = Float(4.0 + Double(quotient(g)) - Double(quotient(r)))
        }
        // fmod(x, 1) for x in [0, 2), which subtracting the integer part (the floor) gives exactly.
        let turned = Double(h) / 6.0 + 1.0
        h = Float(turned - Double(Int(turned)))
        return (Self.truncated(Double(h) * 255.0), saturation[Int(maxc) * 256 + cr], maxc)
    }

    @inline(__always)
    func hsvToRGB(_ h: UInt8, _ s: UInt8, _ v: UInt8) -> (UInt8, UInt8, UInt8) {
        guard s != 0 else { return (v, v, v) }
        let value = Double(Float(v))
        let key = Int(s) * 256 + Int(h)
        let p = p[Int(s) * 256 + Int(v)]
        let q = Self.rounded(value * qFactor[key])
        let t = Self.rounded(value * tFactor[key])
        switch sector[Int(h)] {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }
}

/// Built on first use (a few milliseconds), shared by every hue shift.
let _hueTables = _HueTables()
