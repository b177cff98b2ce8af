import Foundation
import Testing
import VisTestSupport
import Visualization

/// Replays the fuzzers' corpora (Fuzz/) through the same entry points the harnesses call: every seed parses, and
/// every input that once crashed or hung a parser now returns or throws (a crash would end the test process).
@Suite("Fuzz corpora replay")
struct FuzzRegressionTests {
    /// What each harness of Fuzz/ does with one input, minus the fuzzer.
    static let parsers: [String: @Sendable ([UInt8]) throws -> Void] = [
        "png": { _ = try Image(data: $0) },
        "jpeg": { _ = try Image(data: $0) },
        "npy": { _ = try NDArray(npyData: $0) },
        "npz": { _ = try NDArray.loadNPZ(data: $0) },
        "config-json": { bytes in
            let config = try Config(text: String(decoding: bytes, as: UTF8.self), format: .json)
            _ = try config.dumped(as: .json)
            _ = try config.dumped(as: .yaml)
        },
        "config-yaml": { bytes in
            let config = try Config(text: String(decoding: bytes, as: UTF8.self), format: .yaml)
            _ = try config.dumped(as: .yaml)
            _ = try config.dumped(as: .json)
        },
        "datasample": { _ = try DataSample(jsonData: Data($0)).jsonData() },
        "draw-ops": { bytes in
            let calls = try DrawOperations.decode(
                jsonText: String(decoding: bytes, as: UTF8.self), source: "<corpus>", baseDirectory: nil)
            let visualizer = try Visualizer(
                name: "fuzz-draw-ops", image: try Image(width: 32, height: 24, layout: .rgb, fill: [40, 40, 40]), rank: 0)
            for call in calls { try call.run(on: visualizer) }
        },
        "tensorboard": { _ = try TensorboardEventFile(bytes: $0, path: "<corpus>") },
        "wandb": { _ = try WandbLogReader(bytes: $0).records() },
        "font": { bytes in
            let directory = try TestSupport.makeTemporaryDirectory("vis-fuzz-font")
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent("font.ttf").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let face = try FontFace.load(path: path)
            for scalar in "Ag 1.".unicodeScalars { _ = face.hasGlyph(for: scalar) }
            var image = try Image(width: 48, height: 24, layout: .rgb, fill: [255, 255, 255])
            try TextRenderer(glyphCache: GlyphCache(byteBudget: 1 << 20)).draw(
                "Ag 1.", x: 2, y: 2, style: TextStyle(font: .file(path), sizePoints: 12), into: &image)
        },
    ]

    @Test("every seed file parses", arguments: parsers.keys.sorted())
    func seedsParse(format: String) throws {
        let seeds = FuzzCorpus.seeds(format)
        #expect(!seeds.isEmpty, "no seed files in Fuzz/Corpus/\(format)")
        let parse = try #require(Self.parsers[format])
        for url in seeds {
            #expect(throws: Never.self, "\(url.lastPathComponent)") { try parse([UInt8](try Data(contentsOf: url))) }
        }
    }

    @Test("every input that once crashed or hung now returns or throws", arguments: parsers.keys.sorted())
    func regressionsFailCleanly(format: String) throws {
        let parse = try #require(Self.parsers[format])
        for url in FuzzCorpus.regressions(format) {
            do {
                try parse([UInt8](try Data(contentsOf: url)))
            } catch {
                // A thrown error must describe itself (the message users see), never be empty.
                #expect(!"\(error)".isEmpty, "\(url.lastPathComponent)")
            }
        }
    }
}
