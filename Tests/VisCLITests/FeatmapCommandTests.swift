import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end tests of `vis featmap`, running the built executable.
@Suite("vis featmap")
struct FeatmapCommandTests {
    static let references = TestSupport.packageRoot.appendingPathComponent("Tests/VisualizationTests/FeatmapReferences")
    static let golden = TestSupport.packageRoot.appendingPathComponent("Tests/VisCLITests/Golden")

    static func reference(_ name: String) -> String { references.appendingPathComponent(name).path }

    static func featmap(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: ["featmap"] + arguments)
    }

    static func withDirectory(_ body: (URL) throws -> Void) throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-featmap")
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    static func files(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    @Test("squeeze_mean over an image of another size: MMEngine's pixels, and its warning on stderr")
    func matchesMMEngine() throws {
        try Self.withDirectory { directory in
            let out = directory.appendingPathComponent("out.png").path
            let result = try Self.featmap([
                Self.reference("feat_8x12x16.npy"), "--image", Self.reference("image_48x64.png"), "--out", out,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("warning: Since the spatial dimensions of overlaid_image: (48, 64)"))
            let drawn = try Image(contentsOfFile: out)
            #expect(drawn == (try Image(contentsOfFile: Self.reference("squeeze_mean_over_image.png"))))
        }
    }

    @Test("select_max, resize and alpha options reach drawFeatmap (MMEngine reference)")
    func optionsMatchMMEngine() throws {
        try Self.withDirectory { directory in
            let out = directory.appendingPathComponent("out.png").path
            let result = try Self.featmap([
                Self.reference("feat_8x12x16.npy"), "--image", Self.reference("image_30x26.png"),
                "--reduction", "select_max", "--resize", "40,36", "--out", out,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Image(contentsOfFile: out) == (try Image(contentsOfFile: Self.reference("resize_select_max_over_image.png"))))
            let light = try Self.featmap([
                Self.reference("feat_8x12x16.npy"), "--image", Self.reference("image_30x26.png"), "--alpha", "0.3",
                "--out", out,
            ])
            #expect(light.status == 0, "\(light.stderr)")
            #expect(try Image(contentsOfFile: out) == (try Image(contentsOfFile: Self.reference("squeeze_mean_over_smaller_image.png"))))
        }
    }

    @Test("a (1, C, H, W) map drops its batch dimension")
    func batchDimension() throws {
        try Self.withDirectory { directory in
            let map = try NDArray(npyFile: Self.reference("feat_8x12x16.npy"))
            let batched = directory.appendingPathComponent("batched.npy").path
            try map.reshaped([1, 8, 12, 16]).writeNPY(to: batched)
            let out = directory.appendingPathComponent("out.png").path
            let result = try Self.featmap([batched, "--out", out])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Image(contentsOfFile: out) == (try Image(contentsOfFile: Self.reference("squeeze_mean_plain.png"))))
        }
    }

    @Test("a top-k grid in viridis (golden)")
    func gridGolden() throws {
        try Self.withDirectory { directory in
            let out = directory.appendingPathComponent("grid.png").path
            let result = try Self.featmap([
                Self.reference("feat_8x12x16.npy"), "--image", Self.reference("image_48x64.png"), "--reduction", "none",
                "--topk", "5", "--arrangement", "2,3", "--colormap", "viridis", "--out", out,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            let drawn = try Image(contentsOfFile: out)
            #expect(drawn.width == 192 && drawn.height == 96)
            let comparison = try TestSupport.compareWithGolden(drawn, name: "featmap_grid_viridis.png", directory: Self.golden)
            #expect(
                comparison.differingSamples == 0,
                "max difference \(comparison.maxDifference); rendered: \(comparison.actualPath ?? "-")")
        }
    }

    @Test(
        "bad input: a clear error, a non-zero exit, no output",
        arguments: [
            (["--reduction", "max"], "--reduction"),
            (["--arrangement", "4x5"], "--arrangement"),
            (["--arrangement", "0,5"], "--arrangement"),
            (["--resize", "10"], "--resize"),
            (["--colormap", "rainbow"], "--colormap"),
            (["--alpha", "nan"], "--alpha"),
            (["--reduction", "none", "--topk", "0"], "1 or 3"),
            (["--reduction", "none", "--topk", "9", "--arrangement", "2,4"], "arrangement"),
        ])
    func badOptions(_ options: [String], _ expected: String) throws {
        try Self.withDirectory { directory in
            let out = directory.appendingPathComponent("out.png").path
            let result = try Self.featmap([Self.reference("feat_8x12x16.npy")] + options + ["--out", out])
            #expect(result.status != 0)
            #expect(result.stderr.contains(expected), "\(result.stderr)")
            #expect(try Self.files(directory).isEmpty)
        }
    }

    @Test("maps of another rank, a batch of several, a missing file and a bad output name are errors")
    func badFiles() throws {
        try Self.withDirectory { directory in
            let out = directory.appendingPathComponent("out.png").path
            let flat = directory.appendingPathComponent("flat.npy").path
            try NDArray([Float](repeating: 1, count: 12), shape: [3, 4]).writeNPY(to: flat)
            let batch = directory.appendingPathComponent("batch.npy").path
            try NDArray([Float](repeating: 1, count: 24), shape: [2, 3, 2, 2]).writeNPY(to: batch)
            for (input, expected) in [(flat, "got shape (3, 4)"), (batch, "got shape (2, 3, 2, 2)")] {
                let result = try Self.featmap([input, "--out", out])
                #expect(result.status != 0)
                #expect(result.stderr.contains("(C, H, W) or (1, C, H, W)") && result.stderr.contains(expected), "\(result.stderr)")
            }
            let missing = try Self.featmap([directory.appendingPathComponent("nope.npy").path, "--out", out])
            #expect(missing.status != 0 && missing.stderr.contains("nope.npy"))
            let bmp = try Self.featmap([Self.reference("feat_8x12x16.npy"), "--out", directory.appendingPathComponent("x.bmp").path])
            #expect(bmp.status != 0 && bmp.stderr.contains("--out"))
            #expect(try Self.files(directory) == ["batch.npy", "flat.npy"])
        }
    }
}
