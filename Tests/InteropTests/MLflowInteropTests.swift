import Foundation
import Testing
import VisBackends
import VisCore
import VisTestSupport

/// Our MLflow runs read back by MLflow itself (the `mlflow` package in the interop venv): a real
/// `mlflow server` (SQLite store, served artifacts, loopback) read with `MlflowClient`, the offline file store
/// read with `MLFLOW_ALLOW_FILE_STORE=true` and migrated with `mlflow migrate-filestore`.
@Suite("MLflow interop", .serialized)
struct MLflowInteropTests {
    /// MMEngine's `_flatten` re-implemented from its documented behaviour, then `str()` of each value, as
    /// `mlflow.log_params` stores it.
    static let flattenPython = """
        def _flatten(d, parent_key="", sep="."):
            items = {}
            for k, v in d.items():
                new_key = parent_key + sep + k if parent_key else k
                if isinstance(v, dict):
                    items.update(_flatten(v, new_key, sep=sep))
                elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
                    for i, x in enumerate(v):
                        items.update(_flatten(x, new_key + sep + str(i), sep=sep))
                else:
                    items[new_key] = v
            return items
        """

    static let config: Config = [
        "model": ["type": "MaskRCNN", "backbone": ["type": "ResNet", "depth": 50, "frozen": [1, 2]]],
        "optim_wrapper": ["optimizer": ["type": "SGD", "lr": 0.02, "weight_decay": 0.0001]],
        "pipeline": [["type": "LoadImage"], ["type": "Resize", "scale": [1333, 800], "keep_ratio": true]],
        "empty": [:], "classes": [], "seed": nil, "eps": 1e-05, "name": "it's \"quoted\"",
    ]

    /// Runs a Python check with MLflow; returns its JSON output.
    static func python(_ script: String, environment: [String: String] = [:]) throws -> [String: Any] {
        let output = try TestSupport.run(
            try TestSupport.interopPython(), arguments: ["-c", script], environment: environment)
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
            throw TestSupportError.commandFailed("python check", status: 1, stderr: output)
        }
        return object
    }

    /// Reads a run back: info, params, tags, metric histories, artifacts (images decoded with Pillow).
    static func readRunScript(trackingURI: String, experiment: String, runName: String) -> String {
        """
        import json, os, tempfile
        from mlflow.tracking import MlflowClient
        from PIL import Image
        c = MlflowClient(tracking_uri=\(JSONText.string(trackingURI)))
        exp = c.get_experiment_by_name(\(JSONText.string(experiment)))
        runs = c.search_runs([exp.experiment_id], filter_string="attributes.run_name = '\(runName)'")
        r = runs[0]
        hist = {k: [(m.step, repr(m.value)) for m in c.get_metric_history(r.info.run_id, k)] for k in r.data.metrics}
        def walk(path):
            out = []
            for f in c.list_artifacts(r.info.run_id, path):
                out += walk(f.path) if f.is_dir else [f.path]
            return out
        files = walk(None)
        images = {}
        d = tempfile.mkdtemp()
        for f in files:
            if f.endswith(".png"):
                local = c.download_artifacts(r.info.run_id, f, d)
                with Image.open(local) as im:
                    im.load()
                    images[f] = [im.size[0], im.size[1], im.mode, list(im.getpixel((0, 0)))]
        print(json.dumps({"run_id": r.info.run_id, "run_name": r.info.run_name, "status": r.info.status,
            "params": r.data.params, "tags": r.data.tags, "history": hist, "files": files, "images": images,
            "end_time": r.info.end_time}))
        """
    }

    @Test("a run on a real mlflow server reads back with MlflowClient; a refused param leaves the rest")
    func realServer() throws {
        let server = try MLflowTestServer.start()
        defer { server.stop() }
        let saveDir = try TestSupport.makeTemporaryDirectory("mlflow-interop")
        let workDir = saveDir.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: workDir, withIntermediateDirectories: true)
        try Data("epoch 1\n".utf8).write(to: workDir.appendingPathComponent("20261207.log"))
        let errors = ReportedErrors()
        let backend = try MLflowVisBackend(
            saveDir: workDir.appendingPathComponent("vis_data").path, expName: "swift-interop", runName: "run-1",
            tags: ["team": "vision"], params: ["run_seed": "42"], trackingURI: server.url,
            retryPolicy: MLflowRetryPolicy(initialDelay: 0.05, maximumDelay: 0.5, pollInterval: 0.05, closeTimeout: 60),
            environment: [:], errorHandler: errors.handler)
        var config = MLflowInteropTests.config
        config["work_dir"] = .string(workDir.path)
        try backend.addConfig(config)
        for step in 1...30 {
            try backend.addScalars(["loss": .double(1.0 / Double(step)), "acc": .double(Double(step) / 30)], step: step)
        }
        try backend.addScalar(name: "val/mAP", value: .double(.nan), step: 30)
        let pixels = (0..<(6 * 4 * 3)).map { UInt8($0 * 3) }
        try backend.addImage(name: "vis/sample.png", image: try Image(width: 6, height: 4, layout: .rgb, pixels: pixels), step: 3)
        let run = try #require(try backend.experiment as? MLflowRun)
        let runID = try #require(run.waitForRunID(timeout: 60))
        // Another client logs `lr` first, so our later different `lr` is refused by the server (HTTP 400).
        _ = try MLflowInteropTests.python(
            """
            import json
            from mlflow.tracking import MlflowClient
            MlflowClient(tracking_uri="\(server.url)").log_param("\(runID)", "conflict", "python")
            print(json.dumps({}))
            """)
        try run.logParam("conflict", value: "swift")
        try run.logMetric("after_conflict", value: 7, step: 1)
        backend.close()
        let report = try #require(backend.uploadReport)
        #expect(report.isComplete, "\(report)")
        #expect(errors.all.count == 1, "\(errors.all)")
        #expect(errors.all.first.map { "\($0)".contains("param \"conflict\"") && "\($0)".contains("HTTP 400") } == true)

        let result = try MLflowInteropTests.python(
            MLflowInteropTests.readRunScript(trackingURI: server.url, experiment: "swift-interop", runName: "run-1"))
        #expect(result["run_id"] as? String == runID)
        #expect(result["run_name"] as? String == "run-1")
        #expect(result["status"] as? String == "FINISHED")
        #expect(result["end_time"] as? Int != nil)
        let tags = result["tags"] as? [String: String] ?? [:]
        #expect(tags["mlflow.runName"] == "run-1" && tags["team"] == "vision")
        let params = result["params"] as? [String: String] ?? [:]
        #expect(params["run_seed"] == "42" && params["conflict"] == "python")
        let expected = try MLflowInteropTests.python(
            MLflowInteropTests.flattenPython + "\n" + """
                import json
                cfg = json.loads(\(JSONText.string(try config.dumped(as: .json))))
                print(json.dumps({k: str(v) for k, v in _flatten(cfg).items()}))
                """) as? [String: String] ?? [:]
        #expect(expected.count > 10)
        for (key, value) in expected { #expect(params[key] == value, "param \(key)") }
        let history = result["history"] as? [String: [[Any]]] ?? [:]
        // Values come as Python's repr text, which reads back exactly (a JSON parser's doubles may not).
        let loss = (history["loss"] ?? []).map { ($0[0] as? Int ?? -1, Double($0[1] as? String ?? "") ?? -1) }
        #expect(loss.map(\.0) == Array(1...30))
        #expect(loss.map(\.1) == (1...30).map { 1.0 / Double($0) })
        #expect(history["val/mAP"]?.first?[1] as? String == "nan")
        #expect(history["after_conflict"]?.count == 1)
        let files = Set(result["files"] as? [String] ?? [])
        #expect(files.isSuperset(of: ["config.json", "vis/sample.png", "20261207.log"]), "\(files)")
        #expect(!files.contains { $0.contains("mlflow_spool") })
        let image = (result["images"] as? [String: [Any]])?["vis/sample.png"]
        #expect(image?[0] as? Int == 6 && image?[1] as? Int == 4 && image?[2] as? String == "RGB")
        #expect(image?[3] as? [Int] == [0, 3, 6])
    }

    @Test("the server killed mid-run and restarted: nothing is lost, the order is kept")
    func serverRestart() throws {
        let server = try MLflowTestServer.start()
        defer { server.stop() }
        let saveDir = try TestSupport.makeTemporaryDirectory("mlflow-restart")
        let backend = try MLflowVisBackend(
            saveDir: saveDir.path, expName: "restart", runName: "r", trackingURI: server.url,
            retryPolicy: MLflowRetryPolicy(
                requestTimeout: 3, initialDelay: 0.05, maximumDelay: 0.5, pollInterval: 0.05, closeTimeout: 90),
            environment: [:])
        for step in 0..<300 { try backend.addScalar(name: "loss", value: .double(Double(step)), step: step) }
        backend.flush()
        let run = try #require(try backend.experiment as? MLflowRun)
        _ = try #require(run.waitForRunID(timeout: 60))
        server.stop()
        let start = Date()
        for step in 300..<1300 { try backend.addScalar(name: "loss", value: .double(Double(step)), step: step) }
        try backend.addImage(name: "while_down.png", image: try Image(width: 2, height: 2, fill: [1, 2, 3]), step: 0)
        #expect(Date().timeIntervalSince(start) < 2, "logging waited for the dead server")
        backend.flush()
        try server.start()
        for step in 1300..<1400 { try backend.addScalar(name: "loss", value: .double(Double(step)), step: step) }
        backend.close()
        let report = try #require(backend.uploadReport)
        #expect(report.isComplete, "\(report)")
        let result = try MLflowInteropTests.python(
            MLflowInteropTests.readRunScript(trackingURI: server.url, experiment: "restart", runName: "r"))
        let history = (result["history"] as? [String: [[Any]]])?["loss"] ?? []
        #expect(history.map { $0[0] as? Int ?? -1 } == Array(0..<1400))
        #expect(history.map { Double($0[1] as? String ?? "") ?? -1 } == (0..<1400).map(Double.init))
        #expect(result["status"] as? String == "FINISHED")
        #expect((result["files"] as? [String])?.contains("while_down.png") == true)
    }

    @Test("the offline store is read by MLflow (MLFLOW_ALLOW_FILE_STORE=true) and migrated to SQLite")
    func offlineStore() throws {
        let saveDir = try TestSupport.makeTemporaryDirectory("mlflow-offline-interop")
        let backend = try MLflowVisBackend(
            saveDir: saveDir.path, expName: "offline", runName: "off-1", tags: ["k": "v"], environment: [:])
        try backend.addConfig(MLflowInteropTests.config)
        for step in 0..<20 { try backend.addScalar(name: "train/loss", value: .double(Double(step) * 0.5), step: step) }
        try backend.addScalar(name: "count", value: 3, step: 0)
        try backend.addImage(name: "img.png", image: try Image(width: 3, height: 5, layout: .rgb, fill: [9, 8, 7]), step: 0)
        backend.close()
        let store = try #require(backend.offlineCommands.first.flatMap { $0.split(separator: " ").last.map(String.init) })
        for (uri, environment) in [(store, ["MLFLOW_ALLOW_FILE_STORE": "true"])] {
            let result = try MLflowInteropTests.python(
                MLflowInteropTests.readRunScript(trackingURI: uri, experiment: "offline", runName: "off-1"),
                environment: environment)
            #expect(result["status"] as? String == "FINISHED")
            #expect((result["tags"] as? [String: String])?["k"] == "v")
            #expect((result["params"] as? [String: String])?["model.backbone.depth"] == "50")
            let loss = (result["history"] as? [String: [[Any]]])?["train/loss"] ?? []
            #expect(loss.map { $0[0] as? Int ?? -1 } == Array(0..<20))
            #expect((result["history"] as? [String: [[Any]]])?["count"]?.first?[1] as? String == "3.0")
            let image = (result["images"] as? [String: [Any]])?["img.png"]
            #expect(image?[0] as? Int == 3 && image?[1] as? Int == 5)
        }
        // mlflow migrate-filestore, then the database read back.
        let database = saveDir.appendingPathComponent("migrated.db").path
        _ = try TestSupport.run(
            try MLflowTestServer.mlflowCommand(),
            arguments: ["migrate-filestore", "--source", saveDir.path, "--target", "sqlite:///" + database, "--no-progress"],
            environment: ["MLFLOW_ALLOW_FILE_STORE": "true"])
        let migrated = try MLflowInteropTests.python(
            """
            import json
            from mlflow.tracking import MlflowClient
            c = MlflowClient(tracking_uri="sqlite:///\(database)")
            exp = c.get_experiment_by_name("offline")
            r = c.search_runs([exp.experiment_id])[0]
            h = [(m.step, m.value) for m in c.get_metric_history(r.info.run_id, "train/loss")]
            print(json.dumps({"status": r.info.status, "name": r.info.run_name, "steps": [s for s, _ in h],
                "depth": r.data.params.get("model.backbone.depth")}))
            """)
        #expect(migrated["status"] as? String == "FINISHED")
        #expect(migrated["name"] as? String == "off-1")
        #expect(migrated["steps"] as? [Int] == Array(0..<20))
        #expect(migrated["depth"] as? String == "50")
    }
}
