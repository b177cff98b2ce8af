import Foundation
import Testing
import VisBackends
import VisCore
import VisTestSupport

/// Logging onto a disk that fills up and then frees space again (a 1 MiB tmpfs mounted inside the test, as root):
/// the training loop never sees a throw, the failure is reported once, what was written before it stays readable
/// (whole JSON lines, TFRecords that our reader accepts), and logging resumes when space comes back.
@Suite(.serialized) struct DiskFullTests {
    /// Runs `body` with a directory on a nearly full 1 MiB tmpfs and a closure that frees the space again. Without
    /// root (or on macOS) the test records an issue under CI and returns otherwise.
    static func withNearlyFullDisk(_ body: (_ directory: String, _ freeSpace: () throws -> Void) throws -> Void) throws {
        guard let mount = try TestMount.tmpfs("disk-full", size: "1m") else { return }
        defer { mount.remove() }
        let directory = mount.path
        // Fill the disk with 16 KiB files, then free two of them: about 32 KiB are left.
        var fillers: [String] = []
        while fillers.count < 100 {
            let path = directory + "/filler\(fillers.count)"
            fillers.append(path)
            if !FileManager.default.createFile(atPath: path, contents: Data(count: 16 << 10)) { break }
        }
        #expect(fillers.count < 100, "the tmpfs never filled up")
        for path in fillers.prefix(2) { try FileManager.default.removeItem(atPath: path) }
        try body(directory) {
            for path in fillers.dropFirst(2) { try? FileManager.default.removeItem(atPath: path) }
        }
    }

    /// Logs `loss` at steps 0..<3000 (flushing every 100 steps) onto the nearly full disk, frees the space, logs
    /// steps 10_000..<10_100 and closes; returns the steps of the whole records read back and the failures.
    static func logThroughTheFault(
        make: (_ errorHandler: @escaping VisBackendErrorHandler) throws -> any VisBackend, directory: String,
        freeSpace: () throws -> Void
    ) throws -> [VisBackendError] {
        let reported = Recorder<VisBackendError>()
        let backend = try make { reported.append($0) }
        for step in 0..<3000 {
            try backend.addScalar(name: "loss", value: .double(1 / Double(step + 1)), step: step)
            if step % 100 == 99 { backend.flush() }
        }
        backend.flush()
        try freeSpace()
        for step in 10_000..<10_100 { try backend.addScalar(name: "loss", value: .double(0.5), step: step) }
        backend.close()
        return reported.values
    }

    /// Checks the steps read back: some records before the fault, not all of them, increasing, and every record
    /// logged after space came back.
    static func expectWholeAndResumed(_ steps: [Int]) {
        let before = steps.filter { $0 < 3000 }
        #expect(!before.isEmpty && before.count < 3000, "\(before.count) records before the fault")
        #expect(before.first == 0)
        #expect(zip(before, before.dropFirst()).allSatisfy { $0 < $1 }, "records in order, none repeated")
        #expect(steps.filter { $0 >= 10_000 } == Array(10_000..<10_100), "logging resumes")
    }

    @Test("LocalVisBackend: whole JSON lines, one report, resumes")
    func localBackend() throws {
        try Self.withNearlyFullDisk { directory, freeSpace in
            let saveDir = directory + "/local"
            let reported = try Self.logThroughTheFault(
                make: { try LocalVisBackend(saveDir: saveDir, errorHandler: $0) }, directory: directory,
                freeSpace: freeSpace)
            #expect(reported.count == 1, "\(reported)")
            let text = try String(contentsOfFile: saveDir + "/scalars.json", encoding: .utf8)
            #expect(text.hasSuffix("\n"))
            var steps: [Int] = []
            for line in text.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                guard let step = object?["step"] as? Int else {
                    Issue.record("torn line: \(line)")
                    continue
                }
                steps.append(step)
            }
            Self.expectWholeAndResumed(steps)
        }
    }

    @Test("TensorboardVisBackend: no torn record, one report, resumes")
    func tensorboardBackend() throws {
        try Self.withNearlyFullDisk { directory, freeSpace in
            let saveDir = directory + "/tb"
            let reported = try Self.logThroughTheFault(
                make: { try TensorboardVisBackend(saveDir: saveDir, flushInterval: 0, errorHandler: $0) },
                directory: directory, freeSpace: freeSpace)
            #expect(reported.count == 1, "\(reported)")
            let events = try FileManager.default.contentsOfDirectory(atPath: saveDir)
                .filter { $0.hasPrefix("events.out.tfevents") }
            let file = try TensorboardEventFile(contentsOf: saveDir + "/" + (events.first ?? ""))
            #expect(file.truncatedTailOffset == nil)
            Self.expectWholeAndResumed(file.scalars.filter { $0.tag == "loss" }.map { Int($0.step) })
        }
    }

    @Test("WandbVisBackend: the run before the fault is read back by wandb and accepted by `wandb sync --dry-run`")
    func wandbBackend() throws {
        try Self.withNearlyFullDisk { directory, freeSpace in
            let reported = Recorder<VisBackendError>()
            let backend = try WandbVisBackend(
                saveDir: directory + "/wandb", project: "disk-full", flushInterval: 0,
                errorHandler: { reported.append($0) })
            // The steps flushed before the first failure: none of them may be lost.
            var flushedBeforeFault = 0
            for step in 0..<3000 {
                try backend.addScalar(name: "loss", value: .double(1 / Double(step + 1)), step: step)
                if step % 100 == 99 {
                    backend.flush()
                    if reported.values.isEmpty { flushedBeforeFault = step + 1 }
                }
            }
            try freeSpace()
            backend.close()
            #expect(reported.values.count == 1, "\(reported.values)")
            #expect(flushedBeforeFault > 0 && flushedBeforeFault < 3000, "\(flushedBeforeFault) steps before the fault")
            let run = try #require(backend.runDirectory)
            let log = try #require(try FileManager.default.contentsOfDirectory(atPath: run).first { $0.hasSuffix(".wandb") })
            let rows = try WandbLogReader(path: run + "/" + log).records().filter {
                if case .history = $0.content { true } else { false }
            }
            #expect(rows.count >= flushedBeforeFault, "rows lost before the fault")
            #expect(rows.count < 3000)
            // wandb's own reader and its sync check, with a HOME off the full disk.
            let home = try TestSupport.makeTemporaryDirectory("wandb-home")
            defer { try? FileManager.default.removeItem(at: home) }
            let inspected = try WandbCLI.inspectRecords(run, home: home)
            #expect(inspected.status == 0, "leet inspect: \(inspected.output)")
            #expect(inspected.records.filter { $0["type"] as? String == "history" }.count == rows.count)
            let dryRun = try WandbCLI.run(["sync", "--dry-run", run], home: home)
            #expect(dryRun.status == 0 && dryRun.output.contains("Would sync 1 run(s)"), "\(dryRun.output)")
        }
    }
}
