import Foundation
import Testing
import VisBackends
import VisCore
import VisTestSupport

/// File-system faults under the three file backends (local, TensorBoard, W&B) behind one multiplexer, as a
/// visualizer holds them: a read-only save directory, permission denied, the save directory removed during the
/// run, and a log file replaced by a directory. The loop never sees a throw it has to handle (the multiplexer's
/// throws are caught as `Visualizer` catches them), each backend reports each kind of failure once, and what the
/// fault did not touch is all there.
@Suite(.serialized) struct FileFaultTests {
    /// The three backends in `saveDir`, and every failure they report.
    final class Run: Sendable {
        let saveDir: String
        let backend: MultiplexVisBackend
        let reports = Recorder<VisBackendError>()

        init(saveDir: String) throws {
            self.saveDir = saveDir
            let reports = self.reports
            let report: VisBackendErrorHandler = { reports.append($0) }
            backend = try MultiplexVisBackend(
                [
                    try LocalVisBackend(saveDir: saveDir + "/local", errorHandler: report),
                    try TensorboardVisBackend(saveDir: saveDir + "/tensorboard", errorHandler: report),
                    try WandbVisBackend(saveDir: saveDir + "/wandb", project: "faults", errorHandler: report),
                ], errorHandler: report)
        }

        /// Logs `loss` at `steps` and an image every 5 steps, flushing every 20; a throw is caught as the
        /// visualizer does (the multiplexer has reported it).
        func log(_ steps: Range<Int>) throws {
            let image = try Image(width: 12, height: 8, layout: .rgb, fill: [200, 30, 30])
            for step in steps {
                _ = try? backend.addScalar(name: "loss", value: .double(Double(step)), step: step)
                if step % 5 == 0 { _ = try? backend.addImage(name: "sample", image: image, step: step) }
                if step % 20 == 19 { backend.flush() }
            }
            backend.flush()
        }

        /// The reports of one backend: its part of the multiplexer's reports (`LocalVisBackend.addScalar: …`) and
        /// its writer's reports, which name a path under `folder` of the save directory.
        func reports(of backend: String, folder: String) -> [String] {
            reports.values.flatMap { error -> [String] in
                guard case .backendsFailed(let failures) = error else { return [error.description] }
                return failures.map(\.description)
            }.filter { $0.hasPrefix(backend + ".") || $0.contains(saveDir + "/" + folder) }
        }

        static let backends = [
            (name: "LocalVisBackend", folder: "local"), ("TensorboardVisBackend", "tensorboard"),
            ("WandbVisBackend", "wandb"),
        ]

        /// The steps of the whole lines of the local backend's `scalars.json`.
        var localSteps: [Int] {
            get throws {
                let text = try String(contentsOfFile: saveDir + "/local/scalars.json", encoding: .utf8)
                #expect(text.isEmpty || text.hasSuffix("\n"), "a torn last line")
                return try text.split(separator: "\n").map { line in
                    let row = try Config(text: String(line), format: .json)
                    return try #require(row["step"]?.intValue)
                }
            }
        }

        /// The `loss` steps of every TensorBoard event file.
        var tensorboardSteps: [Int] {
            get throws {
                let folder = saveDir + "/tensorboard"
                return try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
                    .filter { $0.hasPrefix("events.out.tfevents") }
                    .flatMap { name in
                        let file = try TensorboardEventFile(contentsOf: folder + "/" + name)
                        #expect(file.truncatedTailOffset == nil, "a torn record in \(name)")
                        return file.scalars.filter { $0.tag == "loss" }.map { Int($0.step) }
                    }
            }
        }

        /// The steps of the local backend's images.
        var localImageSteps: [Int] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: saveDir + "/local/vis_image")) ?? []
            return names.compactMap { name in
                guard name.hasPrefix("sample_"), name.hasSuffix(".png") else { return nil }
                return Int(name.dropFirst("sample_".count).dropLast(".png".count))
            }.sorted()
        }

        /// The W&B run's `.wandb` log.
        var wandbLog: String? {
            let runs = saveDir + "/wandb/wandb"
            guard let run = try? FileManager.default.contentsOfDirectory(atPath: runs).first(where: { $0.hasPrefix("offline-run-") }),
                let log = try? FileManager.default.contentsOfDirectory(atPath: runs + "/" + run).first(where: { $0.hasSuffix(".wandb") })
            else { return nil }
            return runs + "/" + run + "/" + log
        }
    }

    @Test("a read-only save directory: one clear report per backend, no throw to handle, logging resumes when writable")
    func readOnlySaveDirectory() throws {
        guard let mount = try TestMount.bind("fault-readonly") else { return }
        defer { mount.remove() }
        try mount.setReadOnly(true)
        let run = try Run(saveDir: mount.path + "/run")
        try run.log(0..<100)
        #expect(run.reports.values.count == 1, "one report of the three backends' first failure: \(run.reports.values)")
        for (name, folder) in Run.backends {
            let reports = run.reports(of: name, folder: folder)
            #expect(reports.count == 1, "\(name): \(reports)")
            // strerror says "Read-only file system", Foundation "The volume is read only."
            #expect(reports.allSatisfy { $0.contains("Read-only file system") || $0.contains("read only") }, "\(name): \(reports)")
        }
        try mount.setReadOnly(false)
        try run.log(100..<200)
        run.backend.close()
        #expect(run.reports.values.count == 1, "nothing more reported after the directory became writable")
        #expect(try run.localSteps == Array(100..<200))
        #expect(try run.tensorboardSteps == Array(100..<200))
        #expect(run.localImageSteps == Array(stride(from: 100, to: 200, by: 5)))
        let log = try #require(run.wandbLog, "the W&B run was not created once writable")
        let history = try WandbLogReader(path: log).records().filter { if case .history = $0.content { true } else { false } }
        #expect(history.count == 100 + 20, "one history row per scalar and per image")
    }

    @Test("permission denied (a child process without root): one clear report per backend, the loop runs to the end")
    func permissionDenied() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fault-eacces")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Root ignores mode bits, so the child drops to `nobody`; the folder stays root's, mode 0755.
        let result = try TestSupport.runCapturing(
            "/usr/bin/setpriv",
            arguments: [
                "--reuid=65534", "--regid=65534", "--clear-groups", try TestSupport.productPath("vis-crashtest"),
                "steps", directory.path + "/run", "200",
            ])
        guard result.status == 0 || !result.stderr.contains("setpriv") else {
            if TestSupport.isCI || getuid() == 0 { Issue.record("cannot run the child as nobody: \(result.stderr)") }
            return
        }
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.last == "done 200", "the loop did not run to the end: \(result.stdout)")
        // The child prints each backend's part of a multiplexer report on a line of its own.
        let reports = lines.filter { $0.hasPrefix("reported ") }
        for (name, _) in Run.backends {
            let mine = reports.filter { $0.hasPrefix("reported \(name).") }
            #expect(mine.count == 1, "\(name): \(reports)")
            #expect(mine.allSatisfy { $0.contains(directory.path + "/run") }, "names the folder: \(mine)")
            #expect(mine.allSatisfy { $0.lowercased().contains("permission") }, "\(name): \(mine)")
        }
        #expect(reports.count == 3, "\(reports)")
    }

    @Test("the save directory removed during the run: reported once, local and TensorBoard logging continue in new files")
    func saveDirectoryRemoved() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fault-removed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Run(saveDir: directory.path + "/run")
        try run.log(0..<100)
        #expect(run.reports.values.isEmpty)
        try FileManager.default.removeItem(atPath: run.saveDir)
        try run.log(100..<200)
        run.backend.close()
        for (name, folder) in Run.backends {
            let reports = run.reports(of: name, folder: folder)
            #expect(reports.count == 1, "\(name): \(reports)")
            #expect(reports.allSatisfy { $0.contains("removed during the run") }, "\(name): \(reports)")
        }
        // Everything logged after the removal arrives (the records before it went with the folder).
        #expect(try run.localSteps == Array(100..<200))
        #expect(try run.tensorboardSteps == Array(100..<200))
        #expect(run.localImageSteps == Array(stride(from: 100, to: 200, by: 5)))
    }

    @Test("log files replaced by directories: reported once each, the rest of the run is unharmed")
    func fileReplacedByDirectory() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fault-replaced")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try Run(saveDir: directory.path + "/run")
        try run.log(0..<100)
        let tensorboardFolder = run.saveDir + "/tensorboard"
        let eventFile = try #require(
            try FileManager.default.contentsOfDirectory(atPath: tensorboardFolder).first { $0.hasPrefix("events.out") })
        let wandbLog = try #require(run.wandbLog)
        for path in [run.saveDir + "/local/scalars.json", tensorboardFolder + "/" + eventFile, wandbLog] {
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
        try run.log(100..<200)
        run.backend.close()
        for ((name, folder), reason) in zip(Run.backends, ["Is a directory", "Is a directory", "removed during the run"]) {
            let reports = run.reports(of: name, folder: folder)
            #expect(reports.count == 1, "\(name): \(reports)")
            #expect(reports.allSatisfy { $0.contains(reason) }, "\(name): \(reports)")
        }
        // The images were not touched by the fault: every one of them is there.
        #expect(run.localImageSteps == Array(stride(from: 0, to: 200, by: 5)))
    }
}
