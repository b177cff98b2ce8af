import Foundation
import Testing
import VisBackends
import VisCore
import VisTestSupport
import VisTools

/// The run readers on logs written by the package's own writers and by hand.
@Suite("Curves readers")
struct CurveReaderTests {
    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// An MMEngine runner log of 2 epochs × 3 train lines with a validation line after each epoch.
    static let runnerLog = """
        {"lr": 0.1, "data_time": 0.01, "loss": 2.0, "time": 0.9, "epoch": 1, "iter": 10, "memory": 100, "step": 10}
        {"lr": 0.1, "data_time": 0.01, "loss": 1.5, "time": 0.5, "epoch": 1, "iter": 20, "memory": 100, "step": 20}
        {"lr": 0.1, "data_time": 0.01, "loss": 1.0, "time": 0.4, "epoch": 1, "iter": 30, "memory": 100, "step": 30}
        {"accuracy/top1": 40.0, "data_time": 0.02, "time": 0.3, "step": 1}
        {"lr": 0.01, "data_time": 0.01, "loss": 0.8, "time": 0.8, "epoch": 2, "iter": 10, "memory": 100, "step": 40}
        {"lr": 0.01, "data_time": 0.01, "loss": 0.6, "time": 0.6, "epoch": 2, "iter": 20, "memory": 100, "step": 50}
        {"lr": 0.01, "data_time": 0.01, "loss": 0.5, "time": 0.7, "epoch": 2, "iter": 30, "memory": 100, "step": 60}
        {"accuracy/top1": 55.5, "data_time": 0.02, "time": 0.3, "step": 2}

        """

    @Test("an MMEngine runner log: keys on some lines only, epochs for validation lines, train times")
    func runnerLog() throws {
        let root = try TestSupport.makeTemporaryDirectory("curves")
        defer { try? FileManager.default.removeItem(at: root) }
        let log = root.appendingPathComponent("exp/20240101_120000/vis_data/20240101_120000.json")
        try Self.write(Self.runnerLog, to: log)
        let runs = try Curves.readRuns(at: log.deletingLastPathComponent().path)
        let run = try #require(runs.first)
        #expect(runs.count == 1)
        #expect(run.kind == .runnerLog)
        #expect(run.name == "20240101_120000")
        #expect(run.keys == ["lr", "data_time", "loss", "time", "epoch", "iter", "memory", "accuracy/top1"])
        let loss = try run.points(of: "loss")
        #expect(loss.map(\.step) == [10, 20, 30, 40, 50, 60])
        #expect(loss.map(\.value) == [2.0, 1.5, 1.0, 0.8, 0.6, 0.5])
        #expect(loss.map(\.epoch) == [1, 1, 1, 2, 2, 2])
        #expect(loss.allSatisfy { $0.wallTime == nil })
        let accuracy = try run.points(of: "accuracy/top1")
        #expect(accuracy.map(\.step) == [1, 2])
        #expect(accuracy.map(\.epoch) == [1, 2])
        // Validation lines have no `lr`, so their `time` is not a train time.
        #expect(run.iterationTimes.map(\.seconds) == [0.9, 0.5, 0.4, 0.8, 0.6, 0.7])
        #expect(run.iterationTimes.map(\.step) == [10, 20, 30, 40, 50, 60])

        // The work dir and the file itself name the same run.
        #expect(try Curves.readRuns(at: log.path).first?.name == "20240101_120000")
        #expect(try Curves.readRuns(at: root.appendingPathComponent("exp/20240101_120000").path).first?.keys == run.keys)
    }

    @Test("a LocalVisBackend scalars.json written by the backend itself")
    func localBackend() throws {
        let root = try TestSupport.makeTemporaryDirectory("curves")
        defer { try? FileManager.default.removeItem(at: root) }
        let backend = try LocalVisBackend(saveDir: root.appendingPathComponent("myrun/vis_data").path)
        for step in 0..<5 {
            try backend.addScalars(["loss": .double(1 / Double(step + 1)), "acc": .int(step)], step: step, filePath: nil)
        }
        try backend.addScalar(name: "late", value: .double(.nan), step: 7)
        backend.close()
        let run = try #require(try Curves.readRuns(at: root.appendingPathComponent("myrun").path).first)
        #expect(run.name == "myrun")
        #expect(run.kind == .localScalars)
        #expect(run.keys == ["loss", "acc", "late"])
        #expect(try run.points(of: "acc").map(\.value) == [0, 1, 2, 3, 4])
        #expect(try run.points(of: "loss").map(\.step) == [0, 1, 2, 3, 4])
        let late = try run.points(of: "late")
        #expect(late.count == 1 && late[0].value.isNaN && late[0].step == 7)
        #expect(run.iterationTimes.isEmpty)
    }

    @Test("TensorBoard: every run below the log directory, steps, wall times, epochs of a step's row")
    func tensorboard() throws {
        let root = try TestSupport.makeTemporaryDirectory("curves")
        defer { try? FileManager.default.removeItem(at: root) }
        for (run, scale) in [("a", 1.0), ("b/nested", 2.0)] {
            let writer = try TensorboardWriter(logDirectory: root.appendingPathComponent(run).path)
            for step in 1...4 {
                try writer.addScalar("loss", scale / Double(step), step: step, wallTime: 1000 + Double(step))
                try writer.addScalar("epoch", Double((step + 1) / 2), step: step, wallTime: 1000 + Double(step))
            }
            writer.close()
        }
        let runs = try Curves.readRuns(at: root.path)
        #expect(runs.map(\.name) == ["a", "b/nested"])
        #expect(runs.allSatisfy { $0.kind == .tensorboard })
        let loss = try runs[1].points(of: "loss")
        #expect(loss.map(\.value) == [2, 1, Double(Float(2.0 / 3.0)), 0.5])
        #expect(loss.map(\.wallTime) == [1001, 1002, 1003, 1004])
        // The epoch logged after loss in the same step still applies to it.
        #expect(loss.map(\.epoch) == [1, 1, 2, 2])
        let line = try runs[0].line(of: "loss", axis: .wall, label: "a")
        #expect(line.x == [0, 1, 2, 3])
        let epochs = try runs[0].line(of: "loss", axis: .epoch, label: "a")
        #expect(epochs.x == [0.5, 1, 1.5, 2])
        // One run's folder names it.
        #expect(try Curves.readRuns(at: root.appendingPathComponent("a").path).map(\.name) == ["a"])
    }

    @Test("a W&B offline run written by the package's WandbRun")
    func wandb() throws {
        let root = try TestSupport.makeTemporaryDirectory("curves")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try WandbRun(saveDir: root.path)
        for step in 0..<3 {
            try run.log(["loss": WandbValue(ScalarValue(Double(3 - step))), "epoch": WandbValue(ScalarValue(step))])
        }
        let image = try Image(width: 2, height: 2, layout: .gray, pixels: [0, 1, 2, 3])
        try run.log(["sample": .image(image, caption: nil)])
        run.finish()
        let wandbDirectory = (run.directory as NSString).deletingLastPathComponent
        let latest = (wandbDirectory as NSString).appendingPathComponent("latest-run")
        #expect(FileManager.default.fileExists(atPath: latest))
        // The run folder, the save directory, the wandb folder and the latest-run link all read the one run.
        for path in [run.directory, root.path, wandbDirectory, latest] {
            let runs = try Curves.readRuns(at: path)
            #expect(runs.count == 1)
            let curves = try #require(runs.first)
            #expect(curves.kind == .wandb)
            #expect(curves.name == (run.directory as NSString).lastPathComponent)
            #expect(curves.keys == ["loss", "epoch"])
            #expect(try curves.points(of: "loss").map(\.value) == [3, 2, 1])
            #expect(try curves.points(of: "loss").map(\.step) == [0, 1, 2])
            #expect(try curves.points(of: "loss").allSatisfy { $0.wallTime != nil })
        }
    }

    @Test("logs cut short by a writer still running keep every whole record before the cut")
    func truncatedLogs() throws {
        let root = try TestSupport.makeTemporaryDirectory("curves")
        defer { try? FileManager.default.removeItem(at: root) }
        let writer = try TensorboardWriter(logDirectory: root.appendingPathComponent("tb").path)
        for step in 0..<5 { try writer.addScalar("loss", Double(step), step: step) }
        writer.close()
        let wandb = try WandbRun(saveDir: root.appendingPathComponent("wb").path)
        for step in 0..<5 { try wandb.log(["loss": WandbValue(ScalarValue(Double(step)))]) }
        wandb.finish()
        for path in [writer.filePath, wandb.logPath] {
            let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: try handle.seekToEnd() - 9)
            try handle.close()
        }
        let tb = try #require(try Curves.readRuns(at: writer.filePath).first)
        #expect(try tb.points(of: "loss").map(\.value) == [0, 1, 2, 3])
        let runs = try Curves.readRuns(at: wandb.directory)
        let loss = try #require(try runs.first?.points(of: "loss"))
        #expect(loss.map(\.value) == [0, 1, 2, 3, 4], "the cut only takes the run's closing records")
    }

    @Test("bad input: missing keys list what the run has; corrupt lines name their line; empty runs")
    func badInput() throws {
        let root = try TestSupport.makeTemporaryDirectory("curves")
        defer { try? FileManager.default.removeItem(at: root) }
        let good = root.appendingPathComponent("good/scalars.json")
        try Self.write("{\"loss\": 1, \"step\": 0}\n{\"acc\": 0.5, \"step\": 1}\n{\"loss\": 0.5, \"st", to: good)
        let run = try #require(try Curves.readRuns(at: good.path).first)
        // The incomplete last line (a writer still running) is skipped.
        #expect(try run.points(of: "loss").count == 1)
        #expect(throws: CurvesError.missingKey(run: "good", key: "lr", available: ["loss", "acc"])) {
            try run.summary(of: "lr")
        }
        #expect(CurvesError.missingKey(run: "good", key: "lr", available: ["loss", "acc"]).description.contains("loss, acc"))

        let corrupt = root.appendingPathComponent("corrupt/scalars.json")
        try Self.write("{\"loss\": 1, \"step\": 0}\nnot json\n{\"loss\": 2, \"step\": 1}\n", to: corrupt)
        #expect {
            try Curves.readRuns(at: corrupt.path)
        } throws: { error in
            guard case .corruptLog(let path, let line, _) = error as? CurvesError else { return false }
            return path == corrupt.path && line == 2
        }
        let array = root.appendingPathComponent("array/scalars.json")
        try Self.write("[1, 2]\n", to: array)
        #expect(throws: CurvesError.self) { try Curves.readRuns(at: array.path) }
        let badStep = root.appendingPathComponent("badstep/scalars.json")
        try Self.write("{\"loss\": 1, \"step\": 0.5}\n", to: badStep)
        #expect(throws: CurvesError.self) { try Curves.readRuns(at: badStep.path) }

        let empty = root.appendingPathComponent("empty/scalars.json")
        try Self.write("", to: empty)
        let emptyRun = try #require(try Curves.readRuns(at: empty.path).first)
        #expect(emptyRun.keys.isEmpty)
        #expect(throws: CurvesError.missingKey(run: "empty", key: "loss", available: [])) {
            try emptyRun.summary(of: "loss")
        }

        let nothing = root.appendingPathComponent("nothing")
        try FileManager.default.createDirectory(at: nothing, withIntermediateDirectories: true)
        #expect {
            try Curves.readRuns(at: nothing.path)
        } throws: { error in
            guard case .noRuns = error as? CurvesError else { return false }
            return (error as? CurvesError)?.errorDescription?.contains("TensorBoard") == true
        }
        #expect(throws: CurvesError.self) { try Curves.readRuns(at: root.appendingPathComponent("absent").path) }

        // A damaged TensorBoard record and a .wandb file that is not a W&B log fail cleanly.
        let tb = root.appendingPathComponent("tb")
        let writer = try TensorboardWriter(logDirectory: tb.path)
        try writer.addScalar("loss", 1, step: 1)
        writer.close()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: writer.filePath)))
        bytes[bytes.count - 6] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: writer.filePath))
        #expect(throws: CurvesError.self) { try Curves.readRuns(at: tb.path) }
        let fakeWandb = root.appendingPathComponent("offline-run-x/run-x.wandb")
        try Self.write("not a wandb log", to: fakeWandb)
        #expect(throws: CurvesError.self) { try Curves.readRuns(at: fakeWandb.deletingLastPathComponent().path) }
    }
}
