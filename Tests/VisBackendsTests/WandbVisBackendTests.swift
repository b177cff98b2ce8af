import Foundation
import Logging
import Testing
import VisCore
import VisTestSupport

@testable import VisBackends

@Suite("WandbVisBackend")
struct WandbVisBackendTests {
    static func makeBackend(
        _ directory: URL, commit: Bool = true, syncOnClose: Bool = false, wandbExecutable: String? = nil,
        defineMetrics: [WandbMetricDefinition] = [], logger: Logger? = nil
    ) throws -> WandbVisBackend {
        try WandbVisBackend(
            saveDir: directory.path, project: "proj", name: "demo", config: ["lr": 0.01], tags: ["t"],
            defineMetrics: defineMetrics, commit: commit, syncOnClose: syncOnClose, wandbExecutable: wandbExecutable,
            clock: WandbTestClock().function, logger: logger)
    }

    static func log(of backend: WandbVisBackend) throws -> WandbLogContents {
        let directory = try #require(backend.runDirectory)
        let id = String((directory as NSString).lastPathComponent.suffix(8))
        return try WandbLogContents(path: directory + "/run-\(id).wandb")
    }

    @Test("constructing and closing an unused backend creates nothing")
    func lazy() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-lazy")
        let backend = try Self.makeBackend(directory)
        backend.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
        #expect(backend.runDirectory == nil)
        #expect(throws: VisBackendError.closed(backend: "WandbVisBackend")) {
            try backend.addScalar(name: "x", value: 1)
        }
    }

    @Test("experiment is the WandbRun and starts it under <saveDir>/wandb")
    func experiment() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-experiment")
        let backend = try Self.makeBackend(directory)
        let run = try #require(try backend.experiment as? WandbRun)
        #expect(try (backend.experiment as? WandbRun) === run)
        #expect(run.directory.hasPrefix(directory.appendingPathComponent("wandb").path + "/offline-run-"))
        #expect(run.options.project == "proj")
        backend.close()
    }

    @Test("commit: true makes every call its own row and ignores the step, as MMEngine does")
    func commitTrue() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-backend")
        let backend = try Self.makeBackend(directory)
        try backend.addScalar(name: "loss", value: 0.5, step: 10)
        try backend.addScalar(name: "loss", value: 0.25, step: 20)
        try backend.addScalars(["acc": 0.9, "map": 1, "step": 3], step: 20)
        try backend.addConfig(["model": ["depth": 50]])
        backend.close()
        backend.close()
        let log = try Self.log(of: backend)
        #expect(
            log.rows.map { $0.filter { !$0.key.hasPrefix("_") } } == [
                ["loss": "0.5"], ["loss": "0.25"], ["acc": "0.9", "map": "1", "step": "3"],
            ])
        #expect(log.rows.map { $0["_step"] } == ["0", "1", "2"])
        // Clock readings: start, three rows, finish, 0.5 s apart.
        #expect(log.exit == WandbExitRecord(exitCode: 0, runtime: 2))
        #expect(log.runRecords.first?.config.map(\.key) == ["_wandb", "lr"])
        #expect(
            log.records.contains {
                $0.content == .config(WandbItemsRecord(update: [WandbItem(key: "model", valueJSON: #"{"depth": 50}"#)]))
            })
        #expect(throws: VisBackendError.closed(backend: "WandbVisBackend")) {
            try backend.addScalar(name: "x", value: 1)
        }
    }

    @Test("commit: false groups calls with the same step into one row")
    func commitFalse() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-backend-false")
        let backend = try Self.makeBackend(directory, commit: false)
        try backend.addScalar(name: "loss", value: 0.5, step: 1)
        try backend.addScalar(name: "lr", value: 0.1, step: 1)
        try backend.addScalars(["loss": 0.4, "lr": 0.1], step: 2)
        try backend.addScalar(name: "acc", value: 0.7, step: 1)
        backend.close()
        let rows = try Self.log(of: backend).rows
        #expect(
            rows.map { $0.filter { !$0.key.hasPrefix("_") } } == [
                ["loss": "0.5", "lr": "0.1"], ["loss": "0.4", "lr": "0.1"], ["acc": "0.7"],
            ])
    }

    @Test("define metrics given to the backend shape the summary")
    func definedMetrics() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-backend-metrics")
        let backend = try Self.makeBackend(
            directory,
            defineMetrics: try WandbMetricDefinition.definitions(fromMMEngineConfig: ["coco/bbox_mAP": "max"]))
        for value in [0.3, 0.5, 0.4] { try backend.addScalar(name: "coco/bbox_mAP", value: .double(value)) }
        backend.close()
        #expect(try Self.log(of: backend).summary["coco/bbox_mAP"] == #"{"max": 0.5}"#)
    }

    @Test("images are logged with their name; bad definitions fail at construction")
    func imagesAndValidation() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-backend-image")
        let backend = try Self.makeBackend(directory)
        try backend.addImage(
            name: "demo", image: try Image(width: 3, height: 2, layout: .rgb, fill: [255, 0, 0]), step: 7)
        backend.close()
        let log = try Self.log(of: backend)
        let value = try #require(log.rows.first?["demo"])
        #expect(value.contains(#""_type": "image-file""#))
        #expect(throws: VisBackendError.self) {
            try WandbVisBackend(saveDir: directory.path, defineMetrics: [WandbMetricDefinition("")])
        }
        #expect(throws: VisBackendError.self) { try WandbVisBackend(saveDir: directory.path, id: "a b") }
    }

    @Test("close logs the wandb sync command when syncOnClose is off")
    func closeLogsCommand() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-backend-notice")
        let capture = LogCapture()
        let backend = try Self.makeBackend(directory, logger: capture.logger)
        try backend.addScalar(name: "x", value: 1)
        backend.close()
        let command = try #require(backend.syncCommand)
        #expect(command == "wandb sync \(try #require(backend.runDirectory))")
        #expect(capture.all.contains { $0.hasPrefix("notice:") && $0.hasSuffix(command) })
    }

    @Test("syncOnClose runs `wandb sync <run dir>` with the found executable")
    func syncOnClose() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-backend-sync")
        let script = directory.appendingPathComponent("fake-wandb").path
        let record = directory.appendingPathComponent("arguments.txt").path
        try "#!/bin/sh\nprintf '%s\\n' \"$@\" > '\(record)'\n".write(toFile: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let backend = try Self.makeBackend(directory, syncOnClose: true, wandbExecutable: script)
        try backend.addScalar(name: "x", value: 1)
        backend.close()
        let arguments = try String(contentsOfFile: record, encoding: .utf8)
        #expect(arguments == "sync\n\(try #require(backend.runDirectory))\n")
    }

    @Test("syncOnClose reports a failing sync and logs the command when wandb is missing")
    func syncFailures() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-backend-syncfail")
        let failures = LogCapture()
        let backend = try WandbVisBackend(
            saveDir: directory.path, syncOnClose: true, wandbExecutable: "/bin/false", logger: failures.logger)
        try backend.addScalar(name: "x", value: 1)
        backend.close()
        #expect(failures.all.contains { $0.hasPrefix("error:") && $0.contains("exited with status 1") })
        #expect(WandbSync.findExecutable("wandb-surely-missing", searchPath: "/nonexistent:/also-missing") == nil)
        #expect(WandbSync.findExecutable("sh", searchPath: "/nonexistent:/bin") == "/bin/sh")
    }

    @Test("shell quoting of the sync command")
    func quoting() {
        #expect(WandbSync.command(for: "/tmp/run-1") == "wandb sync /tmp/run-1")
        #expect(WandbSync.command(for: "/tmp/my run's") == #"wandb sync '/tmp/my run'\''s'"#)
    }
}

@Suite("WandbVisBackend from an MMEngine config")
struct WandbVisBackendMMEngineConfigTests {
    @Test("init_kwargs, define_metric_cfg and commit map onto the backend; dir replaces save_dir")
    func mapping() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-mmengine")
        let backend = try WandbVisBackend(
            saveDir: "/nonexistent/unused",
            initKwargs: [
                "project": "mmdet", "name": "retinanet", "entity": "lab", "group": "g", "job_type": "train",
                "notes": "n", "tags": ["a", "b"], "config": ["lr": 0.02], "id": "run00001", "allow_val_change": true,
                "dir": .string(directory.path), "mode": "offline",
            ],
            defineMetricConfig: ["coco/bbox_mAP": "max"], commit: false)
        #expect(backend.saveDir == directory.path)
        #expect(
            backend.options
                == WandbRunOptions(
                    project: "mmdet", entity: "lab", name: "retinanet", group: "g", jobType: "train", notes: "n",
                    tags: ["a", "b"],
                    config: ["lr": 0.02], id: "run00001", allowValueChange: true))
        #expect(backend.defineMetrics == [WandbMetricDefinition("coco/bbox_mAP", summary: [.max])])
        #expect(!backend.commit)
        try backend.addConfig(["lr": 0.04])
        backend.close()
        #expect(backend.runDirectory?.hasSuffix("-run00001") == true)
    }

    @Test(
        "bad init_kwargs are errors naming the entry",
        arguments: [
            ConfigValue.string("project"), ["unknown_arg": 1], ["tags": "a"], ["tags": [1]], ["config": [1]],
            ["project": 3], ["allow_val_change": "yes"], ["id": "a/b"],
        ] as [ConfigValue])
    func badKwargs(value: ConfigValue) {
        #expect(throws: VisBackendError.self) { try WandbVisBackend(saveDir: "/tmp", initKwargs: value) }
    }
}
