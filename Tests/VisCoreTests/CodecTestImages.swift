import VisCore

/// Deterministic test images shared by the codec and image-operation tests.
enum CodecTestImages {
    /// A `width`×`height` image whose samples mix position and channel, so swapped channels, flipped rows
    /// or shifted columns all change it.
    static func pattern(width: Int, height: Int, layout: PixelLayout, seed: UInt32 = 1) -> Image {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * layout.channels)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<layout.channels {
                    state = state &* 1_664_525 &+ 1_013_904_223
                    let value = (x * 7 + y * 13 + channel * 61) &+ Int(state >> 29)
                    pixels[(y * width + x) * layout.channels + channel] = UInt8(truncatingIfNeeded: value)
                }
            }
        }
        guard let image = try? Image(width: width, height: height, layout: layout, pixels: pixels) else {
            preconditionFailure("the pattern's sample count matches its size by construction")
        }
        return image
    }

    /// A smooth image (gradients, no noise): JPEG reproduces it closely, so round trips can use a tight bound.
    static func smooth(width: Int, height: Int, layout: PixelLayout) throws -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * layout.channels)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<layout.channels {
                    let value = (x * 255 / max(width - 1, 1) * (channel + 1) + y * 255 / max(height - 1, 1)) / (channel + 2)
                    pixels[(y * width + x) * layout.channels + channel] = UInt8(clamping: value)
                }
            }
        }
        return try Image(width: width, height: height, layout: layout, pixels: pixels)
    }

    /// The largest absolute difference between two images' samples.
    static func maximumDifference(_ a: Image, _ b: Image) -> Int {
        zip(a.pixels, b.pixels).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
    }
}
