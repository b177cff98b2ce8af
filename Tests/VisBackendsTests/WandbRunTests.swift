import Foundation
import Logging
import OrderedCollections
import Testing
import VisCore
import VisTestSupport

@testable import VisBackends

/// A clock that advances by `tick` seconds on every reading.
final class WandbTestClock: Sendable {
    private let now: LockedValue<Double>
    private let tick: Double

    init(start: Double = 1_700_000_000, tick: Double = 0.5) {
        now = LockedValue(start)
        self.tick = tick
    }

    var function: @Sendable () -> Double {
        { [self] in
            now.withLock { now in
                defer { now += tick }
                return now
            }
        }
    }
}

/// Collects the failures a run reports from its writer thread.
final class WandbFailureCollector: Sendable {
    private let failures = Recorder<VisBackendError>()

    var handler: VisBackendErrorHandler {
        { [self] error in failures.append(error) }
    }

    var all: [VisBackendError] { failures.values }
}

/// What a test reads back from a run's log.
struct WandbLogContents {
    var records: [WandbRecord]
    var ending: WandbLogReader.Ending

    init(path: String) throws {
        let log = try WandbLogReader(path: path)
        records = try log.records()
        ending = log.ending
    }

    var kinds: [String] {
        records.map { record in
            switch record.content {
            case .header: return "header"
            case .run: return "run"
            case .history: return "history"
            case .summary: return "summary"
            case .config: return "config"
            case .files: return "files"
            case .metric: return "metric"
            case .exit: return "exit"
            case .other(let field): return "other\(field)"
            }
        }
    }

    /// History rows as `key → value_json`.
    var rows: [[String: String]] {
        records.compactMap { record in
            guard case .history(let history) = record.content else { return nil }
            var row: [String: String] = [:]
            for item in history.items { row[item.path] = item.valueJSON }
            #expect(row["_step"] == String(history.step))
            return row
        }
    }

    /// The summary after applying every update and removal in order.
    var summary: [String: String] {
        var summary: [String: String] = [:]
        for record in records {
            guard case .summary(let update) = record.content else { continue }
            for item in update.update { summary[item.path] = item.valueJSON }
            for item in update.remove { summary[item.path] = nil }
        }
        return summary
    }

    var runRecords: [WandbRunRecord] {
        records.compactMap { if case .run(let run) = $0.content { return run } else { return nil } }
    }

    var exit: WandbExitRecord? {
        records.compactMap { if case .exit(let exit) = $0.content { return exit } else { return nil } }.last
    }
}

@Suite("W&B run")
struct WandbRunTests {
    static func makeRun(
        _ directory: URL, options: WandbRunOptions = WandbRunOptions(), flushInterval: Double = 5
    ) throws -> WandbRun {
        try WandbRun(
            saveDir: directory.path, options: options, flushInterval: flushInterval,
            clock: WandbTestClock().function)
    }

    @Test("a run directory is wandb/offline-run-<YYYYMMDD_HHMMSS>-<8 chars a-z0-9> with run-<id>.wandb and files/")
    func layout() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-layout")
        let run = try Self.makeRun(directory)
        run.finish()
        let name = (run.directory as NSString).lastPathComponent
        #expect(name.wholeMatch(of: /offline-run-\d{8}_\d{6}-[a-z0-9]{8}/) != nil)
        #expect(name.hasSuffix(run.id))
        #expect(run.directory == directory.appendingPathComponent("wandb/\(name)").path)
        #expect(run.logPath == run.directory + "/run-\(run.id).wandb")
        var isDirectory: ObjCBool = false
        #expect(
            FileManager.default.fileExists(atPath: run.filesDirectory, isDirectory: &isDirectory)
                && isDirectory.boolValue)
        #expect(
            try FileManager.default.destinationOfSymbolicLink(
                atPath: directory.appendingPathComponent("wandb/latest-run").path) == name)
        #expect(run.syncCommand == "wandb sync \(run.directory)")
    }

    @Test("the log holds header, run (identity, config, tags, start time), rows, summary and exit, in that order")
    func recordSequence() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-sequence")
        let options = WandbRunOptions(
            project: "proj", entity: "team", name: "first", group: "g", jobType: "train", notes: "hello",
            tags: ["a", "b", "a"], config: ["lr": 0.01, "arch": ["depth": 2]], id: "abcd1234")
        let run = try Self.makeRun(directory, options: options)
        try run.log(["loss": 0.5, "epoch": 1])
        try run.log(["loss": 0.25])
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        #expect(log.ending == .complete)
        #expect(log.kinds == ["header", "run", "summary", "history", "summary", "history", "summary", "exit"])
        #expect(log.records.map(\.number) == Array(1...8))
        guard case .header(let header) = log.records[0].content else { return }
        #expect(header.producer == WandbRun.producer)
        let record = try #require(log.runRecords.first)
        #expect(record.runID == "abcd1234")
        #expect(record.project == "proj")
        #expect(record.entity == "team")
        #expect(record.displayName == "first")
        #expect(record.group == "g")
        #expect(record.jobType == "train")
        #expect(record.notes == "hello")
        #expect(record.tags == ["a", "b"])
        #expect(record.startTime == 1_700_000_000)
        #expect(record.config.map(\.key) == ["_wandb", "lr", "arch"])
        #expect(record.config.map(\.valueJSON) == ["{}", "0.01", #"{"depth": 2}"#])
        // The clock ticks 0.5 s per reading: start, then one reading per row, then one at finish.
        #expect(
            log.rows == [
                ["loss": "0.5", "epoch": "1", "_step": "0", "_runtime": "0.5", "_timestamp": "1700000000.5"],
                ["loss": "0.25", "_step": "1", "_runtime": "1.0", "_timestamp": "1700000001.0"],
            ])
        #expect(
            log.summary == [
                "loss": "0.25", "epoch": "1", "_step": "1", "_runtime": "1.0", "_timestamp": "1700000001.0",
                "_wandb.runtime": "1",
            ])
        #expect(log.exit == WandbExitRecord(exitCode: 0, runtime: 1))
    }

    @Test("commit: false accumulates into the open row; the next committing call writes it")
    func commitFalse() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-commit")
        let run = try Self.makeRun(directory)
        try run.log(["x": 1], commit: false)
        try run.log(["y": 2], commit: false)
        try run.log(["x": 3], commit: false)
        #expect(run.step == 0)
        try run.log(["z": 4])
        #expect(run.step == 1)
        try run.log(["w": 5], commit: false)
        run.finish()
        let rows = try WandbLogContents(path: run.logPath).rows
        #expect(rows.map { $0.filter { !$0.key.hasPrefix("_") } } == [["x": "3", "y": "2", "z": "4"], ["w": "5"]])
        #expect(rows.map { $0["_step"] } == ["0", "1"])
    }

    @Test("an explicit step commits the open row when it grows, accumulates when equal, and is ignored when smaller")
    func explicitSteps() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-steps")
        let run = try Self.makeRun(directory)
        try run.log(["a": 1], step: 5)
        try run.log(["b": 2], step: 5)
        try run.log(["c": 3], step: 2)
        try run.log(["d": 4], step: 9, commit: true)
        try run.log(["e": 5])
        run.finish()
        let rows = try WandbLogContents(path: run.logPath).rows
        #expect(rows.map { $0.filter { !$0.key.hasPrefix("_") } } == [["a": "1", "b": "2"], ["d": "4"], ["e": "5"]])
        #expect(rows.map { $0["_step"] } == ["5", "9", "10"])
    }

    @Test("define_metric summaries: max, min/mean/last, best with a goal, none, and patterns")
    func metricSummaries() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-metrics")
        let run = try Self.makeRun(directory)
        try run.defineMetric(WandbMetricDefinition("acc", summary: [.max]))
        try run.defineMetric(WandbMetricDefinition("loss", summary: [.min, .mean, .last]))
        try run.defineMetric(WandbMetricDefinition("val/*", summary: [.best, .first], goal: .minimize))
        try run.defineMetric(WandbMetricDefinition("noise", summary: [.none]))
        for (index, (acc, loss)) in [(5, 1.0), (7, 0.5), (6, 0.75)].enumerated() {
            try run.log([
                "acc": WandbValue(ScalarValue(acc)), "loss": WandbValue(ScalarValue(loss)),
                "val/err": WandbValue(ScalarValue(Double(3 - index))), "noise": 1.5,
            ])
        }
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        let summary = log.summary
        #expect(summary["acc"] == #"{"max": 7}"#)
        #expect(summary["loss"] == #"{"min": 0.5, "mean": 0.75, "last": 0.75}"#)
        #expect(summary["val/err"] == #"{"best": 1.0, "first": 3.0}"#)
        #expect(summary["noise"] == nil)
        #expect(log.rows.count == 3)
        let metrics = log.records.compactMap {
            if case .metric(let metric) = $0.content { return metric } else { return nil }
        }
        #expect(metrics.count == 4)
        #expect(metrics[2].globName == "val/*" && metrics[2].name.isEmpty && metrics[2].goal == .minimize)
        #expect(metrics[0].summary == [.max])
    }

    @Test("a step metric's last value is added to rows that log a metric plotted against it")
    func stepSync() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-stepsync")
        let run = try Self.makeRun(directory)
        try run.defineMetric(WandbMetricDefinition("val/*", stepMetric: "epoch"))
        try run.log(["epoch": 1])
        try run.log(["val/acc": 0.5])
        try run.log(["val/acc": 0.6, "epoch": 2])
        try run.log(["train/loss": 0.1])
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        #expect(log.rows.map { $0["epoch"] } == ["1", "1", "2", nil])
        let metric = log.records.compactMap {
            if case .metric(let metric) = $0.content { return metric } else { return nil }
        }
        #expect(metric.first?.stepMetric == "epoch" && metric.first?.stepSync == true)
    }

    @Test("an image becomes a PNG under files/media/images, a files record and an image-file value")
    func images() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-image")
        let run = try Self.makeRun(directory)
        let image = try Image(width: 5, height: 4, layout: .rgb, pixels: (0..<60).map { UInt8($0 * 4) })
        try run.log(["loss": 1])
        try run.log(["val/sample": .image(image, caption: "first \"batch\""), "acc": 0.5])
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        #expect(log.kinds == ["header", "run", "summary", "history", "files", "summary", "history", "summary", "exit"])
        guard case .files(let files) = log.records[4].content else {
            Issue.record("expected a files record, got \(log.records[4].content)")
            return
        }
        let png = try image.pngData()
        let sha = SHA256.hash(png).hexString
        let path = "media/images/val/sample_1_\(sha.prefix(20)).png"
        #expect(files == [WandbFileItem(path: path)])
        let written = try Data(contentsOf: URL(fileURLWithPath: run.filesDirectory + "/" + path))
        #expect([UInt8](written) == png)
        let value = try #require(log.rows.last?["val/sample"])
        let parsed = try Config(text: value, format: .json)
        #expect(
            parsed.values == [
                "_type": "image-file", "path": .string(path), "sha256": .string(sha), "size": .int(png.count),
                "width": 5,
                "height": 4, "format": "png", "caption": "first \"batch\"",
            ])
        #expect(log.summary["val/sample"] == value)
        #expect(log.rows.last?["acc"] == "0.5")
    }

    @Test("an image key with repeated / or . components is written at its normalised path, under its own key")
    func normalisedImageKeys() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-image-key")
        let run = try Self.makeRun(directory)
        let image = try Image(width: 2, height: 2, layout: .gray, pixels: [0, 64, 128, 255])
        try run.log(["val//./sample": .image(image)])
        run.finish()
        let sha = SHA256.hash(try image.pngData()).hexString
        let path = "media/images/val/sample_0_\(sha.prefix(20)).png"
        #expect(FileManager.default.fileExists(atPath: run.filesDirectory + "/" + path))
        let log = try WandbLogContents(path: run.logPath)
        let value = try #require(log.rows.last?["val//./sample"])
        #expect(try Config(text: value, format: .json).values["path"] == .string(path))
    }

    @Test("an image that cannot be encoded is reported to the error handler and left out of its row")
    func imageEncodingFailure() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-image-failure")
        let failures = WandbFailureCollector()
        let run = try WandbRun(
            saveDir: directory.path, clock: WandbTestClock().function, errorHandler: failures.handler)
        try run.log(["empty": .image(try Image(width: 0, height: 0, layout: .rgb)), "other": 1])
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        #expect(log.rows.map { $0.filter { !$0.key.hasPrefix("_") } } == [["other": "1"]])
        #expect(!log.kinds.contains("files"))
        #expect(log.exit?.exitCode == 0)
        let errors = failures.all
        #expect(errors.count == 1)
        guard case .encodingFailed(let name, _)? = errors.first else {
            Issue.record("expected an encoding failure, got \(errors)")
            return
        }
        #expect(name == "empty")
    }

    @Test("config updates write config records; changing a value needs allowValueChange")
    func configUpdates() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-config")
        let run = try Self.makeRun(directory, options: WandbRunOptions(config: ["lr": 0.01]))
        try run.updateConfig(["later": 5, "lr": 0.01, "model": ["type": "ResNet", "depth": 50]])
        #expect(throws: VisBackendError.self) { try run.updateConfig(["lr": 0.02]) }
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        let configs = log.records.compactMap {
            if case .config(let config) = $0.content { return config } else { return nil }
        }
        #expect(
            configs == [
                WandbItemsRecord(update: [
                    WandbItem(key: "later", valueJSON: "5"),
                    WandbItem(key: "model", valueJSON: #"{"type": "ResNet", "depth": 50}"#),
                ])
            ])

        let second = try Self.makeRun(directory, options: WandbRunOptions(config: ["lr": 0.01], allowValueChange: true))
        try second.updateConfig(["lr": 0.02])
        second.finish()
        let changed = try WandbLogContents(path: second.logPath).records.compactMap {
            if case .config(let config) = $0.content { return config } else { return nil }
        }
        #expect(changed == [WandbItemsRecord(update: [WandbItem(key: "lr", valueJSON: "0.02")])])
    }

    @Test("summary values, removals and new tags are written")
    func summaryAndTags() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-tags")
        let run = try Self.makeRun(directory, options: WandbRunOptions(tags: ["a"]))
        try run.updateSummary(["best_acc": 0.9, "note": "ok"])
        try run.removeSummary(["note"])
        try run.addTags(["b", "a"])
        try run.addTags(["b"])
        #expect(run.tags == ["a", "b"])
        #expect(throws: VisBackendError.self) { try run.addTags([""]) }
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        #expect(log.summary["best_acc"] == "0.9")
        #expect(log.summary["note"] == nil)
        #expect(log.runRecords.map(\.tags) == [["a"], ["a", "b"]])
        #expect(log.runRecords.allSatisfy { $0.runID == run.id })
    }

    @Test("bad keys throw and log nothing")
    func badKeys() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-badkeys")
        let run = try Self.makeRun(directory)
        let image = try Image(width: 1, height: 1, layout: .gray, pixels: [0])
        #expect(throws: VisBackendError.invalidArgument(argument: "key", expected: "non-empty keys", actual: "\"\"")) {
            try run.log(["": 1, "ok": 2])
        }
        #expect(throws: VisBackendError.self) { try run.log(["_step": 1]) }
        #expect(throws: VisBackendError.self) { try run.log(["x": 1], step: Int.max) }
        for key in ["../escape", "/abs"] {
            #expect(throws: VisBackendError.pathEscapesSaveDir(argument: "key", path: key)) {
                try run.log([key: .image(image)])
            }
        }
        #expect(throws: VisBackendError.invalidArgument(
            argument: "key", expected: "a file name, not a directory (drop the trailing `/`)", actual: "\"dir/\"")) {
            try run.log(["dir/": .image(image)])
        }
        #expect(throws: VisBackendError.self) { try run.defineMetric(WandbMetricDefinition("m", summary: [.best])) }
        run.finish()
        #expect(try WandbLogContents(path: run.logPath).rows.isEmpty)
    }

    @Test("a bad run id or an existing run directory is an error naming the argument or path")
    func badIDs() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-ids")
        for id in ["", "a/b", "x y", "what?", String(repeating: "a", count: 65)] {
            #expect(throws: VisBackendError.self) { try Self.makeRun(directory, options: WandbRunOptions(id: id)) }
        }
        let run = try Self.makeRun(directory, options: WandbRunOptions(id: "fixed"))
        run.finish()
        // The test clock starts at the same second, so the same id names the same directory.
        #expect(throws: VisBackendError.self) { try Self.makeRun(directory, options: WandbRunOptions(id: "fixed")) }
    }

    @Test("after finish every call throws closed; finish is idempotent")
    func finishedRun() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-finished")
        let run = try Self.makeRun(directory)
        run.finish(exitCode: 3)
        run.finish()
        #expect(run.isFinished)
        #expect(throws: VisBackendError.closed(backend: "WandbRun(\(run.id))")) { try run.log(["x": 1]) }
        #expect(throws: VisBackendError.self) { try run.updateConfig(["a": 1]) }
        #expect(throws: VisBackendError.self) { try run.commit() }
        run.flush()
        #expect(try WandbLogContents(path: run.logPath).exit == WandbExitRecord(exitCode: 3, runtime: 0))
    }

    @Test("a run that is never finished has every flushed record on disk and no exit record")
    func unfinishedRun() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-killed")
        let run = try Self.makeRun(directory)
        for index in 0..<1_000 { try run.log(["loss": WandbValue(ScalarValue(Double(index)))]) }
        try run.log(["open": 1], commit: false)
        run.flush()
        let log = try WandbLogContents(path: run.logPath)
        #expect(log.ending == .complete)
        #expect(log.rows.count == 1_000)
        #expect(log.exit == nil)
        run.finish()
    }

    @Test("records reach the file within the flush interval without an explicit flush")
    func periodicFlush() async throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-timer")
        let run = try Self.makeRun(directory, flushInterval: 0.05)
        try run.log(["x": 1])
        var rows = 0
        for _ in 0..<200 where rows == 0 {
            try await Task.sleep(nanoseconds: 20_000_000)
            rows = try WandbLogContents(path: run.logPath).rows.count
        }
        #expect(rows == 1)
        run.finish()
    }

    @Test("rows logged from many threads at once are all written, each whole")
    func concurrentLogging() async throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-concurrent")
        let run = try Self.makeRun(directory, flushInterval: 0)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<250 { try? run.log(["w\(worker)": WandbValue(ScalarValue(index))]) }
                }
            }
        }
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        #expect(log.rows.count == 2_000)
        #expect(log.rows.map { $0["_step"] } == (0..<2_000).map { String($0) })
        for worker in 0..<8 {
            #expect(log.rows.compactMap { $0["w\(worker)"] } == (0..<250).map { String($0) })
        }
    }

    @Test("large rows spanning blocks read back whole")
    func largeRows() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-large")
        let run = try Self.makeRun(directory)
        let text = String(repeating: "x", count: 50_000)
        try run.log(["text": .value(.string(text))])
        try run.log(["n": 1])
        run.finish()
        let log = try WandbLogContents(path: run.logPath)
        #expect(log.rows.first?["text"] == "\"\(text)\"")
        #expect(log.rows.count == 2)
    }
}

@Suite("W&B metric definitions")
struct WandbMetricDefinitionTests {
    @Test("MMEngine's define_metric_cfg as a dictionary of summaries")
    func dictionaryConfig() throws {
        let definitions = try WandbMetricDefinition.definitions(fromMMEngineConfig: [
            "coco/bbox_mAP": "max", "loss": "min,last",
        ])
        #expect(
            definitions == [
                WandbMetricDefinition("coco/bbox_mAP", summary: [.max]),
                WandbMetricDefinition("loss", summary: [.min, .last]),
            ])
    }

    @Test("MMEngine's define_metric_cfg as a list of define_metric arguments")
    func listConfig() throws {
        let definitions = try WandbMetricDefinition.definitions(fromMMEngineConfig: [
            ["name": "loss", "step_metric": "epoch"],
            ["name": "acc", "summary": "best", "goal": "max", "hidden": true, "step_sync": false],
        ])
        #expect(
            definitions == [
                WandbMetricDefinition("loss", stepMetric: "epoch"),
                WandbMetricDefinition("acc", stepSync: false, hidden: true, summary: [.best], goal: .maximize),
            ])
    }

    @Test(
        "anything else is an error naming define_metric_cfg or the argument",
        arguments: [
            ConfigValue.string("max"), 3, ["loss": 1], ["loss": "median"], [["summary": "max"]],
            [["name": "a", "bogus": 1]],
            [["name": "a", "goal": "up"]], [["name": "a", "summary": "best"]], ["just a string"],
        ] as [ConfigValue])
    func badConfig(value: ConfigValue) {
        #expect(throws: VisBackendError.self) { try WandbMetricDefinition.definitions(fromMMEngineConfig: value) }
    }

    @Test("patterns match with * over any characters")
    func patterns() {
        let definition = WandbMetricDefinition("val/*/acc*")
        #expect(definition.matches("val/coco/acc"))
        #expect(definition.matches("val/a/b/acc_top1"))
        #expect(!definition.matches("train/coco/acc"))
        #expect(!definition.matches("val/acc"))
        #expect(WandbMetricDefinition("*").matches(""))
        #expect(!WandbMetricDefinition("loss").matches("loss2"))
    }
}
