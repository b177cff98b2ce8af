import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end tests of `vis reconstruct`, running the built executable.
@Suite("vis reconstruct")
struct ReconstructCommandTests {
    private func fixture() throws -> URL {
        let directory = try TestSupport.makeTemporaryDirectory("vis-reconstruct")
        var pixels = [UInt8]()
        for y in 0..<90 { for x in 0..<120 { pixels += [UInt8(x * 2), UInt8(y * 2), UInt8((x + y) % 256)] } }
        try Image(width: 120, height: 90, layout: .rgb, pixels: pixels)
            .writePNG(to: directory.appendingPathComponent("image.png").path)
        try NDArray([Float](repeating: 0.25, count: 16 * 768), shape: [16, 768])
            .writeNPY(to: directory.appendingPathComponent("pred.npy").path)
        try NDArray([Float](repeating: 0.25, count: 15 * 768), shape: [15, 768])
            .writeNPY(to: directory.appendingPathComponent("bad.npy").path)
        return directory
    }

    @Test("writes the figure, the random mask and the four panels, and prints where they went")
    func writesOutputs() throws {
        let directory = try fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let result = try TestSupport.runCapturing(
            try TestSupport.productPath("vis"),
            arguments: [
                "reconstruct", "--image", path("image.png"), "--pred", path("pred.npy"), "--mask-ratio", "0.75",
                "--input-size", "64", "--norm-pix", "--seed", "5", "--out", path("fig.png"), "--save-panels",
                path("panels"),
            ])
        #expect(result.status == 0, "\(result.stderr)")
        let figure = try Image(contentsOfFile: path("fig.png"))
        #expect(figure.width == 2400 && figure.height == 600)
        let mask = try NDArray(npyFile: path("fig_mask.npy"))
        #expect(mask.shape == [16] && mask.toFloat32().filter { $0 == 1 }.count == 12)
        for name in ["original", "masked", "reconstruction", "reconstruction_visible"] {
            let panel = try Image(contentsOfFile: path("panels/\(name).png"))
            #expect(panel.width == 64 && panel.height == 64)
            #expect(result.stdout.contains(path("panels/\(name).png")))
        }
        #expect(result.stdout.contains(path("fig.png")) && result.stdout.contains(path("fig_mask.npy")))
    }

    @Test("a prediction that does not fit is a data error naming --pred, with no output; bad flags exit 64")
    func badInput() throws {
        let directory = try fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let vis = try TestSupport.productPath("vis")
        let bad = try TestSupport.runCapturing(
            vis,
            arguments: [
                "reconstruct", "--image", path("image.png"), "--pred", path("bad.npy"), "--mask-ratio", "0.5",
                "--input-size", "64", "--out", path("fig.png"), "--save-panels", path("panels"),
            ])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--pred") && bad.stderr.contains("(16, 768)"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("fig.png")))
        #expect(!FileManager.default.fileExists(atPath: path("fig_mask.npy")))
        #expect(!FileManager.default.fileExists(atPath: path("panels")))
        let ratio = try TestSupport.runCapturing(
            vis,
            arguments: [
                "reconstruct", "--image", path("image.png"), "--pred", path("pred.npy"), "--mask-ratio", "-0.5",
                "--out", path("fig.png"),
            ])
        #expect(ratio.status == 64 && ratio.stderr.contains("--mask-ratio"), "\(ratio.stderr)")
        let size = try TestSupport.runCapturing(
            vis,
            arguments: [
                "reconstruct", "--image", path("image.png"), "--pred", path("pred.npy"), "--mask", path("pred.npy"),
                "--input-size", "100", "--out", path("fig.png"),
            ])
        #expect(size.status == 64 && size.stderr.contains("--input-size"), "\(size.stderr)")
    }

    @Test("--save-panels that cannot be written leaves no OUT, no mask and no panels; a failing OUT removes the panels")
    func noPartialOutputs() throws {
        let directory = try fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        try Data("a file".utf8).write(to: directory.appendingPathComponent("taken"))
        let vis = try TestSupport.productPath("vis")
        let arguments = [
            "reconstruct", "--image", path("image.png"), "--pred", path("pred.npy"), "--mask-ratio", "0.5",
            "--input-size", "64",
        ]
        let panelsBlocked = try TestSupport.runCapturing(
            vis, arguments: arguments + ["--out", path("fig.png"), "--save-panels", path("taken")])
        #expect(panelsBlocked.status == 1 && panelsBlocked.stderr.contains("--save-panels"), "\(panelsBlocked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("fig.png")))
        #expect(!FileManager.default.fileExists(atPath: path("fig_mask.npy")))

        let outBlocked = try TestSupport.runCapturing(
            vis, arguments: arguments + ["--out", path("taken/fig.png"), "--save-panels", path("new/panels")])
        #expect(outBlocked.status == 1 && outBlocked.stderr.contains("--out"), "\(outBlocked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("new")), "the panels directory it made is gone")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["bad.npy", "image.png", "pred.npy", "taken"])
    }
}
