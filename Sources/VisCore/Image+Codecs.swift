import CVisCodecs
import Foundation

/// An encoded image format VisCore reads and writes.
public enum ImageFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// PNG: lossless; gray, RGB and RGBA are written, every PNG colour type and bit depth is read.
    case png
    /// JPEG (JFIF): lossy; gray and RGB are written, baseline and progressive gray/RGB/CMYK are read.
    case jpeg

    /// The format whose signature starts `bytes`, or `nil` when no known signature matches.
    ///
    /// The format is always chosen from the content, never from a file name, so a PNG named `photo.jpg`
    /// still decodes.
    public init?(signatureOf bytes: some Collection<UInt8>) {
        if bytes.starts(with: ImageFormat.pngSignature) {
            self = .png
        } else if bytes.starts(with: ImageFormat.jpegSignature) {
            self = .jpeg
        } else {
            return nil
        }
    }

    /// The format a file name asks for: `.png`, or `.jpg` / `.jpeg` (any case).
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `path` for any other
    ///   extension.
    public init(pathExtensionOf path: String) throws {
        let pathExtension = (path as NSString).pathExtension.lowercased()
        switch pathExtension {
        case "png": self = .png
        case "jpg", "jpeg": self = .jpeg
        default:
            throw VisCoreError.invalidArgument(
                argument: "path", expected: "a file name ending in .png, .jpg or .jpeg",
                actual: "\"\(path)\"")
        }
    }

    public var description: String { self == .png ? "PNG" : "JPEG" }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]
}

extension Image {
    /// Decodes a PNG or JPEG file; the format is chosen by the file's signature, not its extension.
    ///
    /// PNG files of every colour type and bit depth decode to ``PixelLayout/gray`` (gray without
    /// transparency), ``PixelLayout/rgb`` (RGB or palette without transparency) or ``PixelLayout/rgba``
    /// (anything with an alpha channel or a `tRNS` chunk — gray+alpha becomes RGBA, since `Image` has no
    /// gray+alpha layout). 16-bit samples are scaled to 8 bits with rounding. JPEG files decode to gray or
    /// RGB; CMYK and YCCK are converted to RGB like Pillow does (Adobe's inverted CMYK convention, which
    /// Pillow and OpenCV assume for every CMYK JPEG).
    ///
    /// - Throws: ``VisCoreError`` naming `path`: `.io` when the file cannot be read, `.corruptData` for an
    ///   empty, truncated or malformed file, `.unsupportedFormat` when the signature is neither PNG nor JPEG,
    ///   `.tooLarge` when the header declares more than ``Image/maximumSampleCount`` samples.
    public init(contentsOfFile path: String) throws {
        let bytes = try FileIO.read(path)
        self = try Image._decode(bytes, source: path)
    }

    /// Decodes PNG or JPEG bytes, chosen by their signature. Errors name the source `"<bytes>"`.
    ///
    /// - Throws: as ``init(contentsOfFile:)``.
    public init(data: [UInt8]) throws {
        self = try Image._decode(data, source: "<bytes>")
    }

    static func _decode(_ bytes: [UInt8], source: String) throws -> Image {
        guard !bytes.isEmpty else {
            throw VisCoreError.corruptData(source: source, reason: "the data is empty (0 bytes)")
        }
        guard let format = ImageFormat(signatureOf: bytes) else {
            if bytes.count < ImageFormat.pngSignature.count,
                ImageFormat.pngSignature.starts(with: bytes) || ImageFormat.jpegSignature.starts(with: bytes)
            {
                throw VisCoreError.corruptData(
                    source: source, reason: "only \(bytes.count) bytes, shorter than an image signature (truncated)")
            }
            throw VisCoreError.unsupportedFormat(
                source: source, reason: "unknown signature \(_hexPrefix(bytes)); expected PNG or JPEG")
        }
        switch format {
        case .png: return try _PNGCodec.decode(bytes, source: source)
        case .jpeg: return try _JPEGCodec.decode(bytes, source: source)
        }
    }

    private static func _hexPrefix(_ bytes: [UInt8]) -> String {
        bytes.prefix(8).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined(separator: " ")
    }

    /// Encodes the image as PNG (8 bits per sample, gray / RGB / RGBA as its layout).
    ///
    /// - Parameter compression: ``PNGCompression/fast`` (the default: several times faster than zlib's
    ///   level 1, at about its size for photographs) or ``PNGCompression/level(_:)`` for libpng with zlib at a
    ///   level (9 gives the smallest files).
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `compressionLevel` when a
    ///   level is outside 0...9, or naming `image` when the image is empty (PNG cannot store 0 pixels).
    public func pngData(compression: PNGCompression = .fast) throws -> [UInt8] {
        try _PNGCodec.encode(self, compression: compression)
    }

    /// Encodes the image as PNG with libpng and zlib at `compressionLevel`, 0 (stored, fastest) to 9
    /// (smallest); 6 is the default of zlib, Pillow and tensorboardX. Same as `pngData(compression: .level(_:))`.
    ///
    /// - Throws: as ``pngData(compression:)``.
    public func pngData(compressionLevel: Int) throws -> [UInt8] {
        try _PNGCodec.encode(self, compression: .level(compressionLevel))
    }

    /// Encodes the image as PNG and writes it to `path` atomically (a temporary file in the same folder,
    /// renamed over `path`), so a failure never leaves a partial file.
    ///
    /// - Throws: as ``pngData(compression:)``, and ``VisCoreError/io(path:reason:)`` when writing fails.
    public func writePNG(to path: String, compression: PNGCompression = .fast) throws {
        try FileIO.writeAtomically(try pngData(compression: compression), to: path)
    }

    /// Encodes the image as PNG with zlib at `compressionLevel` (0...9) and writes it to `path` atomically.
    ///
    /// - Throws: as ``pngData(compression:)``, and ``VisCoreError/io(path:reason:)`` when writing fails.
    public func writePNG(to path: String, compressionLevel: Int) throws {
        try writePNG(to: path, compression: .level(compressionLevel))
    }

    /// Encodes the image as a baseline JPEG (4:2:0 chroma subsampling for RGB, as Pillow and OpenCV do).
    ///
    /// The bytes are libjpeg-turbo's for these settings (accurate integer DCT). On a large image, when no other
    /// encode or decode is running and a second CPU is usable, the colour conversion and DCT run on a helper
    /// thread while libjpeg entropy-codes the finished rows; the file is the same either way.
    ///
    /// JPEG has no alpha channel, and silently dropping one is a common source of wrong-looking images, so
    /// RGBA images are rejected: call ``converted(to:)`` with `.rgb` (drops alpha) or ``flattened(over:)``
    /// (composites over a background) first.
    ///
    /// - Parameter quality: 1 (smallest) to 100 (best); 95 matches OpenCV's `imwrite` default.
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `quality` when outside
    ///   1...100, or naming `image` for an RGBA or empty image, or one wider or taller than 65500 pixels.
    public func jpegData(quality: Int = 95) throws -> [UInt8] {
        try _JPEGCodec.encode(self, quality: quality)
    }

    /// Encodes the image as JPEG and writes it to `path` atomically.
    ///
    /// - Throws: as ``jpegData(quality:)``, and ``VisCoreError/io(path:reason:)`` when writing fails.
    public func writeJPEG(to path: String, quality: Int = 95) throws {
        try FileIO.writeAtomically(try jpegData(quality: quality), to: path)
    }

    /// Writes the image as PNG or JPEG, chosen by the extension of `path` (`.png`, `.jpg`, `.jpeg`).
    ///
    /// - Parameters:
    ///   - path: The file to write; its extension chooses the format.
    ///   - quality: JPEG quality 1...100, used for `.jpg` / `.jpeg`.
    ///   - compression: PNG compression, used for `.png`; fast by default.
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `path` for another
    ///   extension; otherwise as ``writePNG(to:compression:)`` or ``writeJPEG(to:quality:)``.
    public func write(to path: String, quality: Int = 95, compression: PNGCompression = .fast) throws {
        switch try ImageFormat(pathExtensionOf: path) {
        case .png: try writePNG(to: path, compression: compression)
        case .jpeg: try writeJPEG(to: path, quality: quality)
        }
    }

    /// Writes the image as PNG (zlib at `compressionLevel`, 0...9) or JPEG, chosen by the extension of `path`.
    ///
    /// - Throws: as ``write(to:quality:compression:)``.
    public func write(to path: String, quality: Int = 95, compressionLevel: Int) throws {
        try write(to: path, quality: quality, compression: .level(compressionLevel))
    }

    /// Encodes the image in `format`.
    ///
    /// - Throws: as ``pngData(compression:)`` or ``jpegData(quality:)``.
    public func encoded(as format: ImageFormat, quality: Int = 95, compression: PNGCompression = .fast) throws -> [UInt8] {
        switch format {
        case .png: return try pngData(compression: compression)
        case .jpeg: return try jpegData(quality: quality)
        }
    }

    /// Encodes the image in `format`, PNG with zlib at `compressionLevel` (0...9).
    ///
    /// - Throws: as ``pngData(compression:)`` or ``jpegData(quality:)``.
    public func encoded(as format: ImageFormat, quality: Int = 95, compressionLevel: Int) throws -> [UInt8] {
        try encoded(as: format, quality: quality, compression: .level(compressionLevel))
    }
}

/// How a PNG's pixel data is compressed: for speed, or for size with zlib.
public enum PNGCompression: Sendable, Hashable, CustomStringConvertible {
    /// The fast encoder: one fixed filter per row (Paeth; Sub on the first row), Huffman codes built for the
    /// image with runs of zeros for flat areas, large images in bands on several threads. For photographs
    /// its files are about the size of zlib's level 1, written several times faster; flat drawings compress
    /// well too. The default for logging and for the `vis` command's outputs.
    case fast
    /// libpng with zlib at this level: 0 (stored) to 9 (smallest file, slowest), with libpng's adaptive
    /// per-row filter choice.
    case level(Int)

    public var description: String {
        switch self {
        case .fast: return "fast"
        case .level(let level): return "level \(level)"
        }
    }
}

/// Shared plumbing between Swift and the C codec shims: status mapping and message buffers.
enum _CodecBridge {
    /// Calls `body` with a zeroed message buffer and returns its status and message.
    static func call(_ body: (UnsafeMutablePointer<CChar>, Int) -> cvis_status) -> (cvis_status, String) {
        var message = [CChar](repeating: 0, count: Int(CVIS_MESSAGE_CAPACITY))
        let status = message.withUnsafeMutableBufferPointer { buffer in
            body(buffer.baseAddress!, buffer.count)  // a non-empty array always has a base address
        }
        let text = message.withUnsafeBufferPointer { buffer in
            String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return (status, text)
    }

    /// The typed error for a failed C call on `source`.
    static func error(_ status: cvis_status, message: String, source: String) -> VisCoreError {
        switch status {
        case CVIS_TOO_LARGE: return .tooLarge(source: source, reason: message)
        case CVIS_UNSUPPORTED: return .unsupportedFormat(source: source, reason: message)
        case CVIS_OUT_OF_MEMORY: return .tooLarge(source: source, reason: "out of memory: \(message)")
        case CVIS_INVALID_ARGUMENT: return .invalidArgument(argument: "image", expected: "encodable pixels", actual: message)
        default: return .corruptData(source: source, reason: message)
        }
    }

    /// Decodes with an open/read/close decoder triple into a buffer allocated once at its final size.
    static func decode(
        _ bytes: [UInt8], source: String,
        open: (UnsafePointer<UInt8>, Int, UInt64, UnsafeMutablePointer<OpaquePointer?>,
               UnsafeMutablePointer<cvis_image_info>, UnsafeMutablePointer<CChar>, Int) -> cvis_status,
        read: (OpaquePointer, UnsafeMutablePointer<UInt8>, Int, UnsafeMutablePointer<CChar>, Int) -> cvis_status,
        close: (OpaquePointer) -> Void
    ) throws -> Image {
        try bytes.withUnsafeBufferPointer { input -> Image in
            guard let base = input.baseAddress else {
                throw VisCoreError.corruptData(source: source, reason: "the data is empty (0 bytes)")
            }
            var decoder: OpaquePointer?
            var info = cvis_image_info()
            let (openStatus, openMessage) = call { message, capacity in
                open(base, input.count, UInt64(Image.maximumSampleCount), &decoder, &info, message, capacity)
            }
            guard openStatus == CVIS_OK, let decoder else {
                throw error(openStatus == CVIS_OK ? CVIS_CORRUPT : openStatus, message: openMessage, source: source)
            }
            defer { close(decoder) }
            let layout = try PixelLayout(channels: Int(info.channels))
            let width = Int(info.width)
            let height = Int(info.height)
            let count = width * height * layout.channels
            var failure: VisCoreError?
            let pixels = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
                guard let output = buffer.baseAddress else { return }
                let (status, message) = call { text, capacity in read(decoder, output, count, text, capacity) }
                if status == CVIS_OK {
                    initialized = count
                } else {
                    failure = error(status, message: message, source: source)
                }
            }
            if let failure { throw failure }
            return Image(_unchecked: width, height: height, layout: layout, pixels: pixels)
        }
    }

    /// Encodes `image` straight from its pixel storage and copies the C-allocated result into an array.
    static func encode(
        _ image: Image,
        _ body: (UnsafePointer<UInt8>, UnsafeMutablePointer<cvis_buffer>, UnsafeMutablePointer<CChar>, Int) -> cvis_status
    ) throws -> [UInt8] {
        var output = cvis_buffer()
        defer { cvis_buffer_free(&output) }
        let (status, message) = image.pixels.withUnsafeBufferPointer { pixels in
            call { text, capacity in
                // An empty image was rejected by the caller, so the storage has a base address.
                body(pixels.baseAddress!, &output, text, capacity)
            }
        }
        guard status == CVIS_OK, let data = output.data else {
            throw error(status == CVIS_OK ? CVIS_OUT_OF_MEMORY : status, message: message, source: "<bytes>")
        }
        return [UInt8](UnsafeBufferPointer(start: data, count: output.size))
    }

    /// Rejects images a codec cannot store.
    static func validateEncodable(_ image: Image, format: ImageFormat, maximumSide: Int) throws {
        guard !image.isEmpty, image.width <= maximumSide, image.height <= maximumSide else {
            throw VisCoreError.invalidArgument(
                argument: "image", expected: "1...\(maximumSide) pixels on each side for \(format)",
                actual: "\(image.width)×\(image.height)")
        }
    }
}

enum _PNGCodec {
    static func decode(_ bytes: [UInt8], source: String) throws -> Image {
        // The fast path declines anything unusual or damaged; libpng then gives the verdict.
        if let image = decodeFast(bytes, source: source) { return image }
        return try decodeWithLibpng(bytes, source: source)
    }

    /// The fast path (libdeflate and our unfiltering) for clean 8-bit gray/RGB/RGBA files; `nil` when declined.
    static func decodeFast(_ bytes: [UInt8], source: String) -> Image? {
        try? _CodecBridge.decode(
            bytes, source: source,
            open: { data, size, limit, decoder, info, message, capacity in
                cvis_png_fast_decoder_open(data, size, limit, decoder, info, message, capacity)
            },
            read: { decoder, pixels, capacity, message, messageCapacity in
                cvis_png_fast_decoder_read(decoder, pixels, capacity, message, messageCapacity)
            },
            close: { cvis_png_fast_decoder_close($0) })
    }

    /// libpng's decoder: every PNG, and the errors for damaged ones.
    static func decodeWithLibpng(_ bytes: [UInt8], source: String) throws -> Image {
        try _CodecBridge.decode(
            bytes, source: source,
            open: { data, size, limit, decoder, info, message, capacity in
                cvis_png_decoder_open(data, size, limit, decoder, info, message, capacity)
            },
            read: { decoder, pixels, capacity, message, messageCapacity in
                cvis_png_decoder_read(decoder, pixels, capacity, message, messageCapacity)
            },
            close: { cvis_png_decoder_close($0) })
    }

    static func encode(_ image: Image, compression: PNGCompression) throws -> [UInt8] {
        guard case .level(let compressionLevel) = compression else {
            try _CodecBridge.validateEncodable(image, format: .png, maximumSide: Int(Int32.max))
            return try _CodecBridge.encode(image) { pixels, output, message, capacity in
                cvis_png_encode_fast(
                    pixels, UInt32(image.width), UInt32(image.height), UInt32(image.channels), image.rowStride,
                    output, message, capacity)
            }
        }
        guard (0...9).contains(compressionLevel) else {
            throw VisCoreError.invalidArgument(
                argument: "compressionLevel", expected: "an integer in 0...9", actual: "\(compressionLevel)")
        }
        try _CodecBridge.validateEncodable(image, format: .png, maximumSide: Int(Int32.max))
        return try _CodecBridge.encode(image) { pixels, output, message, capacity in
            cvis_png_encode(
                pixels, UInt32(image.width), UInt32(image.height), UInt32(image.channels), image.rowStride,
                Int32(compressionLevel), output, message, capacity)
        }
    }
}

enum _JPEGCodec {
    /// libjpeg's limit on either side.
    static let maximumSide = 65_500

    static func decode(_ bytes: [UInt8], source: String) throws -> Image {
        try _CodecBridge.decode(
            bytes, source: source,
            open: { data, size, limit, decoder, info, message, capacity in
                cvis_jpeg_decoder_open(data, size, limit, decoder, info, message, capacity)
            },
            read: { decoder, pixels, capacity, message, messageCapacity in
                cvis_jpeg_decoder_read(decoder, pixels, capacity, CVIS_HELPER_WHEN_IDLE, message, messageCapacity)
            },
            close: { cvis_jpeg_decoder_close($0) })
    }

    static func encode(_ image: Image, quality: Int) throws -> [UInt8] {
        guard (1...100).contains(quality) else {
            throw VisCoreError.invalidArgument(argument: "quality", expected: "an integer in 1...100", actual: "\(quality)")
        }
        guard image.layout != .rgba else {
            throw VisCoreError.invalidArgument(
                argument: "image",
                expected: "a gray or RGB image (JPEG has no alpha; use converted(to: .rgb) or flattened(over:))",
                actual: "an RGBA image")
        }
        try _CodecBridge.validateEncodable(image, format: .jpeg, maximumSide: maximumSide)
        // The encoder writes straight into the array (a file that outgrows it comes back in `overflow`): a copy of
        // the file, and the page faults of a second buffer, were a twentieth of an encode.
        let width = UInt32(image.width), height = UInt32(image.height), channels = UInt32(image.channels)
        let capacity = cvis_jpeg_encode_estimate(width, height, channels)
        var overflow = cvis_buffer()
        defer { cvis_buffer_free(&overflow) }
        var result: (status: cvis_status, message: String) = (CVIS_OK, "")
        let bytes = image.pixels.withUnsafeBufferPointer { pixels in
            [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                var written = 0
                result = _CodecBridge.call { text, textCapacity in
                    // An empty image was rejected above, so both buffers have base addresses.
                    cvis_jpeg_encode_into(
                        pixels.baseAddress, width, height, channels, image.rowStride, Int32(quality),
                        CVIS_JPEG_TRANSFORM_FAST, buffer.baseAddress, buffer.count, &written, &overflow, text,
                        textCapacity)
                }
                count = result.status == CVIS_OK ? written : 0
            }
        }
        guard result.status == CVIS_OK else {
            throw _CodecBridge.error(result.status, message: result.message, source: "<bytes>")
        }
        if let data = overflow.data { return [UInt8](UnsafeBufferPointer(start: data, count: overflow.size)) }
        return bytes
    }
}
