extension Image {
    /// The image with its pixels converted to `layout`.
    ///
    /// - gray → RGB / RGBA replicates the gray sample (alpha 255).
    /// - RGB / RGBA → gray uses the ITU-R BT.601 luma weights exactly as Pillow's `convert("L")` does:
    ///   `L = (R·19595 + G·38470 + B·7471 + 32768) >> 16`, the fixed-point form of
    ///   `R·299/1000 + G·587/1000 + B·114/1000` rounded to nearest. Alpha is ignored, as in Pillow.
    /// - RGBA → RGB drops alpha (the colour samples are kept as they are); use ``flattened(over:)`` to
    ///   composite over a background instead.
    /// - RGB → RGBA adds alpha 255.
    ///
    /// Converting to the image's own layout returns it unchanged.
    public func converted(to layout: PixelLayout) -> Image {
        guard layout != self.layout else { return self }
        let count = width * height
        let sourceChannels = channels
        let targetChannels = layout.channels
        let result = [UInt8](unsafeUninitializedCapacity: count * targetChannels) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                switch (self.layout, layout) {
                case (.gray, _):
                    for index in 0..<count {
                        let value = input[index]
                        let base = index * targetChannels
                        output[base] = value
                        output[base + 1] = value
                        output[base + 2] = value
                        if targetChannels == 4 { output[base + 3] = 255 }
                    }
                case (_, .gray):
                    for index in 0..<count {
                        let base = index * sourceChannels
                        output[index] = Color.luma(red: input[base], green: input[base + 1], blue: input[base + 2])
                    }
                default:
                    // RGB ↔ RGBA: copy the colour samples, add opaque alpha or drop it.
                    for index in 0..<count {
                        let source = index * sourceChannels
                        let target = index * targetChannels
                        output[target] = input[source]
                        output[target + 1] = input[source + 1]
                        output[target + 2] = input[source + 2]
                        if targetChannels == 4 { output[target + 3] = 255 }
                    }
                }
            }
            initialized = count * targetChannels
        }
        return Image(_unchecked: width, height: height, layout: layout, pixels: result)
    }

    /// An RGB image of this RGBA image composited over an opaque `background` (the background's own alpha
    /// is ignored): `out = (colour·α + background·(255 − α) + 127) / 255` per channel. Gray and RGB images,
    /// which are already opaque, are returned unchanged.
    public func flattened(over background: Color) -> Image {
        guard layout == .rgba else { return self }
        let count = width * height
        let backdrop = [Int(background.red), Int(background.green), Int(background.blue)]
        let result = [UInt8](unsafeUninitializedCapacity: count * 3) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                for index in 0..<count {
                    let alpha = Int(input[index * 4 + 3])
                    for channel in 0..<3 {
                        let colour = Int(input[index * 4 + channel])
                        output[index * 3 + channel] = UInt8((colour * alpha + backdrop[channel] * (255 - alpha) + 127) / 255)
                    }
                }
            }
            initialized = count * 3
        }
        return Image(_unchecked: width, height: height, layout: .rgb, pixels: result)
    }

}

extension Color {
    /// The samples of this colour in `layout`: its luma (``Image/converted(to:)``'s weights) for gray,
    /// red/green/blue for RGB, and red/green/blue/alpha for RGBA.
    public func samples(for layout: PixelLayout) -> [UInt8] {
        switch layout {
        case .gray: return [luma]
        case .rgb: return [red, green, blue]
        case .rgba: return [red, green, blue, alpha]
        }
    }
}
