import Foundation
import Testing
import VisBackends
import VisCore
import VisTestSupport

@Suite struct MultiplexAndInMemoryTests {
    final class FailingBackend: VisBackend, @unchecked Sendable {
        struct Boom: Error {}
        func addScalar(name: String, value: ScalarValue, step: Int) throws { throw Boom() }
    }

    @Test func namesDefaultToTheTypeNameAndMustBeUnique() throws {
        let multiplex = try MultiplexVisBackend([InMemoryVisBackend()])
        #expect(multiplex.names == ["InMemoryVisBackend"])
        #expect(throws: VisBackendError.duplicateBackendName("InMemoryVisBackend")) {
            try multiplex.add(InMemoryVisBackend())
        }
        try multiplex.add(InMemoryVisBackend(), name: "second")
        #expect(multiplex.names == ["InMemoryVisBackend", "second"])
        #expect(multiplex.backend(named: "second") is InMemoryVisBackend)
        #expect(multiplex.backend(named: "missing") == nil)
    }

    @Test func aFailingBackendIsReportedAndTheOthersStillStore() throws {
        let before = InMemoryVisBackend()
        let after = InMemoryVisBackend()
        let reported = Recorder<VisBackendError>()
        let multiplex = try MultiplexVisBackend(
            named: [("before", before), ("failing", FailingBackend()), ("after", after)],
            errorHandler: { reported.append($0) })
        do {
            try multiplex.addScalar(name: "loss", value: 1, step: 0)
            Issue.record("expected the failure to be thrown")
        } catch let VisBackendError.backendsFailed(failures) {
            #expect(failures.map(\.backend) == ["failing"])
            #expect(failures.first?.operation == "addScalar")
        }
        #expect(before.records == [.scalar(name: "loss", value: 1, step: 0)])
        #expect(after.records == [.scalar(name: "loss", value: 1, step: 0)])
        #expect(reported.values.count == 1)
    }

    @Test func aBackendFailingOnEveryCallIsReportedOncePerKindThenCountedAndSummarisedAtClose() throws {
        let capture = LogCapture()
        let reported = Recorder<VisBackendError>()
        let closedBackend = InMemoryVisBackend()
        closedBackend.close()
        let multiplex = try MultiplexVisBackend(
            named: [("failing", FailingBackend()), ("closed", closedBackend)],
            errorHandler: { reported.append($0) }, logger: capture.logger)
        for step in 0..<5 {
            #expect(throws: VisBackendError.self) { try multiplex.addScalar(name: "loss", value: 1, step: step) }
        }
        // Each call still throws every failure; the handler saw each backend's first failure only.
        #expect(reported.values.count == 1)
        if case let .backendsFailed(firsts)? = reported.values.first {
            #expect(firsts.map(\.backend) == ["failing", "closed"])
        }
        #expect(multiplex.failureCounts.map(\.backend) == ["failing", "closed"])
        #expect(multiplex.failureCounts.map(\.kind) == ["Boom", "closed"])
        #expect(multiplex.failureCounts.map(\.count) == [5, 5])
        #expect(capture.errors.isEmpty)
        multiplex.close()
        multiplex.close()
        #expect(capture.errors.count == 1, "one summary, once")
        let summary = capture.errors.first ?? ""
        #expect(summary.contains("failing: 5 Boom failures") && summary.contains("closed: 5 closed failures"))
    }

    @Test func aWriterThatCannotWriteLogsTheFirstFailureOnceAndCountsTheRest() throws {
        let capture = LogCapture()
        let reported = Recorder<VisBackendError>()
        let directory = try TestSupport.makeTemporaryDirectory("writer-failures")
        // A regular file where the parent directory should be: every append fails, even for root.
        let blocker = directory.appendingPathComponent("blocker").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let writer = BackgroundWriter(label: "blocked", logger: capture.logger, errorHandler: { reported.append($0) })
        let file = AppendFile(path: blocker + "/scalars.json")
        for index in 0..<4 {
            try writer.append(Array("line \(index)\n".utf8), to: file)
            writer.flush()
        }
        #expect(reported.values.count == 1)
        #expect(capture.errors.count == 1)
        writer.close()
        #expect(capture.errors.count == 2)
        #expect(capture.errors.last?.contains("blocked: 4 io failures") == true, "\(capture.all)")
    }

    @Test func fansOutInInsertionOrder() throws {
        let order = Recorder<String>()
        final class Probe: VisBackend, @unchecked Sendable {
            let label: String
            let order: Recorder<String>
            init(_ label: String, _ order: Recorder<String>) { self.label = label; self.order = order }
            func addScalar(name: String, value: ScalarValue, step: Int) throws { order.append(label) }
        }
        let multiplex = try MultiplexVisBackend(named: [("b", Probe("b", order)), ("a", Probe("a", order)), ("c", Probe("c", order))])
        try multiplex.addScalar(name: "x", value: 1, step: 0)
        #expect(order.values == ["b", "a", "c"])
    }

    @Test func inMemoryRecordsEveryCall() throws {
        let backend = InMemoryVisBackend()
        #expect(!backend.isOpened)
        let image = try Image(width: 2, height: 1, layout: .gray, pixels: [1, 2])
        try backend.addConfig(["a": 1])
        try backend.addGraph(ModelGraph(nodes: [.init(name: "x", op: "Input")]))
        try backend.addImage(name: "img", image: image, step: 3)
        try backend.addScalar(name: "loss", value: 0.5, step: 1)
        try backend.addScalars(["loss": 0.25, "acc": 1], step: 2, filePath: "f.json")
        backend.flush()
        backend.close()
        #expect(backend.isOpened)
        #expect(backend.records == [
            .config(["a": 1]), .graph(ModelGraph(nodes: [.init(name: "x", op: "Input")])),
            .image(name: "img", image: image, step: 3), .scalar(name: "loss", value: 0.5, step: 1),
            .scalars(["loss": 0.25, "acc": 1], step: 2, filePath: "f.json"), .flush, .close,
        ])
        #expect(backend.scalars(named: "loss").map(\.step) == [1, 2])
        #expect(backend.scalars(named: "loss").map(\.value) == [0.5, 0.25])
        #expect(backend.images(named: "img").map(\.image) == [image])
    }

    @Test func scalarValuesKeepIntsAndFloatsApart() {
        let values: [ScalarValue] = [3, 3.0, ScalarValue(Int8(-2)), ScalarValue(Float(0.5)), .double(.nan)]
        #expect(values.map(\.jsonText) == ["3", "3.0", "-2", "0.5", "NaN"])
        #expect(ScalarValue(UInt64.max) == .int(Int.max))
        #expect(values[0].doubleValue == 3)
    }
}

@Suite struct VisBackendRegistryTests {
    @Test func customTypesRegisterAndBuildWithOptions() throws {
        let registry = VisBackendRegistry()
        registry.register("Recorder", requiresSaveDir: false) { arguments in
            try arguments.rejectUnknownOptions(known: ["label"])
            #expect(try arguments.string("label") == "x")
            return InMemoryVisBackend(saveDir: arguments.saveDir)
        }
        let (name, backend) = try registry.build(["type": "Recorder", "name": "rec", "label": "x"], defaultSaveDir: "/tmp/d")
        #expect(name == "rec")
        #expect(backend.saveDir == "/tmp/d")
        #expect(registry.typeNames == ["Recorder"])
        #expect(throws: VisBackendError.configValue(key: "typo", expected: "one of label for Recorder", actual: "an unknown option")) {
            try registry.build(["type": "Recorder", "typo": 1])
        }
    }

    @Test func configSaveDirWinsOverTheDefault() throws {
        let (_, backend) = try VisBackendRegistry.shared.build(
            ["type": "LocalVisBackend", "save_dir": "/tmp/own"], defaultSaveDir: "/tmp/default/vis_data")
        #expect(backend.saveDir == "/tmp/own")
    }

    @Test func errorsNameTheProblem() throws {
        #expect(throws: VisBackendError.missingSaveDir(type: "LocalVisBackend")) {
            try VisBackendRegistry.shared.build(["type": "LocalVisBackend"])
        }
        #expect(throws: VisBackendError.configValue(key: "type", expected: "a backend type name", actual: "nothing")) {
            try VisBackendRegistry.shared.build(["name": "x"])
        }
        do {
            _ = try VisBackendRegistry.shared.build(["type": "NoSuchBackend"])
            Issue.record("expected unknownType")
        } catch let VisBackendError.unknownType(_, type, known) {
            #expect(type == "NoSuchBackend")
            #expect(known.starts(with: VisBackendRegistry.builtInTypeNames))
        }
        #expect(throws: VisBackendError.configValue(key: "img_save_dir", expected: "a string", actual: "an integer")) {
            try VisBackendRegistry.shared.build(["type": "LocalVisBackend", "save_dir": "/tmp/x", "img_save_dir": 3])
        }
    }
}
