import CVisKernels

extension Image {
    /// The image mirrored left–right (`horizontally`) or top–bottom: what `cv2.flip`, `PIL.ImageOps.mirror`/`flip`
    /// and torchvision's flips return.
    public func flipped(horizontally: Bool) -> Image {
        let rowBytes = width * channels
        let flipped = [UInt8](unsafeUninitializedCapacity: pixels.count) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                if horizontally {
                    vis_mirror_rows_u8(input.baseAddress, output.baseAddress, width, height, channels)
                } else if let source = input.baseAddress, let target = output.baseAddress {
                    for y in 0..<height {
                        (target + y * rowBytes).initialize(from: source + (height - 1 - y) * rowBytes, count: rowBytes)
                    }
                }
            }
            initialized = pixels.count
        }
        var image = self
        image.pixels = flipped
        return image
    }

    /// The `width`×`height` region whose top-left pixel is (`x`, `y`).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `x`, `y`, `width` or
    ///   `height` when the region is not inside the image (an empty region at a valid corner is allowed).
    public func cropped(x: Int, y: Int, width: Int, height: Int) throws -> Image {
        guard (0...self.width).contains(x) else {
            throw VisCoreError.invalidArgument(argument: "x", expected: "a column in 0...\(self.width)", actual: "\(x)")
        }
        guard (0...self.height).contains(y) else {
            throw VisCoreError.invalidArgument(argument: "y", expected: "a row in 0...\(self.height)", actual: "\(y)")
        }
        guard (0...(self.width - x)).contains(width) else {
            throw VisCoreError.invalidArgument(
                argument: "width", expected: "0...\(self.width - x) (the columns right of x = \(x))", actual: "\(width)")
        }
        guard (0...(self.height - y)).contains(height) else {
            throw VisCoreError.invalidArgument(
                argument: "height", expected: "0...\(self.height - y) (the rows below y = \(y))", actual: "\(height)")
        }
        let rowBytes = width * channels
        let sourceStride = rowStride
        let result = [UInt8](unsafeUninitializedCapacity: rowBytes * height) { output, initialized in
            pixels.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let target = output.baseAddress, rowBytes > 0 else { return }
                for row in 0..<height {
                    (target + row * rowBytes).update(from: source + (y + row) * sourceStride + x * channels, count: rowBytes)
                }
            }
            initialized = rowBytes * height
        }
        return Image(_unchecked: width, height: height, layout: layout, pixels: result)
    }

    /// Copies `image` into this image with its top-left pixel at (`x`, `y`), clipped to this image's bounds
    /// (offsets may be negative or past the edges). Samples are replaced, not blended — like Pillow's `paste`
    /// without a mask; an `image` of another layout is converted to this one first (see ``converted(to:)``).
    public mutating func paste(_ image: Image, atX x: Int, y: Int) {
        let source = image.converted(to: layout)
        let left = max(x, 0)
        let top = max(y, 0)
        // Clamp in a way that cannot overflow for extreme offsets.
        let right = x > width ? width : min(width, x &+ source.width)
        let bottom = y > height ? height : min(height, y &+ source.height)
        guard left < right, top < bottom else { return }
        let sampleCount = channels
        let rowBytes = (right - left) * sampleCount
        let targetStride = rowStride
        let sourceStride = source.rowStride
        source.pixels.withUnsafeBufferPointer { input in
            pixels.withUnsafeMutableBufferPointer { output in
                guard let from = input.baseAddress, let to = output.baseAddress else { return }
                for row in top..<bottom {
                    let sourceStart = (row - y) * sourceStride + (left - x) * sampleCount
                    (to + row * targetStride + left * sampleCount).update(from: from + sourceStart, count: rowBytes)
                }
            }
        }
    }

    /// The images side by side, left to right, `spacing` pixels apart and top-aligned; the gaps and the
    /// space below shorter images are filled with `fill`.
    ///
    /// The result has the richest layout among the inputs (gray < RGB < RGBA), and every image is converted
    /// to it (``converted(to:)``), so mixing a gray heatmap with an RGB photo just works.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `images` for an empty
    ///   list, `spacing` when negative, or `width×height` when the result would be too large.
    public static func hconcat(_ images: [Image], spacing: Int = 0, fill: Color = Color(red: 0, green: 0, blue: 0)) throws -> Image {
        try _concatenate(images, spacing: spacing, fill: fill, horizontally: true)
    }

    /// The images stacked top to bottom, `spacing` pixels apart and left-aligned; gaps and the space right of
    /// narrower images are filled with `fill`. Layouts are unified as in ``hconcat(_:spacing:fill:)``.
    ///
    /// - Throws: as ``hconcat(_:spacing:fill:)``.
    public static func vconcat(_ images: [Image], spacing: Int = 0, fill: Color = Color(red: 0, green: 0, blue: 0)) throws -> Image {
        try _concatenate(images, spacing: spacing, fill: fill, horizontally: false)
    }

    private static func _concatenate(_ images: [Image], spacing: Int, fill: Color, horizontally: Bool) throws -> Image {
        guard !images.isEmpty else {
            throw VisCoreError.invalidArgument(argument: "images", expected: "at least one image", actual: "an empty list")
        }
        guard spacing >= 0 else {
            throw VisCoreError.invalidArgument(argument: "spacing", expected: "a non-negative number of pixels", actual: "\(spacing)")
        }
        let layout = images.map(\.layout).max { $0.channels < $1.channels } ?? .rgb
        var along = 0
        var across = 0
        for (index, image) in images.enumerated() {
            let extent = horizontally ? image.width : image.height
            let (withImage, overflow1) = along.addingReportingOverflow(extent)
            let (withGap, overflow2) = withImage.addingReportingOverflow(index > 0 ? spacing : 0)
            guard !overflow1, !overflow2 else {
                throw VisCoreError.invalidArgument(
                    argument: "width×height", expected: "at most \(maximumSampleCount) samples", actual: "an overflowing size")
            }
            along = withGap
            across = max(across, horizontally ? image.height : image.width)
        }
        var result = try horizontally
            ? Image(width: along, height: across, layout: layout, fill: fill.samples(for: layout))
            : Image(width: across, height: along, layout: layout, fill: fill.samples(for: layout))
        var offset = 0
        for image in images {
            if horizontally {
                result.paste(image, atX: offset, y: 0)
                offset += image.width + spacing
            } else {
                result.paste(image, atX: 0, y: offset)
                offset += image.height + spacing
            }
        }
        return result
    }
}
