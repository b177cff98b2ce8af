/// A raster image: `height` rows of `width` pixels with `channels` interleaved `UInt8` samples each, stored
/// contiguously in row-major order (H×W×C, the layout of a NumPy `uint8` image).
///
/// `Image` is a value type with copy-on-write storage: copies are cheap, and mutating a copy never changes the
/// original. Channels are 1 (gray), 3 (RGB) or 4 (RGBA, straight — not premultiplied — alpha).
public struct Image: Sendable, Hashable {
    /// The number of columns.
    public let width: Int
    /// The number of rows.
    public let height: Int
    /// The sample layout of each pixel.
    public let layout: PixelLayout
    /// The samples, row-major, `height * width * channels` long.
    public var pixels: [UInt8]

    /// The number of samples per pixel (1, 3 or 4).
    @inlinable public var channels: Int { layout.channels }
    /// The number of samples in one row.
    @inlinable public var rowStride: Int { width * layout.channels }
    /// `(height, width, channels)`, the NumPy shape of this image.
    public var shape: (height: Int, width: Int, channels: Int) { (height, width, channels) }

    /// The largest number of samples an image may hold (2^31, e.g. 32768×16384 RGBA), a guard against
    /// allocations driven by hostile headers.
    public static let maximumSampleCount = 1 << 31

    /// Creates an image filled with one value per channel.
    ///
    /// - Parameters:
    ///   - width: Columns, at least 0.
    ///   - height: Rows, at least 0.
    ///   - layout: The pixel layout.
    ///   - fill: One sample per channel (`layout.channels` values); the default is black and, for RGBA, opaque.
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` for negative or oversized
    ///   dimensions, or a fill of the wrong length.
    public init(width: Int, height: Int, layout: PixelLayout = .rgb, fill: [UInt8]? = nil) throws {
        try Image.validate(width: width, height: height, layout: layout)
        let value = fill ?? layout.defaultFill
        guard value.count == layout.channels else {
            throw VisCoreError.invalidArgument(
                argument: "fill", expected: "\(layout.channels) values for \(layout)",
                actual: "\(value.count) values")
        }
        self.width = width
        self.height = height
        self.layout = layout
        let count = width * height
        if value.allSatisfy({ $0 == value[0] }) || layout.channels == 1 {
            pixels = [UInt8](repeating: value.first ?? 0, count: count * layout.channels)
        } else {
            var samples = [UInt8](repeating: 0, count: count * layout.channels)
            samples.withUnsafeMutableBufferPointer { buffer in
                var index = 0
                for _ in 0..<count {
                    for sample in value {
                        buffer[index] = sample
                        index += 1
                    }
                }
            }
            pixels = samples
        }
    }

    /// Wraps existing samples (row-major H×W×C).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` when `pixels.count` is not
    ///   `width * height * layout.channels`.
    public init(width: Int, height: Int, layout: PixelLayout, pixels: [UInt8]) throws {
        try Image.validate(width: width, height: height, layout: layout)
        guard pixels.count == width * height * layout.channels else {
            throw VisCoreError.invalidArgument(
                argument: "pixels", expected: "\(width * height * layout.channels) samples (\(height)×\(width)×\(layout.channels))",
                actual: "\(pixels.count) samples")
        }
        self.width = width
        self.height = height
        self.layout = layout
        self.pixels = pixels
    }

    /// Internal initializer for callers that have already validated sizes.
    @usableFromInline
    init(_unchecked width: Int, height: Int, layout: PixelLayout, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.layout = layout
        self.pixels = pixels
    }

    static func validate(width: Int, height: Int, layout: PixelLayout) throws {
        guard width >= 0 else {
            throw VisCoreError.invalidArgument(argument: "width", expected: "a non-negative integer", actual: "\(width)")
        }
        guard height >= 0 else {
            throw VisCoreError.invalidArgument(argument: "height", expected: "a non-negative integer", actual: "\(height)")
        }
        let (area, overflow1) = width.multipliedReportingOverflow(by: height)
        let (samples, overflow2) = area.multipliedReportingOverflow(by: layout.channels)
        guard !overflow1, !overflow2, samples <= maximumSampleCount else {
            throw VisCoreError.invalidArgument(
                argument: "width×height", expected: "at most \(maximumSampleCount) samples",
                actual: "\(width)×\(height)×\(layout.channels)")
        }
    }

    /// The samples of pixel (`x`, `y`). Reading out of bounds is a programming error (it traps like an array).
    @inlinable
    public subscript(x: Int, y: Int) -> ArraySlice<UInt8> {
        let start = (y * width + x) * layout.channels
        return pixels[start..<(start + layout.channels)]
    }

    /// Sample `channel` of pixel (`x`, `y`).
    @inlinable
    public subscript(x: Int, y: Int, channel: Int) -> UInt8 {
        get { pixels[(y * width + x) * layout.channels + channel] }
        set { pixels[(y * width + x) * layout.channels + channel] = newValue }
    }

    /// Whether the image has no pixels.
    public var isEmpty: Bool { width == 0 || height == 0 }
}

/// How the samples of one pixel are laid out.
public enum PixelLayout: Int, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// One luminance sample.
    case gray = 1
    /// Red, green, blue.
    case rgb = 3
    /// Red, green, blue, straight alpha.
    case rgba = 4

    /// The number of samples per pixel.
    @inlinable public var channels: Int { rawValue }

    /// Whether the last sample is alpha.
    public var hasAlpha: Bool { self == .rgba }

    /// The layout with `channels` samples per pixel.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` unless `channels` is 1, 3 or 4.
    public init(channels: Int) throws {
        guard let layout = PixelLayout(rawValue: channels) else {
            throw VisCoreError.invalidArgument(
                argument: "channels", expected: "1 (gray), 3 (RGB) or 4 (RGBA)", actual: "\(channels)")
        }
        self = layout
    }

    var defaultFill: [UInt8] {
        switch self {
        case .gray: return [0]
        case .rgb: return [0, 0, 0]
        case .rgba: return [0, 0, 0, 255]
        }
    }

    public var description: String {
        switch self {
        case .gray: return "gray"
        case .rgb: return "RGB"
        case .rgba: return "RGBA"
        }
    }
}
