import Foundation
import OrderedCollections
import Testing
@testable import VisBackends
import VisCore
import VisTestSupport

/// Short timings so that fault tests stay fast.
let fastRetries = MLflowRetryPolicy(
    requestTimeout: 2, initialDelay: 0.02, maximumDelay: 0.2, pollInterval: 0.02, closeTimeout: 20)

@Suite("MLflow backend")
struct MLflowVisBackendTests {
    @Test("config flattening follows MMEngine's _flatten and Python's str() of the values")
    func flattening() throws {
        let config: Config = [
            "a": 1, "b": ["b1": [0, 1], "b2": [1.5, "x"]],
            "pipeline": [["type": "A"], ["type": "B", "k": ["z": 2]]],
            "empty": [:], "l": [], "flag": true, "none": nil, "lr": 0.0001, "tiny": 1e-05, "big": 1e16,
            "text": "it's", "nested": [[["a": 1]]],
        ]
        let params = try _MLflowValues.params(of: config, trackedKeys: nil)
        #expect(
            Array(params.keys) == [
                "a", "b.b1", "b.b2", "pipeline.0.type", "pipeline.1.type", "pipeline.1.k.z", "l", "flag", "none", "lr",
                "tiny", "big", "text", "nested",
            ])
        #expect(params["b.b1"] == "[0, 1]")
        #expect(params["b.b2"] == "[1.5, 'x']")
        #expect(params["l"] == "[]")
        #expect(params["flag"] == "True")
        #expect(params["none"] == "None")
        #expect(params["lr"] == "0.0001")
        #expect(params["tiny"] == "1e-05")
        #expect(params["big"] == "1e+16")
        #expect(params["text"] == "it's")
        #expect(params["nested"] == "[[{'a': 1}]]")
        #expect(_MLflowValues.pythonRepr("it's") == "\"it's\"")

        let tracked = try _MLflowValues.params(of: config, trackedKeys: ["pipeline", "a"])
        #expect(Array(tracked.keys) == ["pipeline.0.type", "pipeline.1.type", "pipeline.1.k.z", "a"])
        #expect(throws: VisBackendError.self) { try _MLflowValues.params(of: config, trackedKeys: ["missing"]) }
        // MMEngine fails on a list that mixes dictionaries with other values; so do we, naming the element.
        let mixed = #expect(throws: VisBackendError.self) {
            try _MLflowValues.params(of: ["mixed": [["a": 1], 2]], trackedKeys: nil)
        }
        #expect(mixed.map { "\($0)".contains("mixed.1") } == true)
    }

    @Test("keys MLflow refuses are refused at the call, naming the metric")
    func keyValidation() throws {
        let directory = try TestSupport.makeTemporaryDirectory("mlflow-keys")
        let backend = try MLflowVisBackend(saveDir: directory.path, environment: [:])
        defer { backend.close() }
        for bad in ["a//b", "/abs", "../up", "tab\tkey", String(repeating: "k", count: 251), "semi;colon"] {
            do {
                try backend.addScalar(name: bad, value: 1, step: 0)
                Issue.record("\(bad.debugDescription) was accepted")
            } catch let error as VisBackendError {
                #expect("\(error)".contains("metric"), "\(error)")
            }
        }
        try backend.addScalar(name: "train/loss: top-1 ok", value: 1, step: 0)
        #expect(throws: VisBackendError.self) { try backend.addScalars(["step": 1, "loss": 2], step: 3) }
        let run = try #require(try backend.experiment as? MLflowRun)
        try run.logParam("lr", value: "0.1")
        try run.logParam("lr", value: "0.1")
        do {
            try run.logParam("lr", value: "0.2")
            Issue.record("a changed param was accepted")
        } catch let error as VisBackendError {
            #expect("\(error)".contains("\"lr\""))
        }
    }

    @Test("spool records read back exactly, metric values bit for bit")
    func recordsRoundTrip() throws {
        for value in [1.0 / 9, 0.1, 1e-300, .leastNonzeroMagnitude, -0.0, 123_456_789.123, .infinity, -.infinity, .nan] {
            var line: [UInt8] = []
            _MLflowRecord.metric(key: "a/b c", value: value, timestamp: 1_700_000_000_000, step: -3).appendLine(to: &line)
            guard case let .metric(key, back, timestamp, step)? = _MLflowRecord(line: Data(line.dropLast())) else {
                Issue.record("metric \(value) did not read back")
                continue
            }
            #expect(key == "a/b c" && timestamp == 1_700_000_000_000 && step == -3)
            #expect(back.bitPattern == value.bitPattern || (back.isNaN && value.isNaN), "\(value) came back as \(back)")
        }
        let others: [_MLflowRecord] = [
            .param(key: "p", value: "it's \"x\"\n\u{1F600}"), .tag(key: "t", value: ""),
            .artifact(path: "images/a.png", blob: "000001-a.png"), .end(status: "FAILED", endTime: 12),
        ]
        for record in others {
            var line: [UInt8] = []
            record.appendLine(to: &line)
            #expect(_MLflowRecord(line: Data(line.dropLast())) == record)
        }
        #expect(_MLflowRecord(line: Data("{\"k\":\"m\",\"key\":".utf8)) == nil)
    }

    @Test("conforms to the backend contract (offline store)")
    func conformance() throws {
        try BackendConformance.check { try MLflowVisBackend(saveDir: $0, environment: [:]) }
    }

    @Test("the tracking URI comes from the argument, then MLFLOW_TRACKING_URI, then save_dir/mlruns")
    func trackingURIResolution() throws {
        let backend = try MLflowVisBackend(saveDir: "/tmp/x", environment: [:])
        #expect(backend.resolvedTrackingURI == "file:///tmp/x/mlruns")
        #expect(!backend.usesServer)
        let fromEnvironment = try MLflowVisBackend(
            saveDir: "/tmp/x", environment: ["MLFLOW_TRACKING_URI": "http://127.0.0.1:1"])
        #expect(fromEnvironment.usesServer)
        let argument = try MLflowVisBackend(
            saveDir: "/tmp/x", trackingURI: "file:///tmp/y", environment: ["MLFLOW_TRACKING_URI": "http://h:1"])
        #expect(argument.resolvedTrackingURI == "file:///tmp/y")
        #expect(throws: VisBackendError.self) { try MLflowVisBackend(saveDir: "/tmp/x", trackingURI: "databricks") }
        #expect(throws: VisBackendError.self) { try MLflowVisBackend(saveDir: "/tmp/x", trackingURI: "sqlite:///m.db") }
        #expect(throws: VisBackendError.self) { try MLflowVisBackend(saveDir: "/tmp/x", expName: "") }
    }

    @Test("the offline store has MLflow's file-store layout")
    func offlineLayout() throws {
        let directory = try TestSupport.makeTemporaryDirectory("mlflow-offline")
        let workDir = directory.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: workDir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("log\n".utf8).write(to: workDir.appendingPathComponent("sub/train.log"))
        try Data("x".utf8).write(to: workDir.appendingPathComponent("weights.pth"))
        let backend = try MLflowVisBackend(
            saveDir: workDir.appendingPathComponent("vis_data").path, expName: "exp", runName: "r1",
            tags: ["team": "vision"], params: ["seed": "0"], environment: [:])
        try backend.addConfig(["work_dir": .string(workDir.path), "model": ["depth": 50]])
        try backend.addScalar(name: "train/loss", value: 0.5, step: 3)
        try backend.addScalars(["acc": .double(.nan), "epoch": 1], step: 4)
        try backend.addImage(name: "sample.png", image: try Image(width: 3, height: 2, fill: [10, 20, 30]), step: 1)
        let run = try #require(try backend.experiment as? MLflowRun)
        let runDirectory = try #require(run.runDirectory)
        backend.close()
        func text(_ path: String) throws -> String { try String(contentsOfFile: runDirectory + "/" + path, encoding: .utf8) }
        let loss = try text("metrics/train/loss").split(separator: " ")
        #expect(loss.count == 3 && loss[1] == "0.5" && loss[2] == "3\n")
        #expect(try text("metrics/acc").hasSuffix(" nan 4\n"))
        #expect(try text("metrics/epoch").hasSuffix(" 1.0 4\n"))
        #expect(try text("params/model.depth") == "50")
        #expect(try text("params/seed") == "0")
        #expect(try text("tags/team") == "vision")
        #expect(try text("tags/mlflow.runName") == "r1")
        #expect(try text("meta.yaml").contains("status: 3\n"))
        #expect(try text("meta.yaml").contains("run_name: 'r1'"))
        #expect(FileManager.default.fileExists(atPath: runDirectory + "/artifacts/sub/train.log"))
        #expect(!FileManager.default.fileExists(atPath: runDirectory + "/artifacts/weights.pth"))
        #expect(FileManager.default.fileExists(atPath: runDirectory + "/artifacts/config.json"))
        let image = try Image(contentsOfFile: runDirectory + "/artifacts/sample.png")
        #expect(image.width == 3 && image.pixels.prefix(3) == [10, 20, 30])
        let experiment = try String(contentsOfFile: (runDirectory as NSString).deletingLastPathComponent + "/meta.yaml", encoding: .utf8)
        #expect(experiment.contains("name: 'exp'"))
        #expect(backend.offlineCommands.count == 2 && backend.offlineCommands[1].contains("migrate-filestore"))
    }

    @Test("a server that never comes up: calls return at once, close reports what is spooled and where")
    func serverNeverUp() throws {
        let directory = try TestSupport.makeTemporaryDirectory("mlflow-down")
        let port = try MLflowTestServer.freePort()
        let errors = ReportedErrors()
        var policy = fastRetries
        policy.closeTimeout = 0.5
        let backend = try MLflowVisBackend(
            saveDir: directory.path, expName: "e", trackingURI: "http://127.0.0.1:\(port)", retryPolicy: policy,
            environment: [:], errorHandler: errors.handler)
        let start = Date()
        for step in 0..<500 { try backend.addScalar(name: "loss", value: .double(Double(step)), step: step) }
        try backend.addConfig(["lr": 0.1])
        try backend.addImage(name: "img.png", image: try Image(width: 4, height: 4), step: 0)
        #expect(Date().timeIntervalSince(start) < 2, "logging waited for the network")
        backend.close()
        let report = try #require(backend.uploadReport)
        #expect(!report.isComplete)
        #expect(report.runID == nil)
        #expect(report.unsentMetricCount == 500)
        #expect(report.unsentMetrics["loss"]?.firstStep == 0 && report.unsentMetrics["loss"]?.lastStep == 499)
        #expect(report.unsentParams == ["lr"])
        #expect(report.unsentArtifacts == ["config.json", "img.png"])
        #expect(report.unsentEnd == "FINISHED")
        #expect(report.description.contains(report.spoolDirectory + "/records.jsonl"))
        let lines = try String(contentsOfFile: report.spoolDirectory + "/records.jsonl", encoding: .utf8)
            .split(separator: "\n")
        #expect(lines.count == 500 + 1 + 2 + 1)
        #expect(errors.all.contains { "\($0)".contains("500 metric value(s)") })

        // Later (another process, say) a server is there: the spool goes up in order and the run ends.
        let stub = try MLflowStubServer(failures: [:])
        defer { stub.stop() }
        let state = try String(contentsOfFile: report.spoolDirectory + "/state.json", encoding: .utf8)
        try state.replacingOccurrences(of: "http://127.0.0.1:\(port)", with: stub.url)
            .write(toFile: report.spoolDirectory + "/state.json", atomically: true, encoding: .utf8)
        let resumed = try MLflowRun.resumeUpload(spoolDirectory: report.spoolDirectory, retryPolicy: fastRetries)
        #expect(resumed.isComplete, "\(resumed)")
        #expect(!FileManager.default.fileExists(atPath: report.spoolDirectory))
        let requests = try stub.requests()
        let paths = requests.compactMap { $0["path"] as? String }
        #expect(paths.first?.contains("get-by-name") == true && paths.last?.contains("runs/update") == true)
        #expect(paths.filter { $0.contains("mlflow-artifacts/artifacts/7/stubrun/artifacts/") }.count == 2)
        let steps = requests.compactMap { $0["body"] as? String }.filter { $0.contains("\"metrics\"") }.flatMap { body in
            ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any])?["metrics"] as? [[String: Any]] ?? []
        }.compactMap { ($0["step"] as? NSNumber)?.intValue }
        #expect(steps == Array(0..<500))
        #expect(throws: VisBackendError.self) { try MLflowRun.resumeUpload(spoolDirectory: directory.path) }
    }
}

/// A loopback HTTP stub that answers like an MLflow server but fails requests on a schedule, and records the
/// bodies it accepted.
final class MLflowStubServer: @unchecked Sendable {
    static let script = #"""
        import http.server, json, signal, sys, threading
        signal.pthread_sigmask(signal.SIG_SETMASK, [])  # the test process may hand down a blocked SIGTERM
        failures = {int(i): int(code) for i, code in (item.split(":") for item in sys.argv[2].split(",") if item)}
        log = open(sys.argv[1], "a")
        lock = threading.Lock()
        count = {"n": 0}
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass
            def answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            def handle_any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with lock:
                    index = count["n"]
                    count["n"] += 1
                    if index in failures:
                        log.write(json.dumps({"path": self.path, "status": failures[index]}) + "\n"); log.flush()
                        return self.answer(failures[index], {"error_code": "TEMPORARILY_UNAVAILABLE", "message": "stub"})
                    if "log-batch" in self.path:
                        request = json.loads(body)
                        bad = [p for p in request.get("params", []) if p["key"] == "bad"]
                        if bad:
                            log.write(json.dumps({"path": self.path, "status": 400}) + "\n"); log.flush()
                            return self.answer(400, {"error_code": "INVALID_PARAMETER_VALUE", "message": "param bad refused"})
                    log.write(json.dumps({"path": self.path, "status": 200, "body": body.decode("utf-8", "replace")}) + "\n"); log.flush()
                if "get-by-name" in self.path:
                    return self.answer(200, {"experiment": {"experiment_id": "7"}})
                if "runs/create" in self.path:
                    return self.answer(200, {"run": {"info": {"run_id": "stubrun", "artifact_uri": "mlflow-artifacts:/7/stubrun/artifacts"}}})
                return self.answer(200, {})
            do_GET = do_POST = do_PUT = handle_any
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    let url: String
    let logPath: String
    private let process: Process

    /// Starts the stub; `failures` maps request numbers (from 0, any path) to the status they get.
    init(failures: [Int: Int]) throws {
        let directory = try TestSupport.makeTemporaryDirectory("mlflow-stub")
        let scriptPath = directory.appendingPathComponent("stub.py").path
        try MLflowStubServer.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        logPath = directory.appendingPathComponent("requests.jsonl").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: try TestSupport.interopPython())
        process.arguments = [scriptPath, logPath, failures.map { "\($0.key):\($0.value)" }.joined(separator: ",")]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            process.terminate()
            throw TestSupportError.commandFailed("stub server", status: 1, stderr: "no port printed")
        }
        url = "http://127.0.0.1:\(port)"
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// The requests the stub saw: path, status, and the body when it accepted the request.
    func requests() throws -> [[String: Any]] {
        try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

@Suite("MLflow upload faults", .serialized)
struct MLflowUploadFaultTests {
    @Test("500 and 429 answers are retried; nothing is lost and the order is kept")
    func retriesServerErrors() throws {
        let stub = try MLflowStubServer(failures: [0: 500, 1: 429, 3: 503, 4: 500, 8: 500, 9: 429, 10: 500])
        defer { stub.stop() }
        let directory = try TestSupport.makeTemporaryDirectory("mlflow-retry")
        let errors = ReportedErrors()
        let backend = try MLflowVisBackend(
            saveDir: directory.path, expName: "e", runName: "r", trackingURI: stub.url, retryPolicy: fastRetries,
            environment: [:], errorHandler: errors.handler)
        for step in 0..<2500 { try backend.addScalar(name: "loss", value: .double(Double(step) / 2), step: step) }
        backend.close()
        let report = try #require(backend.uploadReport)
        #expect(report.isComplete, "\(report)")
        #expect(errors.all.isEmpty, "\(errors.all)")
        let requests = try stub.requests()
        let statuses = requests.map { $0["status"] as? Int ?? 0 }
        #expect(statuses.filter { $0 != 200 } == [500, 429, 503, 500, 500, 429, 500])
        #expect(requests.filter { ($0["path"] as? String)?.contains("log-batch") == true && ($0["status"] as? Int) != 200 }.count >= 1)
        var steps: [Int] = []
        for request in requests where (request["path"] as? String)?.contains("log-batch") == true {
            guard let body = request["body"] as? String,
                let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                let metrics = object["metrics"] as? [[String: Any]]
            else { continue }
            #expect(metrics.count <= 1000)
            steps += metrics.compactMap { ($0["step"] as? NSNumber)?.intValue }
        }
        #expect(steps == Array(0..<2500))
        #expect(requests.last.flatMap { $0["path"] as? String }?.contains("runs/update") == true)
        #expect(!FileManager.default.fileExists(atPath: report.spoolDirectory), "a complete upload keeps no spool")
    }

    @Test("a record the server refuses (4xx) is reported by name; the rest arrives")
    func refusedParam() throws {
        let stub = try MLflowStubServer(failures: [:])
        defer { stub.stop() }
        let directory = try TestSupport.makeTemporaryDirectory("mlflow-refused")
        let errors = ReportedErrors()
        let backend = try MLflowVisBackend(
            saveDir: directory.path, trackingURI: stub.url, retryPolicy: fastRetries, environment: [:],
            errorHandler: errors.handler)
        let run = try #require(try backend.experiment as? MLflowRun)
        try run.logParam("good", value: "1")
        try run.logParam("bad", value: "2")
        try backend.addScalar(name: "loss", value: 1, step: 1)
        backend.close()
        #expect(backend.uploadReport?.isComplete == true)
        #expect(errors.all.count == 1)
        #expect(errors.all.first.map { "\($0)".contains("param \"bad\"") && "\($0)".contains("HTTP 400") } == true)
        let accepted = try stub.requests().filter { ($0["status"] as? Int) == 200 }.compactMap { $0["body"] as? String }
        #expect(accepted.contains { $0.contains("\"good\"") })
        #expect(accepted.contains { $0.contains("\"loss\"") })
        #expect(!accepted.contains { $0.contains("\"bad\"") })
    }

    @Test("the registry builds the backend from an MMEngine config")
    func registry() throws {
        let directory = try TestSupport.makeTemporaryDirectory("mlflow-registry")
        let built = try VisBackendRegistry.shared.build(
            [
                "type": "MLflowVisBackend", "exp_name": "demo", "run_name": "r", "tags": ["k": 1],
                "tracked_config_keys": ["model"], "artifact_suffix": [".log"], "close_timeout": 1,
            ], defaultSaveDir: directory.path)
        let backend = try #require(built.backend as? MLflowVisBackend)
        #expect(backend.expName == "demo" && backend.runName == "r" && backend.tags == ["k": "1"])
        #expect(backend.trackedConfigKeys == ["model"] && backend.artifactSuffix == [".log"])
        #expect(backend.retryPolicy.closeTimeout == 1)
        #expect(throws: VisBackendError.self) {
            try VisBackendRegistry.shared.build(["type": "MLflowVisBackend", "expname": "x"], defaultSaveDir: directory.path)
        }
    }
}
