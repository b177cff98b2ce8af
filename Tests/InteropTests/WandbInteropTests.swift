import Foundation
import Testing
import VisBackends
import VisCore
import VisTestSupport

/// Our W&B offline runs read by the `wandb` package itself (0.31.0 in the interop venv): `wandb leet inspect`
/// (its reader of `.wandb` logs), `wandb sync --dry-run`, and the package's protobuf classes. No network and no
/// account: HOME and every wandb directory point into a temporary folder.
@Suite("W&B interop", .serialized)
struct WandbInteropTests {
    /// Runs the `wandb` CLI offline with a private HOME; returns status, standard output, and both outputs.
    static func wandb(_ arguments: [String], home: URL) throws -> (status: Int32, stdout: String, output: String) {
        try WandbCLI.run(arguments, home: home)
    }

    /// `wandb leet inspect --summary --json <dir>` as a dictionary.
    static func inspectSummary(_ directory: String, home: URL) throws -> [String: Any] {
        let result = try wandb(["leet", "inspect", "--summary", "--json", directory], home: home)
        #expect(result.status == 0, "leet inspect --summary: \(result.output)")
        guard let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            Issue.record("leet inspect --summary printed: \(result.output)")
            return [:]
        }
        return object
    }

    /// `wandb leet inspect --json <dir>`: one dictionary per record.
    static func inspectRecords(_ directory: String, home: URL) throws -> [[String: Any]] {
        let result = try WandbCLI.inspectRecords(directory, home: home)
        #expect(result.status == 0, "leet inspect --json: \(result.output)")
        return result.records
    }

    /// A run with a config, tags, a defined metric, three scalar rows, an image, a summary value and a late
    /// config entry, finished normally.
    static func makeRun(in directory: URL) throws -> WandbRun {
        let run = try WandbRun(
            saveDir: directory.path,
            options: WandbRunOptions(
                project: "swift-vis", entity: "someone", name: "interop", tags: ["swift", "offline"],
                config: ["lr": 0.01, "arch": ["depth": 2, "stages": [1, 2]]]))
        try run.defineMetric(WandbMetricDefinition("acc", summary: [.max]))
        for (index, loss) in [1.0, 0.5, 0.25].enumerated() {
            try run.log([
                "loss": WandbValue(ScalarValue(loss)), "acc": WandbValue(ScalarValue(0.5 + 0.1 * Double(index))),
                "epoch": WandbValue(ScalarValue(index)),
            ])
        }
        let image = try Image(width: 5, height: 4, layout: .rgb, pixels: (0..<60).map { UInt8($0 * 4) })
        try run.log(["sample": .image(image, caption: "cap")])
        try run.updateSummary(["best_acc": 0.9])
        try run.updateConfig(["later": 5])
        try run.addTags(["tagged-later"])
        run.finish()
        return run
    }

    @Test("framing is byte-identical to a Python reference writer of the LevelDB-style framing for records at every block position")
    func framingMatchesPythonReference() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-framing")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Sizes chosen to end exactly at a block edge, leave 1-6 and exactly 7 bytes, and span 2 and 3 blocks.
        let sizes = [100, 32_561, 10, 32_740, 6, 32_745, 70_113, 0, 1, 40_000, 32_754, 12_345, 3]
        var records: [[UInt8]] = []
        var framer = WandbLogWriter()
        var ours = WandbLogWriter.fileHeader
        var input: [UInt8] = []
        for (index, size) in sizes.enumerated() {
            let record = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ index) }
            records.append(record)
            framer.append(record: record, to: &ours)
            withUnsafeBytes(of: UInt32(size).littleEndian) { input.append(contentsOf: $0) }
            input.append(contentsOf: record)
        }
        let inputPath = directory.appendingPathComponent("records.bin").path
        let outputPath = directory.appendingPathComponent("python.wandb").path
        try Data(input).write(to: URL(fileURLWithPath: inputPath))
        try TestSupport.runPython(
            #"""
            import struct, sys, zlib
            BLOCK, HDR = 32768, 7
            class WandbLog:
                def __init__(self, f): self.f = f; f.write(b":W&B" + struct.pack("<HB", 0xBEE1, 0)); self.off = 7
                def write(self, rec):
                    first = True
                    while True:
                        left = BLOCK - self.off % BLOCK
                        if left < HDR: self.f.write(b"\0" * left); self.off += left; continue
                        part, rec = rec[:left - HDR], rec[left - HDR:]
                        t = (1 if not rec else 2) if first else (4 if not rec else 3)
                        self.f.write(struct.pack("<IHB", zlib.crc32(bytes([t]) + part), len(part), t) + part)
                        self.off += HDR + len(part); first = False
                        if not rec: return
            data = open(sys.argv[1], "rb").read()
            with open(sys.argv[2], "wb") as f:
                log, off = WandbLog(f), 0
                while off < len(data):
                    (n,) = struct.unpack_from("<I", data, off); log.write(data[off + 4: off + 4 + n]); off += 4 + n
            """#, arguments: [inputPath, outputPath])
        let reference = try [UInt8](Data(contentsOf: URL(fileURLWithPath: outputPath)))
        #expect(reference.count == ours.count)
        #expect(reference == ours)
        #expect(try WandbLogReader(bytes: reference).rawRecords == records)
    }

    @Test("wandb's own protobuf classes decode every record we write, with the record types we meant")
    func protobufSchema() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-proto")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Self.makeRun(in: directory)
        let output = try TestSupport.runPython(
            #"""
            import struct, sys, zlib, json
            from wandb.proto import wandb_internal_pb2 as pb
            def records(path):
                d = open(path, "rb").read(); assert d[:7] == b":W&B\xe1\xbe\x00"; off, buf = 7, b""
                while off + 7 <= len(d):
                    left = 32768 - off % 32768
                    if left < 7: off += left; continue
                    crc, n, t = struct.unpack_from("<IHB", d, off)
                    if (crc, n, t) == (0, 0, 0): off += left; continue
                    data = d[off + 7: off + 7 + n]
                    if len(data) < n or zlib.crc32(bytes([t]) + data) != crc: break
                    off += 7 + n
                    if t == 1: yield data
                    elif t == 2: buf = data
                    elif t == 3: buf += data
                    elif t == 4: yield buf + data
            out = []
            for raw in records(sys.argv[1]):
                r = pb.Record()
                r.ParseFromString(raw)
                assert r.SerializeToString() == raw, "not canonical: %r" % r
                kind = r.WhichOneof("record_type")
                detail = ""
                if kind == "run": detail = "%s/%s/%s/%s" % (r.run.run_id, r.run.project, r.run.display_name, ",".join(r.run.tags))
                if kind == "history": detail = str(r.history.step.num) + ":" + ",".join(sorted(i.key for i in r.history.item))
                if kind == "exit": detail = "%d/%d" % (r.exit.exit_code, r.exit.runtime)
                if kind == "metric": detail = "%s/%s" % (r.metric.name, r.metric.summary.max)
                out.append("%d %s %s" % (r.num, kind, detail))
            print("\n".join(out))
            """#, arguments: [run.logPath])
        let lines = output.split(separator: "\n").map(String.init)
        let ours = try WandbLogReader(path: run.logPath).records()
        #expect(lines.count == ours.count)
        #expect(lines.first == "1 header ")
        #expect(lines[1] == "2 run \(run.id)/swift-vis/interop/swift,offline")
        #expect(lines[2] == "3 metric acc/True")
        #expect(lines.contains { $0.hasSuffix(" history 0:_runtime,_step,_timestamp,acc,epoch,loss") })
        #expect(lines.contains { $0.hasSuffix(" history 3:_runtime,_step,_timestamp,sample") })
        #expect(lines.contains { $0.contains(" run \(run.id)/swift-vis/interop/swift,offline,tagged-later") })
        #expect(lines.last?.contains(" exit 0/") == true)
    }

    @Test("`wandb leet inspect` shows our run finished with its config, history, summary, image and exit code 0")
    func leetInspect() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-leet")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Self.makeRun(in: directory)
        let home = directory.appendingPathComponent("home")
        let summary = try Self.inspectSummary(run.directory, home: home)
        #expect(summary["state"] as? String == "finished")
        #expect(summary["exit_code"] as? Int == 0)
        #expect(summary["run_id"] as? String == run.id)
        #expect(summary["project"] as? String == "swift-vis")
        #expect(summary["entity"] as? String == "someone")
        #expect(summary["name"] as? String == "interop")
        #expect(summary["tags"] as? [String] == ["swift", "offline", "tagged-later"])
        #expect(summary["step"] as? Int == 3)
        let config = try #require(summary["config"] as? [String: Any])
        #expect(config["lr"] as? Double == 0.01)
        #expect(config["later"] as? Int == 5)
        #expect((config["arch"] as? [String: Any])?["depth"] as? Int == 2)
        #expect((config["arch"] as? [String: Any])?["stages"] as? [Int] == [1, 2])
        let values = try #require(summary["summary"] as? [String: Any])
        #expect(values["loss"] as? Double == 0.25)
        #expect((values["acc"] as? [String: Any])?["max"] as? Double == 0.7)
        #expect(values["best_acc"] as? Double == 0.9)
        #expect(values["epoch"] as? Int == 2)
        let sample = try #require(values["sample"] as? [String: Any])
        #expect(sample["_type"] as? String == "image-file")
        #expect(sample["caption"] as? String == "cap")
        #expect(sample["width"] as? Int == 5 && sample["height"] as? Int == 4)
        let path = try #require(sample["path"] as? String)
        let png = try [UInt8](Data(contentsOf: URL(fileURLWithPath: run.filesDirectory + "/" + path)))
        #expect(sample["sha256"] as? String == SHA256.hash(png).hexString)
        #expect(sample["size"] as? Int == png.count)
        #expect(path == "media/images/sample_3_\(SHA256.hash(png).hexString.prefix(20)).png")

        let records = try Self.inspectRecords(run.directory, home: home)
        let history = records.filter { $0["type"] as? String == "history" }.compactMap {
            ($0["history"] as? [String: Any])?["item"] as? [String: Any]
        }
        #expect(history.count == 4)
        #expect(history.map { $0["_step"] as? Int } == [0, 1, 2, 3])
        #expect(history.prefix(3).map { $0["loss"] as? Double } == [1.0, 0.5, 0.25])
        #expect(history.allSatisfy { $0["_runtime"] is Double && $0["_timestamp"] is Double })
        let files = records.filter { $0["type"] as? String == "files" }
        #expect(files.count == 1)
        #expect("\(files)".contains(path))
        #expect(records.last?["type"] as? String == "exit")
    }

    @Test("NaN and infinite values are accepted by wandb's reader")
    func nonFiniteValues() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-nan")
        defer { try? FileManager.default.removeItem(at: directory) }
        let backend = try WandbVisBackend(saveDir: directory.path, project: "nan")
        try backend.addScalars(["nan": .double(.nan), "inf": .double(.infinity), "ok": 1])
        backend.close()
        let runDirectory = try #require(backend.runDirectory)
        let summary = try Self.inspectSummary(runDirectory, home: directory.appendingPathComponent("home"))
        #expect(summary["state"] as? String == "finished")
        let values = try #require(summary["summary"] as? [String: Any])
        #expect(values["ok"] as? Int == 1)
        #expect(values.keys.contains("nan") && values.keys.contains("inf"), "\(values)")
    }

    @Test("`wandb sync --dry-run` accepts the run directory and the wandb directory")
    func syncDryRun() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-sync")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Self.makeRun(in: directory)
        let home = directory.appendingPathComponent("home")
        for path in [run.directory, (run.directory as NSString).deletingLastPathComponent] {
            let result = try Self.wandb(["sync", "--dry-run", path], home: home)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("Would sync 1 run(s)"), "\(result.output)")
            #expect(result.output.contains("run-\(run.id).wandb"), "\(result.output)")
        }
    }

    @Test("a run that was never finished is readable and shown as still running (sync would mark it failed)")
    func unfinishedRun() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-unfinished")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try WandbRun(saveDir: directory.path, options: WandbRunOptions(project: "killed"))
        for step in 0..<5 { try run.log(["loss": WandbValue(ScalarValue(Double(step)))]) }
        run.flush()
        let home = directory.appendingPathComponent("home")
        let summary = try Self.inspectSummary(run.directory, home: home)
        #expect(summary["state"] as? String == "running", "\(summary)")
        #expect(summary["exit_code"] is NSNull || summary["exit_code"] == nil, "\(summary)")
        #expect(summary["step"] as? Int == 4)
        let dryRun = try Self.wandb(["sync", "--dry-run", run.directory], home: home)
        #expect(dryRun.status == 0 && dryRun.output.contains("Would sync 1 run(s)"), "\(dryRun.output)")
        // The process would be killed here; finishing afterwards makes it a normal run again.
        run.finish(exitCode: 1)
        let failed = try Self.inspectSummary(run.directory, home: home)
        #expect(failed["exit_code"] as? Int == 1, "\(failed)")
        #expect(failed["state"] as? String == "failed", "\(failed)")
    }

    @Test("a log cut in the middle of a record keeps every whole record before the cut")
    func truncatedLog() throws {
        let directory = try TestSupport.makeTemporaryDirectory("wandb-truncated")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Self.makeRun(in: directory)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: run.logPath)))
        let full = try WandbLogReader(bytes: bytes).rawRecords.count
        try Data(bytes.dropLast(5)).write(to: URL(fileURLWithPath: run.logPath))
        let ours = try WandbLogReader(path: run.logPath)
        #expect(ours.rawRecords.count == full - 1)
        guard case .truncated = ours.ending else {
            Issue.record("expected a truncated ending, got \(ours.ending)")
            return
        }
        let home = directory.appendingPathComponent("home")
        let summary = try Self.inspectSummary(run.directory, home: home)
        #expect(summary["state"] as? String == "running", "\(summary)")
        #expect((summary["summary"] as? [String: Any])?["loss"] as? Double == 0.25)
        let records = try Self.inspectRecords(run.directory, home: home)
        #expect(records.filter { $0["type"] as? String == "history" }.count == 4)
        #expect(!records.contains { $0["type"] as? String == "exit" })
    }
}
