import Foundation
import Testing
import VisTestSupport
import Visualization

#if canImport(Glibc)
import Glibc
#endif

/// A run with images into the local, TensorBoard and W&B backends (`vis-crashtest all-backends`) is stopped by
/// SIGKILL or SIGTERM at a random point, 50 times each; everything is read back with the owners' readers (Python's
/// `json` and Pillow, TensorBoard's `EventAccumulator`, wandb's `leet inspect`). Nothing up to the last flush may be
/// missing after SIGKILL; after SIGTERM (which the child handles as a training script would, by closing its
/// backends) nothing at all may be missing.
@Suite(.serialized) struct BackendKillTests {
    /// One child run: the steps it reported flushed, and after SIGTERM the steps it logged before closing.
    struct Outcome: Sendable {
        let saveDir: String
        let flushedSteps: Int
        let closedSteps: Int?
    }

    /// Runs the child until it has flushed a random 1...8 times, waits a random moment, sends `signal`.
    static func runAndStop(saveDir: String, signal: Int32) throws -> Outcome {
        let child = try CrashChild(arguments: ["all-backends", saveDir])
        let flushes = Int.random(in: 1...8)
        child.waitForFlushes(flushes)
        child.stop(signal, afterUpTo: 10_000)
        if signal == SIGKILL {
            #expect(child.process.terminationReason == .uncaughtSignal, "the child should have been killed, not exited")
        } else {
            #expect(child.process.terminationStatus == 0 && child.closed != nil, "the child did not close on SIGTERM")
        }
        #expect(child.flushes >= flushes, "the child stopped early")
        return Outcome(saveDir: saveDir, flushedSteps: child.flushed, closedSteps: child.closed)
    }

    /// Per run directory: the `loss` steps and image steps of the local files (Python's json; each PNG opened by
    /// Pillow) and of the TensorBoard event files (TensorBoard's EventAccumulator).
    static func readWithPython(_ directories: [String]) throws -> [String: [String: [Int]]] {
        let output = try TestSupport.runPython(
            """
            import json, os, sys
            from PIL import Image
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
            result = {}
            for run in sys.argv[1:]:
                local = []
                with open(os.path.join(run, "local", "scalars.json")) as f:
                    for line in f:
                        local.append(json.loads(line)["step"])
                images = []
                folder = os.path.join(run, "local", "vis_image")
                for name in os.listdir(folder) if os.path.isdir(folder) else []:
                    if name.startswith("."):
                        continue  # a write the kill interrupted, never renamed to its PNG name
                    with Image.open(os.path.join(folder, name)) as image:
                        image.load()
                    images.append(int(name[len("sample_"):-len(".png")]))
                events = EventAccumulator(os.path.join(run, "tensorboard"), size_guidance={"scalars": 0, "images": 0})
                events.Reload()
                tags = events.Tags()
                tb = [e.step for e in events.Scalars("loss")] if "loss" in tags["scalars"] else []
                tb_images = [e.step for e in events.Images("sample")] if "sample" in tags["images"] else []
                result[run] = {"local": local, "local_images": images, "tensorboard": tb, "tensorboard_images": tb_images}
            print(json.dumps(result))
            """, arguments: directories)
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8))
        return try #require(object as? [String: [String: [Int]]])
    }

    /// The history rows of the run's W&B log with a `loss` and with an image, as `wandb leet inspect` reads it.
    /// (W&B numbers its rows itself, one per call, as MMEngine's backend logs them without the training step.)
    static func readWandb(_ saveDir: String, core: String, home: URL) throws -> (scalars: Int, images: Int) {
        let runs = saveDir + "/wandb/wandb"
        guard let run = try FileManager.default.contentsOfDirectory(atPath: runs).first(where: { $0.hasPrefix("offline-run-") }),
            let log = try FileManager.default.contentsOfDirectory(atPath: runs + "/" + run).first(where: { $0.hasSuffix(".wandb") })
        else {
            Issue.record("no W&B run in \(runs)")
            return (0, 0)
        }
        let inspected = try WandbCLI.coreInspectRecords(logFile: runs + "/" + run + "/" + log, core: core, home: home)
        #expect(inspected.status == 0, "leet inspect: \(inspected.output)")
        var scalars = 0
        var images = 0
        for record in inspected.records where record["type"] as? String == "history" {
            guard let item = (record["history"] as? [String: Any])?["item"] as? [String: Any] else { continue }
            if item["loss"] != nil { scalars += 1 }
            if item["sample"] != nil { images += 1 }
        }
        return (scalars, images)
    }

    /// Steps `0..<count` minus those in `steps`: what was lost.
    static func missing(_ steps: [Int], below count: Int, every stride: Int = 1) -> Int {
        let present = Set(steps)
        return Swift.stride(from: 0, to: count, by: stride).filter { !present.contains($0) }.count
    }

    @Test("50 runs stopped at random points: nothing up to the last flush is lost", arguments: [SIGKILL, SIGTERM])
    func stoppedRuns(signal: Int32) throws {
        let root = try TestSupport.makeTemporaryDirectory("kill")
        defer { try? FileManager.default.removeItem(at: root) }
        let repetitions = 50
        let outcomes = Recorder<Outcome>()
        let failures = Recorder<String>()
        // Two children at a time.
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            for index in stride(from: lane, to: repetitions, by: 2) {
                do {
                    outcomes.append(try Self.runAndStop(saveDir: root.path + "/run\(index)", signal: signal))
                } catch {
                    failures.append("run \(index): \(error)")
                }
            }
        }
        #expect(failures.values.isEmpty, "\(failures.values)")
        let runs = outcomes.values
        #expect(runs.count == repetitions)
        let python = try Self.readWithPython(runs.map(\.saveDir))
        let home = root.appendingPathComponent("home")
        let core = try WandbCLI.coreCommand()
        // wandb's reader is a process per run: two at a time.
        let wandbRuns = Recorder<(saveDir: String, scalars: Int, images: Int)>()
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            for index in stride(from: lane, to: runs.count, by: 2) {
                do {
                    let read = try Self.readWandb(runs[index].saveDir, core: core, home: home)
                    wandbRuns.append((runs[index].saveDir, read.scalars, read.images))
                } catch {
                    failures.append("wandb \(runs[index].saveDir): \(error)")
                }
            }
        }
        #expect(failures.values.isEmpty, "\(failures.values)")
        let wandbRead = Dictionary(wandbRuns.values.map { ($0.saveDir, ($0.scalars, $0.images)) }) { first, _ in first }
        var lost: [String: Int] = [:]
        var afterFlush: [String: Int] = [:]
        for run in runs {
            // After SIGTERM the child closed: every step it logged must be there.
            let expected = run.closedSteps ?? run.flushedSteps
            let read = try #require(python[run.saveDir])
            let (wandbRows, wandbImageRows) = try #require(wandbRead[run.saveDir])
            // The rows are in call order: n rows are the first n steps' (every 5th step's for images).
            let wandbScalars = Array(0..<wandbRows)
            let wandbImages = Array(stride(from: 0, to: wandbImageRows * 5, by: 5))
            let found: [(String, [Int], Int)] = [
                ("local", read["local"] ?? [], 1), ("local images", read["local_images"] ?? [], 5),
                ("tensorboard", read["tensorboard"] ?? [], 1), ("tensorboard images", read["tensorboard_images"] ?? [], 5),
                ("wandb", wandbScalars, 1), ("wandb images", wandbImages, 5),
            ]
            for (backend, steps, every) in found {
                lost[backend, default: 0] += Self.missing(steps, below: expected, every: every)
                afterFlush[backend, default: 0] += steps.filter { $0 >= expected }.count
                #expect(Set(steps).count == steps.count, "\(backend) repeats a step in \(run.saveDir)")
            }
        }
        let name = signal == SIGKILL ? "SIGKILL" : "SIGTERM"
        print(
            "\(name): \(runs.count) runs, \(runs.map { $0.closedSteps ?? $0.flushedSteps }.reduce(0, +)) steps "
                + "\(signal == SIGKILL ? "flushed" : "logged"); lost: \(lost.sorted { $0.key < $1.key }); "
                + "records read beyond that: \(afterFlush.sorted { $0.key < $1.key })")
        #expect(lost.values.allSatisfy { $0 == 0 }, "records lost: \(lost)")
        #expect(lost.count == 6)
    }
}
