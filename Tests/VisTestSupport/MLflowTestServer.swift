import Foundation
import VisBackends
import VisCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `mlflow server` for one test: started from the interop venv on a free loopback port with a SQLite
/// backend store and served artifacts in a temporary folder, stopped (SIGTERM, then waited for) by ``stop()``.
/// It can be stopped and started again on the same port and data, to play a server that goes away.
public final class MLflowTestServer: @unchecked Sendable {
    /// `http://127.0.0.1:<port>`.
    public let url: String
    /// The loopback port.
    public let port: Int
    /// The folder holding `mlflow.db`, `artifacts/` and the server's log.
    public let directory: URL
    private let executable: String
    private let python: String
    private var process: Process?

    /// The `mlflow` command beside the interop Python.
    ///
    /// - Throws: ``TestSupportError/missingTool(_:)`` when mlflow is not installed there (a failure, not a
    ///   skip, so CI cannot pass without it).
    public static func mlflowCommand() throws -> String {
        let python = try TestSupport.interopPython()
        let path = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("mlflow").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError.missingTool(
                "\(path): install mlflow into the interop venv (Scripts/requirements-ci.txt pins it)")
        }
        return path
    }

    /// A loopback port nobody listens on right now (the interop Python binds port 0 and reports the port).
    public static func freePort() throws -> Int {
        let output = try TestSupport.runPython(
            "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()")
        guard let port = Int(output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSupportError.commandFailed("free port", status: 1, stderr: output)
        }
        return port
    }

    /// Starts a server and waits until `/health` answers (at most `timeout` seconds).
    public static func start(timeout: Double = 180) throws -> MLflowTestServer {
        let server = try MLflowTestServer(
            executable: try mlflowCommand(), python: try TestSupport.interopPython(), port: try freePort(),
            directory: try TestSupport.makeTemporaryDirectory("mlflow-server"))
        try server.start(timeout: timeout)
        return server
    }

    private init(executable: String, python: String, port: Int, directory: URL) throws {
        self.executable = executable
        self.python = python
        self.port = port
        self.directory = directory
        url = "http://127.0.0.1:\(port)"
    }

    deinit {
        stop()
    }

    /// Starts (or restarts) the server process on the same port and data; waits for `/health`.
    public func start(timeout: Double = 180) throws {
        stop()
        let process = Process()
        // Started through Python with an empty signal mask: a test runner's threads may block SIGTERM, and the
        // server and its workers would inherit that and outlive ``stop()``.
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
            executable, "server", "--host", "127.0.0.1", "--port", String(port), "--workers", "1",
            "--backend-store-uri", "sqlite:///" + directory.appendingPathComponent("mlflow.db").path,
            "--artifacts-destination", directory.appendingPathComponent("artifacts").path,
        ]
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory.path
        environment.removeValue(forKey: "MLFLOW_TRACKING_URI")
        // No background job runner: tracking does not need it, and its consumers would outlive the server.
        environment["MLFLOW_SERVER_ENABLE_JOB_EXECUTION"] = "false"
        process.environment = environment
        let log = directory.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if MLflowTestServer.get(url + "/health", timeout: 2) == "OK" { return }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.25)
        }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        stop()
        throw TestSupportError.commandFailed(
            "mlflow server on port \(port)", status: 1, stderr: "not healthy within \(timeout) s:\n\(output.suffix(3000))")
    }

    /// Stops the server (SIGTERM to `mlflow server`, which stops its workers) and waits for it.
    public func stop() {
        guard let process else { return }
        self.process = nil
        if process.isRunning {
            process.terminate()
            let deadline = Date(timeIntervalSinceNow: 20)
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        // The worker may hold the port a moment longer than its parent lives.
        let deadline = Date(timeIntervalSinceNow: 10)
        while MLflowTestServer.get(url + "/health", timeout: 0.5) != nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// The body of a GET, or `nil` when the request fails or the status is not 200.
    public static func get(_ address: String, timeout: Double) -> String? {
        guard let url = URL(string: address) else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let body = LockedValue<Data?>(nil)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let data, (response as? HTTPURLResponse)?.statusCode == 200 {
                body.withLock { $0 = data }
            }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + timeout + 1) == .success, let data = body.withLock({ $0 }) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Collects the errors a backend reports on its background threads.
public final class ReportedErrors: Sendable {
    private let errors = Recorder<VisBackendError>()

    public init() {}

    /// Every error so far, in order.
    public var all: [VisBackendError] { errors.values }

    /// A handler to pass as a backend's `errorHandler`.
    public var handler: VisBackendErrorHandler {
        { [errors] error in errors.append(error) }
    }
}
