import Foundation
import Testing
import VisCore
import VisTestSupport

@Suite("PNG codec")
struct CodecPNGTests {
    @Test("round trip is lossless for every layout and compression level", arguments: PixelLayout.allCases)
    func roundTrip(layout: PixelLayout) throws {
        let image = CodecTestImages.pattern(width: 37, height: 23, layout: layout)
        for level in 0...9 {
            let data = try image.pngData(compressionLevel: level)
            #expect(ImageFormat(signatureOf: data) == .png)
            let decoded = try Image(data: data)
            #expect(decoded == image, "level \(level)")
        }
    }

    @Test("higher compression levels make smaller files for compressible images")
    func compressionLevelsMatter() throws {
        let image = try CodecTestImages.smooth(width: 200, height: 120, layout: .rgb)
        let stored = try image.pngData(compressionLevel: 0)
        let best = try image.pngData(compressionLevel: 9)
        #expect(stored.count > image.pixels.count)
        #expect(best.count * 4 < stored.count)
    }

    @Test("a compression level outside 0...9 is a typed error naming compressionLevel", arguments: [-1, 10, 100])
    func invalidCompressionLevel(level: Int) throws {
        let image = try Image(width: 2, height: 2, layout: .gray)
        #expect(throws: VisCoreError.invalidArgument(
            argument: "compressionLevel", expected: "an integer in 0...9", actual: "\(level)")) {
            try image.pngData(compressionLevel: level)
        }
    }

    @Test("an empty image cannot be encoded")
    func emptyImage() throws {
        let image = try Image(width: 0, height: 4, layout: .rgb)
        let error = #expect(throws: VisCoreError.self) { try image.pngData() }
        guard case .invalidArgument(let argument, _, _) = error else {
            Issue.record("expected invalidArgument, got \(String(describing: error))")
            return
        }
        #expect(argument == "image")
    }

    @Test("writePNG writes a file that decodes to the same image, replacing an existing file")
    func writeAndReadFile() throws {
        let directory = try TestSupport.makeTemporaryDirectory("png-file")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.png").path
        try CodecTestImages.pattern(width: 3, height: 3, layout: .gray).writePNG(to: path)
        let image = CodecTestImages.pattern(width: 64, height: 48, layout: .rgba, seed: 9)
        try image.writePNG(to: path)
        #expect(try Image(contentsOfFile: path) == image)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["out.png"])
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o666 & ~FileIOTests.umask)
    }

    @Test("writing into a missing folder is an I/O error naming the path")
    func writeIntoMissingFolder() throws {
        let path = "/nonexistent-folder-\(UUID().uuidString)/a.png"
        let error = #expect(throws: VisCoreError.self) {
            try Image(width: 1, height: 1, layout: .gray).writePNG(to: path)
        }
        guard case .io(let errorPath, _) = error else {
            Issue.record("expected io, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
    }
}
