import Foundation
import Testing
import VisTestSupport
import Visualization

/// Swift twins of the backend-handling cases of MMEngine's `test_visualizer.py` and of its constructor's rules
/// (`vis_data` suffix, unique names, backends needing a save directory skipped).
@Suite struct VisualizerStorageTests {
    /// MMEngine's `MockVisBackend`: optional save_dir, records what reached it.
    static let registry: VisBackendRegistry = {
        let registry = VisBackendRegistry()
        registry.register("MockVisBackend", requiresSaveDir: false) { InMemoryVisBackend(saveDir: $0.saveDir) }
        registry.register("RequiredSaveDirBackend", requiresSaveDir: true) { InMemoryVisBackend(saveDir: $0.saveDir) }
        registry.register("LocalVisBackend", requiresSaveDir: true) { arguments in
            try LocalVisBackend(saveDir: arguments.requiredSaveDir())
        }
        return registry
    }()

    let mocks: [VisBackendSpec] = [["type": "MockVisBackend", "name": "mock1"], ["type": "MockVisBackend", "name": "mock2"]]

    func image() throws -> Image {
        var image = try Image(width: 10, height: 10, layout: .rgb)
        var state: UInt32 = 7
        for index in image.pixels.indices {
            state = state &* 1_664_525 &+ 1_013_904_223
            image.pixels[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        return image
    }

    func mock(_ visualizer: Visualizer, _ name: String) throws -> InMemoryVisBackend {
        try #require(visualizer.getBackend(name: name) as? InMemoryVisBackend)
    }

    @Test func initKeepsBackendsWithoutSaveDirWhenOptional() throws {
        let visualizer = try Visualizer(image: try image(), backends: mocks, rank: 0, registry: Self.registry)
        #expect(try visualizer.getImage() == image())
        #expect(visualizer.backends.names == ["mock1", "mock2"])
        #expect(try mock(visualizer, "mock1").saveDir == nil)
    }

    @Test func saveDirBecomesVisDataForConfigBackendsWithoutTheirOwn() throws {
        let visualizer = try Visualizer(
            backends: mocks + [["type": "MockVisBackend", "name": "own", "save_dir": "/tmp/own"]], saveDir: "/tmp/run",
            rank: 0, registry: Self.registry)
        #expect(visualizer.saveDir == "/tmp/run/vis_data")
        #expect(try mock(visualizer, "mock1").saveDir == "/tmp/run/vis_data")
        #expect(try mock(visualizer, "own").saveDir == "/tmp/own")
        #expect(visualizer.backends.count == 3)
    }

    @Test func duplicateNamesAreErrors() throws {
        #expect(throws: VisBackendError.duplicateBackendName("MockVisBackend")) {
            try Visualizer(backends: [["type": "MockVisBackend"], ["type": "MockVisBackend"]], rank: 0, registry: Self.registry)
        }
        #expect(throws: VisBackendError.duplicateBackendName("mock1")) {
            try Visualizer(backends: [mocks[0], mocks[0]], rank: 0, registry: Self.registry)
        }
    }

    @Test func backendsThatNeedASaveDirAreSkippedWithAWarning() throws {
        let warnings = Recorder<String>()
        let visualizer = try Visualizer(
            backends: [["type": "RequiredSaveDirBackend"], ["type": "LocalVisBackend"]], rank: 0,
            registry: Self.registry, warningHandler: { warnings.append($0) })
        #expect(visualizer.backends.count == 0)
        #expect(warnings.values == [
            "Failed to add RequiredSaveDirBackend, please provide the `save_dir` argument.",
            "Failed to add LocalVisBackend, please provide the `save_dir` argument.",
        ])
    }

    @Test func instancesAreUsedAsIsWithTheirTypeName() throws {
        let own = InMemoryVisBackend(saveDir: "/tmp/instance")
        let visualizer = try Visualizer(backends: [.backend(own)], saveDir: "/tmp/ignored", rank: 0)
        #expect(visualizer.getBackend(name: "InMemoryVisBackend") === own)
        #expect(own.saveDir == "/tmp/instance")
        let named = try Visualizer(backends: [.backend(InMemoryVisBackend(), name: "a"), .backend(InMemoryVisBackend(), name: "b")], rank: 0)
        #expect(named.backends.names == ["a", "b"])
    }

    @Test func constructionTouchesNothingOnDisk() throws {
        let directory = try TestSupport.makeTemporaryDirectory("lazy").appendingPathComponent("run").path
        let visualizer = try Visualizer(backends: [["type": "LocalVisBackend"]], saveDir: directory, rank: 0)
        #expect(!FileManager.default.fileExists(atPath: directory))
        visualizer.close()
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func everyStorageCallReachesEveryBackend() throws {
        let visualizer = try Visualizer(backends: mocks, rank: 0, registry: Self.registry)
        let image = try image()
        visualizer.addConfig(["a": 1])
            .addGraph(ModelGraph(nodes: [.init(name: "x", op: "Input")]))
            .addImage(name: "img", image: image)
            .addScalar(name: "loss", value: 0.5, step: 1)
            .addScalars(["map": 0.7], step: 2, filePath: "temp.json")
            .addDatasample(name: "sample", image: image, step: 3)
        let expected: [InMemoryVisBackend.Record] = [
            .config(["a": 1]), .graph(ModelGraph(nodes: [.init(name: "x", op: "Input")])),
            .image(name: "img", image: image, step: 0), .scalar(name: "loss", value: 0.5, step: 1),
            .scalars(["map": 0.7], step: 2, filePath: "temp.json"), .image(name: "sample", image: image, step: 3),
        ]
        #expect(try mock(visualizer, "mock1").records == expected)
        #expect(try mock(visualizer, "mock2").records == expected)
    }

    @Test func closeClosesEveryBackend() throws {
        let visualizer = try Visualizer(backends: mocks, rank: 0, registry: Self.registry)
        #expect(try !mock(visualizer, "mock1").isClosed)
        visualizer.close()
        #expect(try mock(visualizer, "mock1").isClosed)
        #expect(try mock(visualizer, "mock2").isClosed)
        visualizer.close()
    }

    @Test func getBackendReturnsNilForUnknownNames() throws {
        let visualizer = try Visualizer(backends: mocks, rank: 0, registry: Self.registry)
        #expect(visualizer.getBackend(name: "mock1") != nil)
        #expect(visualizer.getBackend(name: "nope") == nil)
    }

    @Test func datasetMetaReadsBack() throws {
        let visualizer = try Visualizer(rank: 0)
        #expect(visualizer.datasetMeta == nil)
        visualizer.datasetMeta = ["class": "cat"]
        #expect(visualizer.datasetMeta == ["class": "cat"])
    }

    @Test func imagesHaveValueSemanticsAndAClearErrorWhenMissing() throws {
        let visualizer = try Visualizer(name: "images", rank: 0)
        #expect(throws: VisualizerError.noImage(visualizer: "images")) { try visualizer.getImage() }
        var original = try image()
        visualizer.setImage(original)
        original.pixels[0] &+= 1
        #expect(try visualizer.getImage() == image())
        #expect(try visualizer.getImage().pixels == image().pixels)
    }

    @Test func aFailingBackendIsReportedAndDoesNotStopTheOthers() throws {
        final class Failing: VisBackend, @unchecked Sendable {
            struct Boom: Error {}
            func addScalar(name: String, value: ScalarValue, step: Int) throws { throw Boom() }
        }
        let errors = Recorder<VisBackendError>()
        let recorder = InMemoryVisBackend()
        let visualizer = try Visualizer(
            backends: [.backend(Failing()), .backend(recorder)], rank: 0, errorHandler: { errors.append($0) })
        visualizer.addScalar(name: "loss", value: 1).addScalar(name: "loss", value: 2, step: 1)
        #expect(recorder.scalars(named: "loss").map(\.value) == [1, 2])
        // The same failure again is counted, not reported again.
        #expect(errors.values.count == 1)
        #expect(visualizer.backends.failureCounts.map(\.count) == [2])
    }

    @Test func anUnwritableSaveDirectoryIsReportedOnceThenSummarisedAtClose() throws {
        let directory = try TestSupport.makeTemporaryDirectory("unwritable")
        // A regular file in the save directory's place: creating it fails on every call, even for root.
        let blocker = directory.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let errors = Recorder<VisBackendError>()
        let logs = LogCapture()
        let visualizer = try Visualizer(
            backends: [.backend(try LocalVisBackend(saveDir: blocker.path + "/run")), .backend(InMemoryVisBackend())],
            rank: 0, logger: logs.logger, errorHandler: { errors.append($0) })
        for step in 0..<6 {
            visualizer.addScalar(name: "loss", value: Double(step) / 10, step: step)
        }
        visualizer.addImage(name: "x", image: try Image(width: 2, height: 2))
        #expect(errors.values.count == 1)
        #expect(logs.errors.count == 1)
        #expect(logs.errors.first?.contains("I/O error on") == true)
        visualizer.close()
        #expect(logs.errors.count == 2)
        #expect(logs.errors.last?.contains("LocalVisBackend: 7 io failures") == true, "\(logs.errors)")
    }

    @Test func invalidArgumentsAreTypedErrors() throws {
        #expect(throws: VisualizerError.invalidArgument(argument: "name", expected: "a non-empty name", actual: "\"\"")) {
            try Visualizer(name: "", rank: 0)
        }
        #expect(throws: VisBackendError.self) {
            try Visualizer(backends: [["type": "NoSuchBackend"]], rank: 0)
        }
    }

    @Test func initFromConfigFollowsMMEngine() throws {
        let directory = try TestSupport.makeTemporaryDirectory("from-config").path
        let config = try Config(
            text: """
                type: Visualizer
                name: from_config
                save_dir: \(directory)
                vis_backends:
                  - {type: LocalVisBackend}
                  - {type: InMemoryVisBackend, name: memory}
                fig_save_cfg: {frameon: false}
                """, format: .yaml)
        let visualizer = try Visualizer(config: config, rank: 0)
        #expect(visualizer.name == "from_config")
        #expect(visualizer.backends.names == ["LocalVisBackend", "memory"])
        #expect(visualizer.getBackend(name: "LocalVisBackend")?.saveDir == directory + "/vis_data")
        visualizer.addScalar(name: "loss", value: 0.5).addConfig(config)
        visualizer.close()
        #expect(try String(contentsOfFile: directory + "/vis_data/scalars.json", encoding: .utf8) == "{\"loss\": 0.5, \"step\": 0}\n")
        #expect(try Config(contentsOfFile: directory + "/vis_data/config.yaml") == config)
        #expect(throws: VisualizerError.configValue(key: "vis_backends", expected: "a backend config dictionary or an array of them", actual: "a string")) {
            try Visualizer(config: ["vis_backends": "LocalVisBackend"], rank: 0)
        }
        #expect(throws: VisualizerError.self) { try Visualizer(config: ["nmae": "typo"], rank: 0) }
        let single = try Visualizer(config: ["vis_backends": ["type": "InMemoryVisBackend"]], rank: 0)
        #expect(single.backends.names == ["InMemoryVisBackend"])
    }
}
