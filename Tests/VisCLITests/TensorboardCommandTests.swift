import Foundation
import Testing
import VisBackends
import VisTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// End-to-end tests of `vis tb` and of the TensorBoard writer's crash safety, through the built `vis` binary.
@Suite("vis tb")
struct TensorboardCommandTests {
    /// tensorboardX 2.6.5's bytes for the file_version record and scalar `loss` = 0.5 at step 1, wall time 1.7e9.
    static let specFile: [UInt8] =
        [
            0x18, 0, 0, 0, 0, 0, 0, 0, 0xa3, 0x7f, 0x4b, 0x22, 0x09, 0, 0, 0, 0x40, 0xfc, 0x54, 0xd9, 0x41, 0x1a, 0x0d,
        ] + Array("brain.Event:2".utf8) + [0xec, 0xed, 0x8f, 0x9d] + [
            0x1a, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x9b, 0xd8, 0x2d, 0x09, 0, 0, 0, 0x40, 0xfc, 0x54, 0xd9, 0x41, 0x10, 0x01,
            0x2a, 0x0d, 0x0a, 0x0b, 0x0a, 0x04, 0x6c, 0x6f, 0x73, 0x73, 0x15, 0, 0, 0, 0x3f, 0x8d, 0xb0, 0x2e, 0x39,
        ]

    static func vis(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: arguments)
    }

    /// The test helper that logs `loss` = step / 2 in a loop (it used to be a hidden `vis` command).
    static func writeLoop(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.runCapturing(try TestSupport.productPath("vis-tb-writeloop"), arguments: arguments)
    }

    @Test("prints a known-good event file (one scalar, as tensorboardX writes it) as CSV and JSON")
    func specVector() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tb")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Self.specFile).write(to: directory.appendingPathComponent("events.out.tfevents.1700000000.vm"))
        let csv = try Self.vis(["tb", directory.path])
        #expect(csv.status == 0)
        #expect(csv.stdout == "run,tag,step,wall_time,value\n.,loss,1,1700000000.0,0.5\n")
        let json = try Self.vis(["tb", directory.path, "--format", "json"])
        #expect(
            json.stdout
                == "[\n  {\"run\": \".\", \"tag\": \"loss\", \"step\": 1, \"wall_time\": 1700000000.0, \"value\": 0.5}\n]\n"
        )
    }

    @Test("every run under LOGDIR, --tags filters, runs sorted by directory")
    func runsAndTags() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tb")
        defer { try? FileManager.default.removeItem(at: directory) }
        for run in ["b", "a/nested"] {
            let result = try Self.writeLoop([
                directory.appendingPathComponent(run).path, "--count", "3", "--flush-every", "2",
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "flushed 2\nclosed 3\n")
        }
        let result = try Self.vis(["tb", directory.path, "--tags", "loss", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["run"] as? String } == ["a/nested", "a/nested", "a/nested", "b", "b", "b"])
        #expect(rows.map { $0["step"] as? Int } == [0, 1, 2, 0, 1, 2])
        #expect(rows.map { $0["value"] as? Double } == [0, 0.5, 1, 0, 0.5, 1])
        let csvLines = try Self.vis(["tb", directory.appendingPathComponent("b").path]).stdout.split(separator: "\n")
        #expect(csvLines.count == 4)
        #expect(csvLines.dropFirst().allSatisfy { $0.hasPrefix(".,loss,") })
    }

    @Test("--format json is strict JSON: non-finite values are null with a marker, names are escaped; CSV keeps nan/inf")
    func nonFiniteValuesAsJSON() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TensorboardWriter(logDirectory: directory.path, clock: { 1_700_000_000 })
        let tag = "we\"ird\\tag é\u{1}"
        for (step, value) in [Double.nan, .infinity, -.infinity, 0.25].enumerated() {
            try writer.addScalar(tag, value, step: step)
        }
        writer.close()

        let json = try Self.vis(["tb", directory.path, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        // Python's parser with NaN and Infinity refused, as strict JSON readers (JavaScript's) refuse them.
        let summary = try TestSupport.runPython(
            #"""
            import json, sys
            def refuse(name):
                raise ValueError("not JSON: " + name)
            rows = json.loads(sys.argv[1], parse_constant=refuse)
            print(json.dumps([[r["tag"], r["step"], r["value"], r.get("nonfinite")] for r in rows]))
            """#, arguments: [json.stdout])
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [[Any]])
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { ($0[0] as? String) == tag })
        #expect(rows.map { $0[1] as? Int } == [0, 1, 2, 3])
        #expect(rows.map { $0[2] is NSNull } == [true, true, true, false])
        #expect((rows[3][2] as? Double) == 0.25)
        #expect(rows.map { $0[3] as? String } == ["nan", "inf", "-inf", nil])
        #expect(rows[3][3] is NSNull, "a finite value has no marker")
        // Foundation's parser agrees.
        #expect((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [Any])?.count == 4)

        let csv = try Self.vis(["tb", directory.path])
        #expect(csv.status == 0, "\(csv.stderr)")
        let values = csv.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").last.map(String.init) }
        #expect(values == ["nan", "inf", "-inf", "0.25"])
    }

    @Test("the shipped CLI has no test-helper command")
    func noHiddenHelperCommand() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Self.vis(["tb-write-loop", directory.appendingPathComponent("run").path, "--count", "1"])
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stderr.contains("Usage: vis <subcommand>"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("run").path))
    }

    @Test("errors: missing directory, no event files, unknown tag, corrupt record, bad format → non-zero exit")
    func errors() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try Self.vis(["tb", directory.appendingPathComponent("missing").path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no such file or directory"))
        let empty = try Self.vis(["tb", directory.path])
        #expect(empty.status != 0)
        #expect(empty.stderr.contains("no TensorBoard event files"))
        let file = directory.appendingPathComponent("events.out.tfevents.1700000000.vm")
        try Data(Self.specFile).write(to: file)
        let unknown = try Self.vis(["tb", directory.path, "--tags", "acc"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no scalars tagged acc") && unknown.stderr.contains("loss"))
        let badFormat = try Self.vis(["tb", directory.path, "--format", "xml"])
        #expect(badFormat.status != 0)
        var damaged = Self.specFile
        damaged[70] ^= 1
        try Data(damaged).write(to: file)
        let corrupt = try Self.vis(["tb", directory.path])
        #expect(corrupt.status != 0)
        #expect(corrupt.stderr.contains("corrupt TFRecord") && corrupt.stderr.contains("at byte 40"))
        // A torn last record is not an error: the complete records are printed.
        try Data(Self.specFile.dropLast(3)).write(to: file)
        let torn = try Self.vis(["tb", directory.path])
        #expect(torn.status == 0)
        #expect(torn.stdout == "run,tag,step,wall_time,value\n")
    }

    @Test("SIGKILL while logging: TensorBoard's reader reads every record up to the last flush, in order")
    func crashSafety() throws {
        let directory = try TestSupport.makeTemporaryDirectory("vis-tb-crash")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = directory.appendingPathComponent("run").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestSupport.productPath("vis-tb-writeloop"))
        process.arguments = [run, "--flush-every", "5000", "--flush-interval", "0.02"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(120)
        while text.components(separatedBy: "flushed").count <= 5 && Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let flushed = text.split(separator: "\n").compactMap { line in
            line.hasPrefix("flushed ") ? Int(line.dropFirst("flushed ".count)) : nil
        }
        let lastFlushed = try #require(flushed.last)
        #expect(lastFlushed >= 25_000)
        let summary = try TestSupport.runPython(
            #"""
            import sys
            from tensorboard.backend.event_processing import event_accumulator as ea
            acc = ea.EventAccumulator(sys.argv[1], size_guidance={ea.SCALARS: 0})
            acc.Reload()
            events = acc.Scalars("loss")
            steps = [e.step for e in events]
            assert steps == list(range(len(steps))), "steps are not 0..n-1"
            assert all(e.value == e.step / 2 for e in events), "values differ"
            print(len(steps))
            """#, arguments: [run])
        let count = try #require(Int(summary.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(count >= lastFlushed)
        // Our reader agrees with TensorBoard's, skipping a torn last record if the kill left one.
        let csv = try Self.vis(["tb", run, "--tags", "loss"])
        #expect(csv.status == 0)
        #expect(csv.stdout.split(separator: "\n").count == count + 1)
    }
}
