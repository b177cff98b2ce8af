import Foundation
import Testing
import VisCore
import VisTestSupport

/// A corpus of damaged data made by the tests themselves — truncations at every offset, bit flips, hostile
/// headers, random bytes — run through every decoder. Each outcome is a decoded image or a typed
/// `VisCoreError`; a crash would end the test process, so completing these tests is the no-crash evidence.
@Suite("Bad input")
struct BadInputTests {
    enum Outcome: Equatable {
        case decoded
        case corrupt, unsupported, tooLarge, other
    }

    /// Decodes `bytes`, checking the invariants of whatever comes back.
    static func outcome(of bytes: [UInt8], sourceExpected: String = "<bytes>") -> Outcome {
        do {
            let image = try Image(data: bytes)
            #expect(image.pixels.count == image.width * image.height * image.channels)
            #expect(image.width > 0 && image.height > 0)
            return .decoded
        } catch let error as VisCoreError {
            #expect(source(of: error) == sourceExpected, "\(error)")
            switch error {
            case .corruptData: return .corrupt
            case .unsupportedFormat: return .unsupported
            case .tooLarge: return .tooLarge
            default: return .other
            }
        } catch {
            Issue.record("untyped error \(error)")
            return .other
        }
    }

    static func source(of error: VisCoreError) -> String? {
        switch error {
        case .corruptData(let source, _), .unsupportedFormat(let source, _), .tooLarge(let source, _): return source
        case .io(let path, _): return path
        case .invalidArgument: return nil
        }
    }

    /// Valid files of every kind we write.
    static func validFiles() throws -> [(name: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = []
        for layout in PixelLayout.allCases {
            let image = CodecTestImages.pattern(width: 17, height: 12, layout: layout)
            files.append(("png-\(layout)", try image.pngData()))
            if layout != .rgba { files.append(("jpeg-\(layout)", try image.jpegData(quality: 90))) }
        }
        return files
    }

    /// A deterministic generator (a 64-bit LCG), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    @Test("truncating a valid file at any offset is a typed error, never a gray-filled image")
    func truncationAtEveryOffset() throws {
        for (name, bytes) in try Self.validFiles() {
            var outcomes: [Outcome: Int] = [:]
            for length in 0..<bytes.count {
                outcomes[Self.outcome(of: Array(bytes[0..<length])), default: 0] += 1
            }
            #expect(outcomes[.decoded] == nil, "\(name): a truncated file decoded (\(outcomes))")
            #expect(outcomes[.other] == nil, "\(name): \(outcomes)")
            #expect(Self.outcome(of: bytes) == .decoded, "\(name): the intact file must decode")
        }
    }

    @Test("flipping bits anywhere gives an image or a typed error")
    func bitFlips() throws {
        var generator = Generator(state: 0xC0DEC)
        for (name, bytes) in try Self.validFiles() {
            var outcomes: [Outcome: Int] = [:]
            for _ in 0..<400 {
                var damaged = bytes
                for _ in 0..<(1 + generator.below(3)) {
                    let position = generator.below(damaged.count)
                    damaged[position] ^= UInt8(1 << generator.below(8))
                }
                outcomes[Self.outcome(of: damaged), default: 0] += 1
            }
            #expect(outcomes[.other] == nil, "\(name): \(outcomes)")
            // Both formats checksum or validate enough that most single-bit damage is noticed.
            #expect((outcomes[.corrupt] ?? 0) + (outcomes[.unsupported] ?? 0) > 0, "\(name): \(outcomes)")
        }
    }

    @Test("random bytes, with and without a valid signature, give typed errors")
    func randomBytes() {
        var generator = Generator(state: 42)
        let prefixes: [[UInt8]] = [[], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF]]
        for round in 0..<600 {
            let prefix = prefixes[round % prefixes.count]
            let body = (0..<generator.below(400)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let outcome = Self.outcome(of: prefix + body)
            #expect(outcome != .other && outcome != .decoded, "round \(round)")
        }
    }

    @Test("zero-length data and files are corrupt data naming the source")
    func zeroLength() throws {
        #expect(Self.outcome(of: []) == .corrupt)
        let directory = try TestSupport.makeTemporaryDirectory("bad-empty")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("empty.png").path
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: VisCoreError.corruptData(source: path, reason: "the data is empty (0 bytes)")) {
            try Image(contentsOfFile: path)
        }
    }

    @Test("an unknown signature is unsupportedFormat naming the file")
    func unknownSignature() throws {
        let directory = try TestSupport.makeTemporaryDirectory("bad-gif")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("image.png").path
        try Data("GIF89a\u{1}\u{0}\u{1}\u{0}".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: VisCoreError.self) { try Image(contentsOfFile: path) }
        guard case .unsupportedFormat(let source, let reason) = error else {
            Issue.record("expected unsupportedFormat, got \(String(describing: error))")
            return
        }
        #expect(source == path)
        #expect(reason.contains("47 49 46 38"))
    }

    @Test("a missing file and a directory are I/O errors naming the path")
    func unreadablePaths() throws {
        let directory = try TestSupport.makeTemporaryDirectory("bad-io")
        defer { try? FileManager.default.removeItem(at: directory) }
        for path in [directory.appendingPathComponent("missing.png").path, directory.path] {
            let error = #expect(throws: VisCoreError.self) { try Image(contentsOfFile: path) }
            guard case .io(let errorPath, _) = error else {
                Issue.record("expected io, got \(String(describing: error))")
                continue
            }
            #expect(errorPath == path)
        }
    }

    // MARK: Hostile headers

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }

    /// A PNG signature and an IHDR declaring `width`×`height` 8-bit RGB (with a valid CRC), then `tail`.
    static func pngHeader(width: UInt32, height: UInt32, tail: [UInt8] = []) -> [UInt8] {
        func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
        let chunk = Array("IHDR".utf8) + bigEndian(width) + bigEndian(height) + [8, 2, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + bigEndian(13) + chunk
            + bigEndian(crc32(chunk[...])) + tail
    }

    /// The header of an IDAT chunk holding nothing: libpng stops reading the header there.
    static let emptyIDAT: [UInt8] = [0, 0, 0, 0] + Array("IDAT".utf8)

    /// One of our JPEGs with its SOF0 dimensions replaced.
    static func jpegHeader(width: UInt16, height: UInt16, layout: PixelLayout) throws -> [UInt8] {
        var bytes = try CodecTestImages.pattern(width: 16, height: 16, layout: layout).jpegData()
        guard let sof = (0..<(bytes.count - 1)).first(where: { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 }) else {
            throw TestSupportError.missingTool("no SOF0 marker in our own JPEG")
        }
        bytes[sof + 5] = UInt8(height >> 8)
        bytes[sof + 6] = UInt8(height & 0xFF)
        bytes[sof + 7] = UInt8(width >> 8)
        bytes[sof + 8] = UInt8(width & 0xFF)
        return bytes
    }

    @Test("a PNG header claiming 100000×100000 is tooLarge naming the file, before any allocation")
    func hugePNGHeader() throws {
        let bytes = Self.pngHeader(width: 100_000, height: 100_000)
        #expect(Self.outcome(of: bytes) == .tooLarge)
        let directory = try TestSupport.makeTemporaryDirectory("bad-huge")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("huge.png").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: VisCoreError.self) { try Image(contentsOfFile: path) }
        guard case .tooLarge(let source, let reason) = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect(source == path)
        #expect(reason.contains("100000x100000"))
    }

    @Test("a header within the sample limit but far larger than its data is refused as truncated")
    func implausiblySmallFiles() throws {
        // 20000×20000 RGB is 1.2e9 samples, under the limit: without the size check the decoder would
        // allocate 1.2 GB for a file of a few dozen bytes.
        let png = Self.pngHeader(width: 20_000, height: 20_000, tail: Self.emptyIDAT)
        let jpeg = try Self.jpegHeader(width: 40_000, height: 40_000, layout: .gray)
        for bytes in [png, jpeg] {
            let error = #expect(throws: VisCoreError.self) { try Image(data: bytes) }
            guard case .corruptData(_, let reason) = error else {
                Issue.record("expected corruptData, got \(String(describing: error))")
                continue
            }
            #expect(reason.contains("cannot hold the declared"), "\(reason)")
        }
        #expect(Self.outcome(of: try Self.jpegHeader(width: 65_000, height: 65_000, layout: .rgb)) == .tooLarge)
    }

    @Test("the sample limit applies to width × height × channels, exactly")
    func sampleLimitBoundary() {
        // 26754² RGB is 2,147,329,548 samples (≤ 2^31): allowed by the limit, refused by the size check.
        #expect(Self.outcome(of: Self.pngHeader(width: 1, height: 0x7FFF_FFFF)) == .tooLarge)
        #expect(Self.outcome(of: Self.pngHeader(width: 26_755, height: 26_755)) == .tooLarge)
        let allowed = Self.pngHeader(width: 26_754, height: 26_754, tail: Self.emptyIDAT)
        #expect(throws: VisCoreError.corruptData(
            source: "<bytes>", reason: "PNG: 0 remaining bytes cannot hold the declared 26754x26754 image (the file is truncated)")) {
            try Image(data: allowed)
        }
    }
}
