import Foundation
import Logging
import VisCore
import Visualization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

extension Workloads {
    /// VisBackends: MLflowVisBackend against a real `mlflow server` on loopback (the one named by
    /// `VIS_BENCH_MLFLOW_URI`, else one started from `.venv-bench` or `.venv-ci` for this process). A run opens
    /// the run, logs, and closes, and close returns only when the server has everything, so the time includes the
    /// whole upload. The anchors (Scripts/bench/anchor_mlflow.py) do the same with MLflow's Python client on the
    /// same server: `log_metric` per call for the 1 000-scalar workload, `log_batch` (1 000 per request) plus
    /// `log_image` for the 10 000-scalar one. Each call's latency on the caller's thread is recorded; the
    /// percentiles are printed when vis-bench exits.
    static var mlflow: [Workload] {
        guard _BenchMLflowServer.isAvailable else {
            FileHandle.standardError.write(
                Data("(mlflow workloads skipped: no mlflow in .venv-bench or .venv-ci and no VIS_BENCH_MLFLOW_URI)\n".utf8))
            return []
        }
        return [
            Workload(
                name: "mlflow.scalars.1000",
                summary: "MLflowVisBackend to a local mlflow server: 1000 add_scalar, close (all on the server)"
            ) { context in
                let url = try _BenchMLflowServer.shared.url()
                return { try runMLflow(url: url, root: context.workDirectory, scalars: 1000, image: nil, images: 0) }
            },
            Workload(
                name: "mlflow.scalars.10000+images.20",
                summary: "MLflowVisBackend to a local mlflow server: 10000 add_scalar + 20 add_image (320x200), close"
            ) { context in
                let url = try _BenchMLflowServer.shared.url()
                let image = try context.scene.cropped(x: 0, y: 0, width: 320, height: 200)
                try image.writePNG(to: context.workDirectory.appendingPathComponent("mlflow-image-320x200.png").path)
                return { try runMLflow(url: url, root: context.workDirectory, scalars: 10_000, image: image, images: 20) }
            },
        ]
    }

    private static func runMLflow(url: String, root: URL, scalars: Int, image: Image?, images: Int) throws {
        var logger = Logger(label: "vis-bench.mlflow")
        logger.logLevel = .warning
        let backend = try MLflowVisBackend(
            saveDir: root.appendingPathComponent("mlflow").path, expName: "vis-bench", trackingURI: url,
            retryPolicy: MLflowRetryPolicy(pollInterval: 0.02, closeTimeout: 120), logger: logger)
        var latencies = [UInt64](repeating: 0, count: scalars)
        for step in 0..<scalars {
            let start = DispatchTime.now().uptimeNanoseconds
            try backend.addScalar(name: "loss", value: .double(1.0 / Double(step + 1)), step: step)
            latencies[step] = DispatchTime.now().uptimeNanoseconds - start
        }
        if let image {
            for index in 0..<images { try backend.addImage(name: "img_\(index).png", image: image, step: index) }
        }
        backend.close()
        if let report = backend.uploadReport, !report.isComplete {
            throw ValidationFailure(message: "MLflow upload incomplete: \(report)")
        }
        _BenchMLflowServer.shared.record(latencies)
    }

    struct ValidationFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// The bench's MLflow server and the caller latencies measured against it.
final class _BenchMLflowServer: Sendable {
    static let shared = _BenchMLflowServer()

    private struct State {
        var process: Process?
        var address: String?
        var latencies: [UInt64] = []
    }
    private let state = LockedValue(State())

    /// The `mlflow` command to start, or `nil` when `VIS_BENCH_MLFLOW_URI` names a running server.
    static var executable: String? {
        ["\(packageRoot().path)/.venv-bench/bin/mlflow", "\(packageRoot().path)/.venv-ci/bin/mlflow"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var isAvailable: Bool {
        ProcessInfo.processInfo.environment["VIS_BENCH_MLFLOW_URI"] != nil || executable != nil
    }

    /// The server's URL, starting the server on first use. The URL is exported as `VIS_BENCH_MLFLOW_URI` so
    /// that the Python anchors log to the same server.
    func url() throws -> String {
        try state.withLock { state in try start(&state) }
    }

    /// Starts the server unless `state` has its address; called with the state locked, so it starts once.
    private func start(_ state: inout State) throws -> String {
        if let address = state.address { return address }
        if let given = ProcessInfo.processInfo.environment["VIS_BENCH_MLFLOW_URI"] {
            state.address = given
            return given
        }
        guard let executable = Self.executable else { throw Workloads.ValidationFailure(message: "no mlflow") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vis-bench-mlflow-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let port = 20_000 + Int(getpid() % 20_000)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "server", "--host", "127.0.0.1", "--port", String(port), "--workers", "1", "--backend-store-uri",
            "sqlite:///\(directory.path)/mlflow.db", "--artifacts-destination", "\(directory.path)/artifacts",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        state.process = process
        let url = "http://127.0.0.1:\(port)"
        let deadline = Date(timeIntervalSinceNow: 180)
        while Date() < deadline {
            if Self.healthy(url) {
                state.address = url
                setenv("VIS_BENCH_MLFLOW_URI", url, 1)
                atexit { _BenchMLflowServer.shared.finish() }
                return url
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
        process.terminate()
        throw Workloads.ValidationFailure(message: "mlflow server did not become healthy on \(url)")
    }

    func record(_ samples: [UInt64]) {
        state.withLock { $0.latencies += samples }
    }

    /// Prints the caller latencies and stops the server this process started.
    func finish() {
        let (samples, process) = state.withLock { state in
            defer { state.process = nil }
            return (state.latencies.sorted(), state.process)
        }
        if !samples.isEmpty {
            func percentile(_ p: Double) -> Double {
                Double(samples[min(samples.count - 1, Int(Double(samples.count) * p))]) / 1000
            }
            print(
                String(
                    format: "MLflowVisBackend add_scalar caller latency over %d calls: p50 %.2f µs, p99 %.2f µs, max %.1f µs",
                    samples.count, percentile(0.5), percentile(0.99), Double(samples.last ?? 0) / 1000))
        }
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date(timeIntervalSinceNow: 10)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    private static func healthy(_ url: String) -> Bool {
        guard let health = URL(string: url + "/health") else { return false }
        let answer = LockedValue<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: health) { data, _, _ in
            let text = data.map { String(decoding: $0, as: UTF8.self) }
            answer.withLock { $0 = text }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + 3) == .success else { return false }
        return answer.withLock { $0 } == "OK"
    }
}
