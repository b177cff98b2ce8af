import CVisCodecs
import Foundation
import Testing
import VisCore
import VisTestSupport

@Suite("JPEG codec")
struct CodecJPEGTests {
    /// At quality 95 a smooth image comes back within this many levels per sample (4:2:0 chroma included).
    static let quality95Tolerance = 6

    @Test("round trip at quality 95 stays within the stated tolerance", arguments: [PixelLayout.gray, .rgb])
    func roundTrip(layout: PixelLayout) throws {
        let image = try CodecTestImages.smooth(width: 97, height: 61, layout: layout)
        let data = try image.jpegData(quality: 95)
        #expect(ImageFormat(signatureOf: data) == .jpeg)
        let decoded = try Image(data: data)
        #expect(decoded.layout == layout)
        #expect(decoded.width == 97 && decoded.height == 61)
        let difference = CodecTestImages.maximumDifference(decoded, image)
        #expect(difference <= Self.quality95Tolerance, "max difference \(difference)")
    }

    // `jpegData` has libjpeg write into the returned array and takes the file from libjpeg's own buffer when it
    // outgrows the array (noise at quality 100 does: about 2.5 bytes per pixel against the 0.75 reserved).
    @Test("files written in place and files that outgrow the reserved array equal the plain encoder's bytes",
        arguments: [(PixelLayout.rgb, 95, false), (.gray, 90, false), (.rgb, 100, true), (.gray, 100, true)])
    func inPlaceAndOverflowEqualPlainEncoder(layout: PixelLayout, quality: Int, noise: Bool) throws {
        let image =
            noise
            ? try Self.noise(width: 301, height: 203, layout: layout)
            : try CodecTestImages.smooth(width: 301, height: 203, layout: layout)
        let data = try image.jpegData(quality: quality)
        var plain = cvis_buffer()
        defer { cvis_buffer_free(&plain) }
        var message = [CChar](repeating: 0, count: 256)
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            cvis_jpeg_encode(
                pixels.baseAddress, UInt32(image.width), UInt32(image.height), UInt32(image.channels),
                image.rowStride, Int32(quality), &plain, &message, message.count)
        }
        #expect(status == CVIS_OK)
        let reserved = cvis_jpeg_encode_estimate(UInt32(image.width), UInt32(image.height), UInt32(image.channels))
        #expect((data.count > reserved) == noise, "\(data.count) bytes, \(reserved) reserved")
        // Compared as a Bool: a failing #expect on two arrays would diff them element by element.
        let same = data == [UInt8](UnsafeBufferPointer(start: plain.data, count: plain.size))
        #expect(same, "\(data.count) bytes against libjpeg's \(plain.size)")
    }

    /// Uniform noise: the least compressible content.
    static func noise(width: Int, height: Int, layout: PixelLayout) throws -> Image {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let pixels = (0..<(width * height * layout.channels)).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        return try Image(width: width, height: height, layout: layout, pixels: pixels)
    }

    @Test("lower quality makes smaller, less faithful files")
    func qualityMatters() throws {
        let image = CodecTestImages.pattern(width: 64, height: 64, layout: .rgb)
        let low = try image.jpegData(quality: 10)
        let high = try image.jpegData(quality: 100)
        #expect(low.count < high.count)
        let lowError = CodecTestImages.maximumDifference(try Image(data: low), image)
        let highError = CodecTestImages.maximumDifference(try Image(data: high), image)
        #expect(highError < lowError)
    }

    @Test("a quality outside 1...100 is a typed error naming quality", arguments: [0, -5, 101])
    func invalidQuality(quality: Int) throws {
        let image = try Image(width: 2, height: 2, layout: .rgb)
        #expect(throws: VisCoreError.invalidArgument(argument: "quality", expected: "an integer in 1...100", actual: "\(quality)")) {
            try image.jpegData(quality: quality)
        }
    }

    @Test("RGBA is refused (JPEG has no alpha) until converted or flattened")
    func rgbaIsRefused() throws {
        let image = CodecTestImages.pattern(width: 8, height: 8, layout: .rgba)
        let error = #expect(throws: VisCoreError.self) { try image.jpegData() }
        guard case .invalidArgument(let argument, let expected, _) = error else {
            Issue.record("expected invalidArgument, got \(String(describing: error))")
            return
        }
        #expect(argument == "image")
        #expect(expected.contains("flattened(over:)"))
        let rgb = try Image(data: try image.converted(to: .rgb).jpegData())
        #expect(rgb.layout == .rgb)
    }

    @Test("images beyond libjpeg's 65500-pixel side are refused before encoding")
    func oversizedSide() throws {
        let image = try Image(width: 65_501, height: 1, layout: .gray)
        #expect(throws: VisCoreError.self) { try image.jpegData() }
    }

    @Test("write(to:) picks the format from the extension; the reader picks it from the signature")
    func writeByExtension() throws {
        let directory = try TestSupport.makeTemporaryDirectory("codec-ext")
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = try CodecTestImages.smooth(width: 40, height: 30, layout: .rgb)
        for name in ["a.png", "b.jpg", "c.JPEG", "d.PnG"] {
            let path = directory.appendingPathComponent(name).path
            try image.write(to: path)
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            let expected: ImageFormat = name.lowercased().hasSuffix("png") ? .png : .jpeg
            #expect(ImageFormat(signatureOf: bytes) == expected, "\(name)")
        }
        // A PNG named .jpg still decodes as PNG (lossless).
        let misnamed = directory.appendingPathComponent("really-a-png.jpg").path
        try Data(try image.pngData()).write(to: URL(fileURLWithPath: misnamed))
        #expect(try Image(contentsOfFile: misnamed) == image)
    }

    @Test("write(to:) with another extension names path and the accepted extensions",
          arguments: ["out.gif", "out", "out.png.bak", "folder.png/x.tiff"])
    func unknownExtension(name: String) throws {
        let image = try Image(width: 1, height: 1, layout: .rgb)
        #expect(throws: VisCoreError.invalidArgument(
            argument: "path", expected: "a file name ending in .png, .jpg or .jpeg", actual: "\"\(name)\"")) {
            try image.write(to: name)
        }
    }

    // Our forward transform (colour conversion, downsampling, DCT, quantization) must give libjpeg's own
    // coefficients, so the files are byte for byte those of libjpeg's compressor: every edge case of padding
    // (sizes around the 8- and 16-pixel block and MCU sizes, widths around the 8-pixel vector groups), both
    // layouts, the quality range and content from flat to noise. The vector and portable transforms run on the
    // calling thread, the pipelined one on a helper thread while libjpeg codes; FAST is whichever of the pipeline
    // and libjpeg's own compressor it picks.
    @Test("the vector, portable and pipelined transforms write libjpeg's exact bytes",
        arguments: [
            (1, 1), (1, 37), (37, 1), (7, 9), (8, 8), (9, 7), (15, 17), (16, 16), (17, 15), (31, 33), (33, 31),
            (10, 3), (11, 19), (18, 2), (26, 26), (64, 48), (100, 1), (1, 100), (301, 203), (700, 530),
        ])
    func ownTransformEqualsLibjpeg(width: Int, height: Int) throws {
        for layout in [PixelLayout.rgb, .gray] {
            let images = [
                CodecTestImages.pattern(width: width, height: height, layout: layout),
                try CodecTestImages.smooth(width: width, height: height, layout: layout),
                try Self.noise(width: width, height: height, layout: layout),
            ]
            for (content, image) in images.enumerated() {
                for quality in [1, 30, 75, 95, 100] {
                    let reference = try Self.encode(image, quality: quality, transform: CVIS_JPEG_TRANSFORM_LIBJPEG)
                    for transform in [
                        CVIS_JPEG_TRANSFORM_VECTOR, CVIS_JPEG_TRANSFORM_PORTABLE, CVIS_JPEG_TRANSFORM_PIPELINED,
                        CVIS_JPEG_TRANSFORM_FAST,
                    ] {
                        let bytes = try Self.encode(image, quality: quality, transform: transform)
                        // Compared as a Bool: a failing #expect on two arrays would diff them element by element.
                        let same = bytes == reference
                        let firstDifference =
                            zip(bytes, reference).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                            ?? min(bytes.count, reference.count)
                        #expect(
                            same,
                            "\(width)×\(height) \(layout) content \(content) quality \(quality) transform \(transform.rawValue): \(bytes.count) vs \(reference.count) bytes, first difference at \(firstDifference)")
                    }
                }
            }
        }
    }

    static func encode(_ image: Image, quality: Int, transform: cvis_jpeg_transform) throws -> [UInt8] {
        var output = cvis_buffer()
        defer { cvis_buffer_free(&output) }
        var message = [CChar](repeating: 0, count: 256)
        var written = 0
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            cvis_jpeg_encode_into(
                pixels.baseAddress, UInt32(image.width), UInt32(image.height), UInt32(image.channels),
                image.rowStride, Int32(quality), transform, nil, 0, &written, &output, &message, message.count)
        }
        #expect(status == CVIS_OK, "\(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        return [UInt8](UnsafeBufferPointer(start: output.data, count: output.size))
    }

    static func decode(_ bytes: [UInt8], allowHelperThread: Bool) -> (status: cvis_status, pixels: [UInt8]) {
        var message = [CChar](repeating: 0, count: 256)
        // libjpeg reads the file until the decoder is closed, so all of it happens inside one borrow of the bytes.
        return bytes.withUnsafeBufferPointer { data in
            var decoder: OpaquePointer?
            var info = cvis_image_info()
            let opened = cvis_jpeg_decoder_open(
                data.baseAddress, data.count, UInt64(1) << 32, &decoder, &info, &message, message.count)
            defer { cvis_jpeg_decoder_close(decoder) }
            guard opened == CVIS_OK else { return (opened, []) }
            var pixels = [UInt8](repeating: 0, count: Int(info.width) * Int(info.height) * Int(info.channels))
            let status = pixels.withUnsafeMutableBufferPointer { buffer in
                cvis_jpeg_decoder_read(
                    decoder, buffer.baseAddress, buffer.count, allowHelperThread ? CVIS_HELPER_ALWAYS : CVIS_HELPER_NEVER,
                    &message, message.count)
            }
            return (status, pixels)
        }
    }

    // A large file is decoded on two threads (the top rows by a second libjpeg object while the main one skips
    // them); the pixels must be a one-thread decode's, for every split point the sizes produce.
    @Test("the two-thread decode gives the one-thread pixels",
        arguments: [(PixelLayout.rgb, 1333, 800), (.rgb, 601, 457), (.rgb, 512, 513), (.gray, 900, 611)])
    func twoThreadDecodeEqualsOneThread(layout: PixelLayout, width: Int, height: Int) throws {
        let image = CodecTestImages.pattern(width: width, height: height, layout: layout)
        for quality in [60, 95] {
            let bytes = try image.jpegData(quality: quality)
            let one = Self.decode(bytes, allowHelperThread: false)
            let two = Self.decode(bytes, allowHelperThread: true)
            #expect(one.status == CVIS_OK && two.status == CVIS_OK)
            let same = one.pixels == two.pixels
            #expect(same, "\(layout) \(width)×\(height) quality \(quality)")
        }
    }

    // A corrupt or truncated stream must fail the same way whichever thread meets the damage first.
    @Test("damage in the top or bottom rows fails the two-thread decode as it fails the one-thread one",
        arguments: [0.3, 0.9])
    func twoThreadDecodeReportsDamage(position: Double) throws {
        let image = CodecTestImages.pattern(width: 800, height: 600, layout: .rgb)
        let bytes = try image.jpegData(quality: 90)
        let truncated = Array(bytes.prefix(Int(Double(bytes.count) * position)))
        var damaged = bytes
        let at = Int(Double(bytes.count) * position)
        for offset in 0..<64 { damaged[at + offset] = 0xFF }
        for file in [truncated, damaged] {
            let one = Self.decode(file, allowHelperThread: false)
            let two = Self.decode(file, allowHelperThread: true)
            #expect(one.status == CVIS_CORRUPT)
            #expect(two.status == CVIS_CORRUPT)
        }
        #expect(throws: VisCoreError.self) { try Image(data: truncated) }
    }
}
