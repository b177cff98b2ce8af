import Foundation
import Testing
import VisBackends
import VisCore
import VisTestSupport

/// What we write is read by TensorBoard's own loader (`EventAccumulator`) and by tbparse, and what TensorBoard's
/// Python writer writes is read by our reader.
@Suite("TensorBoard interop")
struct TensorboardInteropTests {
    /// Values chosen to exercise float32 rounding, signs, tiny and huge magnitudes, and large steps.
    static let scalars: [(step: Int, value: Double)] = [
        (0, 1.0 / 3), (1, 0.1), (2, -2.5), (3, 1e-8), (4, 3.4e38), (5, 0), (1 << 40, 123_456.789),
    ]
    static let image = try? Image(
        width: 8, height: 9, layout: .rgb, pixels: (0..<(8 * 9 * 3)).map { UInt8(($0 * 37) % 256) })
    static let grayImage = try? Image(width: 5, height: 3, layout: .gray, pixels: (0..<15).map { UInt8($0 * 17) })
    static let text = "hello **md**\n\n| a | b |\n|---|---|\n| 1 | 2 |"

    /// Writes a run with every kind of record into `directory/run`.
    static func writeRun(_ directory: URL) throws -> String {
        let run = directory.appendingPathComponent("run").path
        let backend = try TensorboardVisBackend(saveDir: run, logHParams: true)
        for (step, value) in scalars { try backend.addScalar(name: "train/loss", value: .double(value), step: step) }
        try backend.addScalars(["acc": 0.75, "lr": 0.001], step: 9, filePath: nil)
        try backend.addImage(name: "demo", image: try #require(image), step: 3)
        try backend.addImage(name: "gray", image: try #require(grayImage), step: 4)
        try backend.addConfig(["lr": 0.01, "optim": "adam", "nesterov": false])
        let writer = try #require(try backend.experiment as? TensorboardWriter)
        try writer.addText("note", text, step: 2)
        backend.close()
        return run
    }

    static func json(_ output: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(output.utf8), options: [.fragmentsAllowed])
    }

    @Test("EventAccumulator reads scalars (steps and float32 values exact), images, text and tags")
    func eventAccumulator() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Self.writeRun(directory)
        let output = try TestSupport.runPython(
            #"""
            import sys, json, io
            import numpy as np
            from PIL import Image
            from tensorboard.backend.event_processing import event_accumulator as ea
            from tensorboard.util import tensor_util
            acc = ea.EventAccumulator(sys.argv[1], size_guidance={ea.SCALARS: 0, ea.IMAGES: 0, ea.TENSORS: 0})
            acc.Reload()
            tags = acc.Tags()
            out = {"scalar_tags": sorted(tags["scalars"]), "image_tags": sorted(tags["images"]),
                   "tensor_tags": sorted(tags["tensors"])}
            out["loss"] = [[e.step, e.value] for e in acc.Scalars("train/loss")]
            out["acc"] = [[e.step, e.value] for e in acc.Scalars("acc")]
            out["images"] = {}
            for tag in ("demo", "gray"):
                (e,) = acc.Images(tag)
                pixels = np.asarray(Image.open(io.BytesIO(e.encoded_image_string)))
                out["images"][tag] = {"step": e.step, "width": e.width, "height": e.height,
                                      "shape": list(pixels.shape), "pixels": pixels.flatten().tolist()}
            out["text"] = [[e.step, tensor_util.make_ndarray(e.tensor_proto).tolist()[0].decode()] for e in acc.Tensors("note/text_summary")]
            out["text_plugin"] = acc.SummaryMetadata("note/text_summary").plugin_data.plugin_name
            out["config"] = tensor_util.make_ndarray(acc.Tensors("config/text_summary")[0].tensor_proto).tolist()[0].decode()
            print(json.dumps(out))
            """#, arguments: [run])
        let result = try #require(try Self.json(output) as? [String: Any])
        #expect(result["scalar_tags"] as? [String] == ["acc", "lr", "train/loss"])
        #expect(result["image_tags"] as? [String] == ["demo", "gray"])
        #expect(result["tensor_tags"] as? [String] == ["config/text_summary", "note/text_summary"])
        let loss = try #require(result["loss"] as? [[Double]])
        #expect(loss.map { Int($0[0]) } == Self.scalars.map(\.step))
        // Exact at float32: Python's protobuf widens float32 to a double that may differ in the last bit.
        #expect(loss.map { Float($0[1]) } == Self.scalars.map { Float($0.value) })
        #expect(result["acc"] as? [[Double]] == [[9, 0.75]])
        let images = try #require(result["images"] as? [String: [String: Any]])
        for (tag, original) in [("demo", try #require(Self.image)), ("gray", try #require(Self.grayImage))] {
            let entry = try #require(images[tag])
            #expect(entry["width"] as? Int == original.width)
            #expect(entry["height"] as? Int == original.height)
            #expect((entry["pixels"] as? [Int])?.map { UInt8($0) } == original.pixels)
        }
        #expect(images["demo"]?["shape"] as? [Int] == [9, 8, 3])
        #expect(images["gray"]?["shape"] as? [Int] == [3, 5])
        #expect((result["text"] as? [[Any]])?.first?.last as? String == Self.text)
        #expect(result["text_plugin"] as? String == "text")
        #expect((result["config"] as? String)?.contains("\"optim\"") == true)
    }

    @Test("tbparse reads scalars, text and hparams")
    func tbparse() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Self.writeRun(directory)
        let output = try TestSupport.runPython(
            #"""
            import sys, json
            from tbparse import SummaryReader
            r = SummaryReader(sys.argv[1], extra_columns={"dir_name"})
            s = r.scalars
            out = {"scalars": [[row.dir_name, row.tag, int(row.step), float(row.value)] for row in s.itertuples()]}
            out["text"] = [[row.tag, int(row.step), row.value] for row in r.text.itertuples()]
            out["hparams"] = {row.tag: row.value for row in r.hparams.itertuples()}
            print(json.dumps(out))
            """#, arguments: [directory.path])
        let result = try #require(try Self.json(output) as? [String: Any])
        let scalars = try #require(result["scalars"] as? [[Any]])
        let loss = scalars.filter { $0[1] as? String == "train/loss" }
        #expect(loss.allSatisfy { $0[0] as? String == "run" })
        #expect(loss.map { $0[2] as? Int } == Self.scalars.map(\.step))
        #expect(loss.map { ($0[3] as? Double).map(Float.init) } == Self.scalars.map { Float($0.value) })
        #expect(Set(scalars.compactMap { $0[1] as? String }) == ["train/loss", "acc", "lr"])
        let texts = try #require(result["text"] as? [[Any]])
        #expect(texts.contains { $0[0] as? String == "note" && $0[1] as? Int == 2 && $0[2] as? String == Self.text })
        #expect(texts.contains { $0[0] as? String == "config" && $0[1] as? Int == 0 })
        let hparams = try #require(result["hparams"] as? [String: Any])
        #expect(hparams["lr"] as? Double == 0.01)
        #expect(hparams["optim"] as? String == "adam")
        #expect(hparams["nesterov"] as? Bool == false)
    }

    @Test("our reader reads what TensorBoard's own Python writer wrote")
    func readTheirs() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        try TestSupport.runPython(
            #"""
            import sys
            from tensorboard.summary.writer.event_file_writer import EventFileWriter
            from tensorboard.compat.proto import event_pb2, summary_pb2
            w = EventFileWriter(sys.argv[1])
            for step in range(5):
                v = summary_pb2.Summary.Value(tag="loss", simple_value=step / 3)
                w.add_event(event_pb2.Event(wall_time=1.7e9 + step, step=step, summary=summary_pb2.Summary(value=[v])))
            w.close()
            """#, arguments: [directory.path])
        let runs = try TensorboardLogDirectory.runs(in: directory.path)
        #expect(runs.map(\.name) == ["."])
        let file = try TensorboardEventFile(contentsOf: try #require(runs.first?.files.first))
        #expect(file.fileVersion == "brain.Event:2")
        #expect(file.scalars.map(\.step) == [0, 1, 2, 3, 4])
        #expect(file.scalars.map(\.value) == (0..<5).map { Double(Float(Double($0) / 3)) })
        #expect(file.scalars.map(\.wallTime) == (0..<5).map { 1.7e9 + Double($0) })
    }
}
