import VisCore

/// Pillow's `ImageEnhance` and `ImageOps` arithmetic on 8-bit images, which torchvision's colour transforms use on
/// PIL images (and so MMSelfSup's pipelines).
public enum PillowEnhance {
    /// `Image.blend(degenerate, image, factor)`: `degenerate + factor·(image − degenerate)` in single precision,
    /// truncated; clipped to 0…255 when `factor` is outside [0, 1] (Pillow's two code paths).
    public static func blend(_ degenerate: [UInt8], _ image: Image, factor: Double) throws -> Image {
        let alpha = Float(factor)
        let interpolating = alpha >= 0 && alpha <= 1
        var pixels = image.pixels
        for index in pixels.indices {
            let low = Float(Int(degenerate[index]))
            let value = low + alpha * Float(Int(image.pixels[index]) - Int(degenerate[index]))
            if interpolating {
                pixels[index] = UInt8(value)
            } else {
                pixels[index] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
            }
        }
        return try Image(width: image.width, height: image.height, layout: image.layout, pixels: pixels)
    }

    /// `ImageEnhance.Brightness(image).enhance(factor)`: a blend with black.
    public static func brightness(_ image: Image, factor: Double) throws -> Image {
        try blend([UInt8](repeating: 0, count: image.pixels.count), image, factor: factor)
    }

    /// `ImageEnhance.Contrast(image).enhance(factor)`: a blend with the grey of the image's mean luma, rounded.
    public static func contrast(_ image: Image, factor: Double) throws -> Image {
        let gray = image.converted(to: .gray).pixels
        let mean = gray.isEmpty ? 0 : Double(gray.reduce(0) { $0 + Int($1) }) / Double(gray.count)
        let level = UInt8(Swift.min(Int(mean + 0.5), 255))
        return try blend([UInt8](repeating: level, count: image.pixels.count), image, factor: factor)
    }

    /// `ImageEnhance.Color(image).enhance(factor)` (saturation): a blend with the image's luma.
    public static func saturation(_ image: Image, factor: Double) throws -> Image {
        try blend(image.converted(to: .gray).converted(to: image.layout).pixels, image, factor: factor)
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
        guard sigma.isFinite, sigma >= 0, sigma <= 1e4 else {
            throw VisCoreError.invalidArgument(argument: "sigma", expected: "a number in 0...10000", actual: "\(sigma)")
        }
        let radius = _boxRadius(Float(sigma), passes: 3)
        guard radius != 0, !image.isEmpty else { return image }
        let channels = image.channels
        var pixels = image.pixels
        let width = image.width
        let height = image.height
        var line = [UInt8](repeating: 0, count: Swift.max(width, height))
        // Rows, three passes each, then columns.
        for (count, length, stride, lineStart) in [
            (height, width, channels, { (index: Int) in index * width * channels }),
            (width, height, width * channels, { (index: Int) in index * channels }),
        ] {
            for lineIndex in 0..<count {
                for channel in 0..<channels {
                    let start = lineStart(lineIndex) + channel
                    for i in 0..<length { line[i] = pixels[start + i * stride] }
                    for _ in 0..<3 { line = _boxBlurLine(line, length: length, radius: radius) }
                    for i in 0..<length { pixels[start + i * stride] = line[i] }
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
    static func _boxBlurLine(_ input: [UInt8], length: Int, radius floatRadius: Float) -> [UInt8] {
        let radius = Int(floatRadius)
        let ww = UInt32(Float(1 << 24) / (floatRadius * 2 + 1))
        let fw = (UInt32(1 << 24) &- UInt32(radius * 2 + 1) &* ww) / 2
        let last = length - 1
        let edgeA = Swift.min(radius + 1, length)
        let edgeB = Swift.max(length - radius - 1, 0)
        var output = input
        let at = { (index: Int) in UInt32(input[index]) }
        var acc = at(0) &* UInt32(radius + 1)
        if edgeA > 1 { for x in 0..<(edgeA - 1) { acc &+= at(x) } }
        acc &+= at(last) &* UInt32(truncatingIfNeeded: radius - edgeA + 1)
        func step(_ x: Int, subtract: Int, add: Int, left: Int, right: Int) {
            acc = acc &+ at(add) &- at(subtract)
            let bulk = acc &* ww &+ (at(left) &+ at(right)) &* fw
            output[x] = UInt8(truncatingIfNeeded: (bulk &+ (1 << 23)) >> 24)
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
        return output
    }
}

extension PillowEnhance {
    /// torchvision's `adjust_hue` on a PIL image: Pillow's RGB → HSV conversion, the hue byte shifted by
    /// `Int(factor·255)` with 8-bit wrap-around, and back. Gray images are returned unchanged.
    ///
    /// - Throws: `VisCoreError/invalidArgument(argument:expected:actual:)` for a factor outside
    ///   [−0.5, 0.5].
    public static func hue(_ image: Image, factor: Double) throws -> Image {
        guard factor >= -0.5, factor <= 0.5 else {
            throw VisCoreError.invalidArgument(argument: "hue", expected: "a factor in -0.5...0.5", actual: "\(factor)")
        }
        guard image.layout != .gray else { return image }
        let shift = UInt8(truncatingIfNeeded: Int(factor * 255))
        let channels = image.channels
        var pixels = image.pixels
        var index = 0
        while index + 2 < pixels.count {
            var (h, s, v) = _rgbToHSV(pixels[index], pixels[index + 1], pixels[index + 2])
            h &+= shift
            (pixels[index], pixels[index + 1], pixels[index + 2]) = _hsvToRGB(h, s, v)
            index += channels
        }
        return try Image(width: image.width, height: image.height, layout: image.layout, pixels: pixels)
    }

    /// Pillow's `rgb2hsv_row`, with its mix of single and double precision.
    static func _rgbToHSV(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> (UInt8, UInt8, UInt8) {
        let maxc = Swift.max(r, g, b)
        let minc = Swift.min(r, g, b)
        guard maxc != minc else { return (0, 0, maxc) }
        let cr = Float(maxc - minc)
        let s = cr / Float(maxc)
        let rc = Float(maxc - r) / cr
        let gc = Float(maxc - g) / cr
        let bc = Float(maxc - b) / cr
        var h: Float
        if r == maxc {
            h = bc - gc
        } else if g == maxc {
            h = Float(2.0 + Double(rc) - Double(bc))
        } else {
            h = Float(4.0 + Double(gc) - Double(rc))
        }
        h = Float((Double(h) / 6.0 + 1.0).truncatingRemainder(dividingBy: 1.0))
        let clip = { (value: Double) in UInt8(Swift.min(Swift.max(Int(value), 0), 255)) }
        return (clip(Double(h) * 255.0), clip(Double(s) * 255.0), maxc)
    }

    /// Pillow's `hsv2rgb`.
    static func _hsvToRGB(_ h: UInt8, _ s: UInt8, _ v: UInt8) -> (UInt8, UInt8, UInt8) {
        guard s != 0 else { return (v, v, v) }
        let position = Double(Float(h)) * 6.0 / 255.0
        let i = Int(position.rounded(.down))
        let f = Float(position - Double(Float(i)))
        let fs = Float(Double(Float(s)) / 255.0)
        let value = Double(Float(v))
        let clip = { (x: Double) in UInt8(Swift.min(Swift.max(Int(x.rounded()), 0), 255)) }
        let p = clip(value * (1.0 - Double(fs)))
        let q = clip(value * (1.0 - Double(fs * f)))
        let t = clip(value * (1.0 - Double(fs * Float(1.0 - Double(f)))))
        switch i % 6 {
        case 0: return (v, t, p)
        case 1: return (q, v, p)
        case 2: return (p, v, t)
        case 3: return (p, q, v)
        case 4: return (t, p, v)
        default: return (v, p, q)
        }
    }
}
