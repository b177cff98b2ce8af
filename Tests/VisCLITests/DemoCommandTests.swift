import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end test of `vis demo`, running the built executable.
@Suite("vis demo")
struct DemoCommandTests {
    @Test("Writes the annotated scene and logs images, scalars and the config to every registered backend")
    func demo() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-demo")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("run").path
        let result = try TestSupport.runCapturing(
            try TestSupport.productPath("vis"), arguments: ["demo", "--out", out, "--steps", "40"],
            environment: ["WANDB_MODE": "offline"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("out of bounds"), "the demo's annotations stay inside the image")

        let demo = try Image(contentsOfFile: "\(out)/demo.png")
        #expect(demo.width == 960 && demo.height == 600 && demo.layout == .rgb)
        let featmap = try Image(contentsOfFile: "\(out)/featmap.png")
        #expect(featmap.width == 960 && featmap.height == 600)
        #expect(try Image(contentsOfFile: "\(out)/vis_data/vis_image/featmap_0.png") == featmap)
        let scene = try Image(contentsOfFile: "\(out)/vis_data/vis_image/scene_0.png")
        #expect(featmap != scene)
        #expect(try Image(contentsOfFile: "\(out)/vis_data/vis_image/annotated_0.png") == demo)
        #expect(scene.width == 960 && scene != demo)

        let scalars = try String(contentsOfFile: "\(out)/vis_data/scalars.json", encoding: .utf8)
            .split(separator: "\n")
        #expect(scalars.count == 40)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(scalars[0].utf8)) as? [String: Any])
        #expect(Set(first.keys) == ["loss", "lr", "acc", "step"])
        let last = try #require(try JSONSerialization.jsonObject(with: Data(scalars[39].utf8)) as? [String: Any])
        #expect((last["step"] as? Int) == 40)
        #expect(((last["loss"] as? Double) ?? 9) < ((first["loss"] as? Double) ?? 0), "the loss goes down")
        #expect(FileManager.default.fileExists(atPath: "\(out)/vis_data/config.json"))

        let files = try FileManager.default.contentsOfDirectory(atPath: "\(out)/vis_data")
        #expect(files.contains { $0.hasPrefix("events.out.tfevents.") }, "TensorBoard event file: \(files)")
        #expect(files.contains("wandb"))
        // What the demo prints: where everything went, and how to look at it.
        #expect(result.stdout.contains("annotated image: \(out)/demo.png"))
        #expect(result.stdout.contains("feature map:     \(out)/featmap.png"))
        #expect(result.stdout.contains("tensorboard --logdir \(out)/vis_data"))
        #expect(result.stdout.contains("wandb sync \(out)/vis_data/wandb/offline-run-"))

        // The self-supervised pictures, and the printed commands draw them again byte for byte.
        let browse = try Image(contentsOfFile: "\(out)/browse.png")
        #expect(browse.width == 448 && browse.height == 4 * 224 + 3 * 6, "four rows of two 224-px views")
        let figure = try Image(contentsOfFile: "\(out)/reconstruction_standin.png")
        #expect(figure.width == 2400 && figure.height == 600)
        #expect(result.stdout.contains("stand-in predictor, not a model"))
        let commands = result.stdout.split(separator: "\n").compactMap { line -> [String]? in
            guard let start = line.firstIndex(of: "`"), line.contains("`vis browse") || line.contains("`vis reconstruct") else {
                return nil
            }
            return line[line.index(after: start)...].dropLast().split(separator: " ").dropFirst().map(String.init)
        }
        #expect(commands.count == 2, "\(result.stdout)")
        try? FileManager.default.removeItem(atPath: "\(out)/reconstruction_standin.png")
        for command in commands {
            let again = try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: command)
            #expect(again.status == 0, "\(command): \(again.stderr)")
        }
        #expect(try Image(contentsOfFile: "\(out)/reconstruction_standin.png") == figure)
        for index in 0..<4 {
            let row = try Image(contentsOfFile: "\(out)/selfsup/browse/crop_\(index).png")
            #expect(try browse.cropped(x: 0, y: index * (224 + 6), width: 448, height: 224) == row, "row \(index)")
        }
    }

    @Test("A bad --steps is rejected before anything is written")
    func badSteps() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-demo")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try TestSupport.runCapturing(
            try TestSupport.productPath("vis"),
            arguments: ["demo", "--out", directory.appendingPathComponent("run").path, "--steps", "0"])
        #expect(result.status != 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
