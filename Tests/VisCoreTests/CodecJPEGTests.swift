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
        #expect(data == [UInt8](UnsafeBufferPointer(start: plain.data, count: plain.size)))
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
}
