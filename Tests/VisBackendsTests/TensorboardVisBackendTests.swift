import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisBackends

@Suite("TensorboardVisBackend")
struct TensorboardVisBackendTests {
    static func eventFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.contains("tfevents") }
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    @Test("lazy: nothing on disk until the first add; closing an unused backend touches nothing")
    func lazy() throws {
        let root = try TestSupport.makeTemporaryDirectory("tb-backend")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("vis_data").path
        let unused = try TensorboardVisBackend(saveDir: directory)
        unused.flush()
        unused.close()
        #expect(!FileManager.default.fileExists(atPath: directory))
        #expect(throws: VisBackendError.closed(backend: "TensorboardVisBackend")) {
            try unused.addScalar(name: "x", value: 1, step: 0)
        }
        let backend = try TensorboardVisBackend(saveDir: directory)
        let writer = try #require(try backend.experiment as? TensorboardWriter)
        #expect(try backend.experiment as? TensorboardWriter === writer)
        #expect(Self.eventFiles(directory) == [writer.filePath])
        backend.close()
        #expect(throws: VisBackendError.closed(backend: "TensorboardVisBackend")) { _ = try backend.experiment }
    }

    @Test("MMEngine's measured run: loss@1, acc@2, lr@2, image demo@3 (9×8), config/text_summary@0")
    func mmengineScenario() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-backend")
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = try TensorboardVisBackend(saveDir: directory.path)
        let config: Config = ["a": 1, "b": ["b1": [0, 1]]]
        try backend.addConfig(config)
        try backend.addScalar(name: "loss", value: 0.25, step: 1)
        try backend.addScalars(["acc": 0.9, "lr": 0.01], step: 2, filePath: "ignored.json")
        let image = try Image(width: 8, height: 9, layout: .rgb, fill: [10, 20, 30])
        try backend.addImage(name: "demo", image: image, step: 3)
        backend.close()
        let files = Self.eventFiles(directory.path)
        #expect(files.count == 1)
        let file = try TensorboardEventFile(contentsOf: try #require(files.first))
        #expect(file.scalars.map { "\($0.tag)@\($0.step)" } == ["loss@1", "acc@2", "lr@2"])
        #expect(file.scalars.map(\.value) == [0.25, Double(Float(0.9)), Double(Float(0.01))])
        #expect(file.images.map { "\($0.tag)@\($0.step) \($0.image.height)x\($0.image.width)" } == ["demo@3 9x8"])
        #expect(try Image(data: try #require(file.images.first).image.encoded) == image)
        #expect(file.texts.map { "\($0.tag)@\($0.step)" } == ["config/text_summary@0"])
        let text = try #require(file.texts.first?.text)
        #expect(text.hasPrefix("```json\n") && text.hasSuffix("\n```"))
        #expect(text.contains("\"b1\""))
        #expect(file.hparams.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("ignored.json").path))
    }

    @Test("addScalars with a \"step\" key is rejected and writes nothing")
    func stepKey() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-backend")
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = try TensorboardVisBackend(saveDir: directory.path)
        #expect(throws: VisBackendError.self) { try backend.addScalars(["acc": 1, "step": 3], step: 0, filePath: nil) }
        try backend.addScalar(name: "ok", value: 2, step: 5)
        backend.close()
        let file = try TensorboardEventFile(contentsOf: try #require(Self.eventFiles(directory.path).first))
        #expect(file.scalars.map(\.tag) == ["ok"])
    }

    @Test("logHParams: the config's leaves become the hparams session, ended on close")
    func hparams() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tb-backend")
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = try TensorboardVisBackend(saveDir: directory.path, logHParams: true, clock: { 1_700_000_000 })
        let config: Config = [
            "lr": 0.01, "optim": ["type": "adam", "nesterov": true], "epochs": 12, "note": nil, "sizes": [1, 2],
        ]
        try backend.addConfig(config)
        backend.close()
        let file = try TensorboardEventFile(contentsOf: try #require(Self.eventFiles(directory.path).first))
        #expect(
            file.hparams == [
                .sessionStart(
                    .init(
                        hparams: [
                            ("lr", .number(0.01)), ("optim.type", .string("adam")), ("optim.nesterov", .bool(true)),
                            ("epochs", .number(12)), ("sizes", .string(ConfigValue.array([1, 2]).description)),
                        ], startTimeSeconds: 1_700_000_000)),
                .sessionEnd(.init(status: .success, endTimeSeconds: 1_700_000_000)),
            ])
    }

    @Test("bad arguments are typed errors")
    func badArguments() throws {
        #expect(throws: VisBackendError.self) { try TensorboardVisBackend(saveDir: "") }
        #expect(throws: VisBackendError.self) { try TensorboardVisBackend(saveDir: "/tmp/x", flushInterval: .nan) }
        let directory = try TestSupport.makeTemporaryDirectory("tb-backend")
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocker = directory.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let backend = try TensorboardVisBackend(saveDir: blocker.appendingPathComponent("run").path)
        #expect {
            try backend.addScalar(name: "x", value: 1, step: 0)
        } throws: { error in
            guard case VisBackendError.io(let path, _)? = error as? VisBackendError else { return false }
            return path.hasSuffix("file/run")
        }
    }

    @Test("passes the project's backend conformance suite")
    func conformance() throws {
        try BackendConformance.check { try TensorboardVisBackend(saveDir: $0) }
    }

    @Test("registered as TensorboardVisBackend; config options flush_interval and log_hparams")
    func registry() throws {
        #expect(VisBackendRegistry.builtInTypeNames.contains("TensorboardVisBackend"))
        #expect(VisBackendRegistry.shared.requiresSaveDir("TensorboardVisBackend") == true)
        let directory = try TestSupport.makeTemporaryDirectory("tb-backend")
        defer { try? FileManager.default.removeItem(at: directory) }
        let built = try VisBackendRegistry.shared.build(
            ["type": "TensorboardVisBackend", "flush_interval": 0.5, "log_hparams": true],
            defaultSaveDir: directory.path)
        let backend = try #require(built.backend as? TensorboardVisBackend)
        #expect(backend.saveDir == directory.path)
        #expect(backend.flushInterval == 0.5)
        #expect(backend.logHParams)
        backend.close()
        #expect(throws: VisBackendError.self) {
            try VisBackendRegistry.shared.build(
                ["type": "TensorboardVisBackend", "flush_secs": 1], defaultSaveDir: "/tmp/x")
        }
        #expect(throws: VisBackendError.self) {
            try VisBackendRegistry.shared.build(
                ["type": "TensorboardVisBackend", "log_hparams": "yes"], defaultSaveDir: "/tmp/x")
        }
        #expect(throws: VisBackendError.missingSaveDir(type: "TensorboardVisBackend")) {
            try VisBackendRegistry.shared.build(["type": "TensorboardVisBackend"])
        }
    }
}
