import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end tests of `vis datasample`, running the built executable.
@Suite("vis datasample")
struct DatasampleCommandTests {
    static func datasample(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: ["datasample"] + arguments)
    }

    /// A 120×80 gray image, a detection sample whose masks live in an .npz beside it, and a meta file.
    static func workspace() throws -> URL {
        let directory = try TestSupport.makeTemporaryDirectory("vis-datasample")
        try Image(width: 120, height: 80, layout: .rgb, fill: [128, 128, 128])
            .writePNG(to: directory.appendingPathComponent("image.png").path)
        var bits = [Bool](repeating: false, count: 2 * 80 * 120)
        for y in 20..<50 { for x in 10..<40 { bits[y * 120 + x] = true } }
        for y in 30..<60 { for x in 70..<110 { bits[80 * 120 + y * 120 + x] = true } }
        try NDArray.writeNPZ(
            ["gt_masks": try NDArray(bits, shape: [2, 80, 120])], to: directory.appendingPathComponent("arrays.npz").path)
        let sample = """
            {"metainfo": {"img_path": "image.png"},
             "gt_instances": {"bboxes": [[10, 20, 40, 50], [70, 30, 110, 60]], "labels": [0, 1], "masks": "arrays.npz#gt_masks"},
             "pred_instances": {"bboxes": [[12, 18, 42, 52], [68, 28, 112, 62]], "labels": [0, 1], "scores": [0.9, 0.2]}}
            """
        try Data(sample.utf8).write(to: directory.appendingPathComponent("sample.json"))
        try Data("classes: [cat, dog]\npalette: [[255, 0, 0], [0, 0, 255]]\n".utf8)
            .write(to: directory.appendingPathComponent("meta.yaml"))
        return directory
    }

    @Test("draws ground truth beside predictions, the low-score prediction hidden")
    func drawsPanels() throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let result = try Self.datasample([
            "--image", path("image.png"), "--sample", path("sample.json"), "--meta", path("meta.yaml"),
            "--score-thr", "0.3", "--out", path("out.png"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let image = try Image(contentsOfFile: path("out.png"))
        #expect(image.width == 240 && image.height == 80)
        // The ground-truth dog mask (blue at 0.8 over gray 128) is in the left panel ...
        #expect(Array(image[90, 45]) == [26, 26, 230])
        // ... and the right panel has the red cat box but no blue dog box (score 0.2).
        let right = try image.cropped(x: 120, y: 0, width: 120, height: 80)
        #expect(right.pixels.enumerated().contains { $0.offset % 3 == 0 && $0.element > 200 })
        let blue = stride(from: 0, to: right.pixels.count, by: 3).contains {
            right.pixels[$0 + 2] > 200 && right.pixels[$0] < 80
        }
        #expect(!blue)

        let predOnly = try Self.datasample([
            "--image", path("image.png"), "--sample", path("sample.json"), "--no-gt", "--task", "detection",
            "--score-thr", "0.1", "--out", path("pred.jpg"),
        ])
        #expect(predOnly.status == 0, "\(predOnly.stderr)")
        let pred = try Image(contentsOfFile: path("pred.jpg"))
        #expect(pred.width == 120 && pred.height == 80)
    }

    @Test("bad input fails with a message naming the file and field")
    func badInput() throws {
        let directory = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        try Data(#"{"pred_instances": {"bboxes": [[0, 0, 5, 5]], "labels": [7], "scores": [0.9]}}"#.utf8)
            .write(to: directory.appendingPathComponent("bad.json"))
        let outOfRange = try Self.datasample([
            "--image", path("image.png"), "--sample", path("bad.json"), "--meta", path("meta.yaml"), "--out", path("o.png"),
        ])
        #expect(outOfRange.status != 0)
        #expect(outOfRange.stderr.contains("bad.json"), "\(outOfRange.stderr)")
        #expect(outOfRange.stderr.contains("pred_instances.labels[0]"), "\(outOfRange.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("o.png")))

        let badOut = try Self.datasample(["--image", path("image.png"), "--sample", path("sample.json"), "--out", path("o.gif")])
        #expect(badOut.status != 0 && badOut.stderr.contains("--out"))
        let badTask = try Self.datasample([
            "--image", path("image.png"), "--sample", path("sample.json"), "--task", "ocr", "--out", path("o.png"),
        ])
        #expect(badTask.status != 0 && badTask.stderr.contains("ocr"))
        let wrongTask = try Self.datasample([
            "--image", path("image.png"), "--sample", path("sample.json"), "--task", "pose", "--out", path("o.png"),
        ])
        #expect(wrongTask.status != 0 && wrongTask.stderr.contains("nothing to draw"), "\(wrongTask.stderr)")
        let missing = try Self.datasample([
            "--image", path("image.png"), "--sample", path("nope.json"), "--out", path("o.png"),
        ])
        #expect(missing.status != 0 && missing.stderr.contains("nope.json"))
    }
}
