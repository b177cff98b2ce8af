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
