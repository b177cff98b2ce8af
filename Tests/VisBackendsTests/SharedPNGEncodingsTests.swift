import Foundation
import Testing
import VisTestSupport

@testable import VisBackends
@testable import VisCore

@Suite("Shared PNG encodings")
struct SharedPNGEncodingsTests {
    static func image(seed: UInt8) throws -> Image {
        var pixels = [UInt8](repeating: 0, count: 48 * 32 * 3)
        for index in pixels.indices { pixels[index] = UInt8(truncatingIfNeeded: index &* 7) &+ seed }
        return try Image(width: 48, height: 32, layout: .rgb, pixels: pixels)
    }

    static func storage(_ bytes: [UInt8]) -> UInt {
        bytes.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }

    @Test("an announced image is encoded once: every consumer gets the same bytes, then the entry is gone")
    func sharedOnce() async throws {
        let cache = _SharedPNGEncodings(maximumEntries: 8)
        let image = try Self.image(seed: 1)
        cache.share(image, compression: .fast, uses: 3)
        #expect(cache.count == 1)
        let results = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<3 { group.addTask { try cache.png(for: image, compression: .fast) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == (try? image.pngData(compression: .fast)) })
        // One encoding: the three arrays share one buffer.
        #expect(Set(results.map(Self.storage)).count == 1)
        #expect(cache.count == 0)
        // Not announced (any more): a fresh encoding with its own buffer.
        let fresh = try cache.png(for: image, compression: .fast)
        #expect(fresh == results[0] && Self.storage(fresh) != Self.storage(results[0]))
    }

    @Test("another compression, a changed copy or an unannounced image is never served shared bytes")
    func keys() throws {
        let cache = _SharedPNGEncodings(maximumEntries: 8)
        var image = try Self.image(seed: 2)
        cache.share(image, compression: .fast, uses: 2)
        #expect(try cache.png(for: image, compression: .level(6)) == image.pngData(compressionLevel: 6))
        let original = image
        image.pixels[0] &+= 1  // copy on write: new storage
        #expect(try cache.png(for: image, compression: .fast) == image.pngData(compression: .fast))
        #expect(try cache.png(for: original, compression: .fast) == original.pngData(compression: .fast))
        #expect(cache.count == 1)
    }

    @Test("entries nobody takes are dropped oldest first beyond the limit")
    func bounded() throws {
        let cache = _SharedPNGEncodings(maximumEntries: 3)
        let images = try (0..<5).map { try Self.image(seed: UInt8($0)) }
        for image in images { cache.share(image, compression: .fast, uses: 2) }
        #expect(cache.count == 3)
    }

    @Test("through a multiplexer, Local and TensorBoard store the same fast-encoded PNG bytes")
    func multiplexerSharesBytes() throws {
        let root = try TestSupport.makeTemporaryDirectory("shared-png")
        defer { try? FileManager.default.removeItem(at: root) }
        let local = try LocalVisBackend(saveDir: root.appendingPathComponent("local").path)
        let tensorboard = try TensorboardVisBackend(saveDir: root.appendingPathComponent("tb").path)
        let multiplexer = try MultiplexVisBackend([local, tensorboard])
        let image = try Self.image(seed: 3)
        try multiplexer.addImage(name: "img", image: image, step: 4)
        multiplexer.flush()
        multiplexer.close()
        let expected = try image.pngData(compression: .fast)
        let written = try [UInt8](Data(contentsOf: root.appendingPathComponent("local/vis_image/img_4.png")))
        #expect(written == expected)
        let tbDirectory = root.appendingPathComponent("tb").path
        let eventFile = try #require(TensorboardVisBackendTests.eventFiles(tbDirectory).first)
        let file = try TensorboardEventFile(contentsOf: eventFile)
        #expect(file.images.map(\.image.encoded) == [expected])
    }
}
