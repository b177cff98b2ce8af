import Foundation
import Logging
import OrderedCollections
import VisCore

/// One MLflow run, logged natively: the client behind ``MLflowVisBackend`` (its ``MLflowVisBackend/experiment``),
/// usable on its own to log any metric, param, tag or artifact.
///
/// Two stores:
/// - **A tracking server** (`http://` or `https://` URI): every call appends a record to a spool file under the
///   save directory and returns; an uploader thread creates the experiment and run and sends the records in
///   order through MLflow's REST API (`runs/log-batch` within the server's limits, artifacts through the
///   server's artifact proxy). When the server is down, slow or answers 5xx/429 the uploader retries with
///   doubling waits while the records stay on disk; a record the server refuses (4xx) is reported by name and
///   skipped, the rest goes on. ``finish(status:)`` waits a bounded time, then reports exactly what was not sent
///   and where it is kept (``MLflowUploadReport``).
/// - **The offline file store** (a folder or `file:` URI): MLflow's file-store layout, written directly (see
///   ``storeDirectory``); MLflow reads it with `MLFLOW_ALLOW_FILE_STORE=true` and `mlflow migrate-filestore`
///   moves it into a database.
///
/// Calls never wait for the network: records are encoded on the caller's thread and written by a
/// ``BackgroundWriter`` (images are encoded there too). Thread-safe.
public final class MLflowRun: @unchecked Sendable {
    /// The tracking URI: the server's URL, or the `file:` URI of the offline store.
    public let trackingURI: String
    /// The experiment's name.
    public let experimentName: String
    /// The run's name (the `mlflow.runName` tag), or `nil` when the server picks one.
    public let runName: String?
    /// The folder of the offline store (the one holding experiment folders), or `nil` with a server.
    public let storeDirectory: String?
    /// The spool folder of a server run (`records.jsonl`, `blobs/`, `state.json`), or `nil` offline.
    public let spoolDirectory: String?

    private let writer: BackgroundWriter
    private let fileStore: _MLflowFileStore?
    private let uploader: _MLflowUploader?
    private let spoolFile: AppendFile?
    private let policy: MLflowRetryPolicy
    private let pngCompressionLevel: Int
    private let logger: Logger
    private let errorHandler: VisBackendErrorHandler?
    private let lock = NSLock()
    // Guarded by `lock`:
    private var metricFiles: [String: AppendFile] = [:]
    private var spoolKeys: Set<String> = []
    private var params: [String: String] = [:]
    private var blobSerial = 0
    private var finishedReport: MLflowUploadReport??

    /// Where a run is stored.
    enum Store {
        case server(URL)
        case fileStore(String)
    }

    /// Opens the run: creates the offline store's experiment and run, or the spool and the uploader thread.
    init(
        store: Store, experimentName: String, runName: String?, artifactLocation: String?, saveDir: String,
        policy: MLflowRetryPolicy, environment: [String: String], pngCompressionLevel: Int, logger: Logger,
        errorHandler: VisBackendErrorHandler?
    ) throws {
        self.experimentName = experimentName
        self.policy = policy
        self.pngCompressionLevel = pngCompressionLevel
        self.logger = logger
        self.errorHandler = errorHandler
        writer = BackgroundWriter(label: "MLflowVisBackend", logger: logger, errorHandler: errorHandler)
        let startTime = _mlflowNowMilliseconds()
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "unknown"
        let source = CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "swift"
        let systemTags = [("mlflow.user", user), ("mlflow.source.name", source), ("mlflow.source.type", "LOCAL")]
        switch store {
        case .fileStore(let root):
            let name = runName ?? "swift-" + String(UUID().uuidString.prefix(8)).lowercased()
            let fileStore = try _MLflowFileStore(
                root: root, experimentName: experimentName, artifactLocation: artifactLocation, runName: name,
                startTime: startTime, user: user)
            self.fileStore = fileStore
            self.runName = name
            trackingURI = _MLflowFileStore.fileURI(fileStore.root)
            storeDirectory = fileStore.root
            spoolDirectory = nil
            uploader = nil
            spoolFile = nil
            for (key, value) in [("mlflow.runName", name)] + systemTags {
                try BackendFile.write(Array(value.utf8), to: fileStore.path("tags", key))
            }
        case .server(let url):
            let stamp = Self.timestampFormatter.string(from: Date())
            let spool = URL(fileURLWithPath: saveDir).standardizedFileURL.path + "/mlflow_spool/run-\(stamp)-"
                + String(UUID().uuidString.prefix(8)).lowercased()
            try BackendFile.createDirectory(spool + "/blobs")
            let uploader = _MLflowUploader(
                http: _MLflowHTTP(baseURL: url, environment: environment, timeout: policy.requestTimeout),
                spoolDirectory: spool,
                setup: .init(
                    experimentName: experimentName, artifactLocation: artifactLocation, runName: runName,
                    startTime: startTime, tags: systemTags),
                policy: policy, logger: logger, errorHandler: errorHandler)
            self.runName = runName
            trackingURI = url.absoluteString
            storeDirectory = nil
            spoolDirectory = spool
            fileStore = nil
            spoolFile = AppendFile(path: uploader.recordsPath)
            self.uploader = uploader
            uploader.saveState()
            uploader.start()
        }
    }

    deinit {
        finish(status: .failed)
    }

    /// The run's id. Offline it exists at once; with a server it is `nil` until the server has created the run
    /// (see ``waitForRunID(timeout:)``).
    public var runID: String? {
        fileStore?.runID ?? uploader?.currentRunID
    }

    /// Waits up to `timeout` seconds for the run's id (offline it is there at once).
    public func waitForRunID(timeout: Double) -> String? {
        fileStore?.runID ?? uploader?.waitForRunID(timeout: timeout)
    }

    /// The run's folder in the offline store, or `nil` with a server.
    public var runDirectory: String? { fileStore?.runDirectory }

    /// Logs one metric value at `step`; `timestamp` is in milliseconds since 1970 (default: now).
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for a key MLflow does not
    ///   accept; ``VisBackendError/closed(backend:)`` after ``finish(status:)``.
    public func logMetric(_ key: String, value: Double, step: Int = 0, timestamp: Int64? = nil) throws {
        let time = timestamp ?? _mlflowNowMilliseconds()
        if let fileStore {
            let file = try metricFile(key, store: fileStore)
            try writer.append(_MLflowFileStore.metricLine(value: value, timestamp: time, step: step), to: file)
        } else {
            try spool(.metric(key: key, value: value, timestamp: time, step: step), key: key, kind: "metric")
        }
    }

    /// Logs several metrics at one `step`, in order, with one timestamp.
    public func logMetrics(_ metrics: ScalarDictionary, step: Int = 0) throws {
        let time = _mlflowNowMilliseconds()
        for (key, value) in metrics { try logMetric(key, value: value.doubleValue, step: step, timestamp: time) }
    }

    /// Logs a param. Values longer than 6000 characters are cut (with a warning), as MLflow's client does.
    /// Logging a key again with the same value does nothing.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for a bad key or a key already
    ///   logged with another value (MLflow params cannot change).
    public func logParam(_ key: String, value: String) throws {
        try _MLflowValues.validateKey(key, kind: "param")
        var value = value
        if let cut = _MLflowValues.truncated(value, limit: _MLflowValues.maximumParamValueLength) {
            logger.warning(
                "MLflow param \(key.debugDescription) has \(value.unicodeScalars.count) characters; cut to \(_MLflowValues.maximumParamValueLength)")
            value = cut
        }
        lock.lock()
        let previous = params[key]
        if previous == nil { params[key] = value }
        lock.unlock()
        if let previous {
            guard previous != value else { return }
            throw VisBackendError.invalidArgument(
                argument: "param \(key.debugDescription)",
                expected: "its first value \(previous.debugDescription) (MLflow params cannot change; use a tag or a metric)",
                actual: value.debugDescription)
        }
        try write(.param(key: key, value: value), kind: "params")
    }

    /// Logs params in order (see ``logParam(_:value:)``).
    public func logParams(_ params: OrderedDictionary<String, String>) throws {
        for (key, value) in params { try logParam(key, value: value) }
    }

    /// Sets a tag (a later value replaces an earlier one). Values longer than 8000 characters are cut.
    public func setTag(_ key: String, value: String) throws {
        try _MLflowValues.validateKey(key, kind: "tag")
        let value = _MLflowValues.truncated(value, limit: _MLflowValues.maximumTagValueLength) ?? value
        try write(.tag(key: key, value: value), kind: "tags")
    }

    /// Stores `bytes` as the artifact `path` (relative, e.g. `config.yaml` or `images/sample.png`).
    ///
    /// - Throws: ``VisBackendError/pathEscapesSaveDir(argument:path:)`` for a path that is not relative.
    public func logArtifact(_ bytes: [UInt8], path: String) throws {
        try logArtifact(path: path, cost: bytes.count) { bytes }
    }

    /// Stores a copy of the file at `filePath` as the artifact `path`. The file is read off the caller's thread.
    public func logArtifact(fileAt filePath: String, path: String) throws {
        try logArtifact(path: path, cost: 0) {
            guard let data = FileManager.default.contents(atPath: filePath) else {
                throw VisBackendError.io(path: filePath, reason: "cannot read the file to log it as an MLflow artifact")
            }
            return [UInt8](data)
        }
    }

    /// Stores an image as the artifact `path`, encoded once, off the caller's thread: PNG for `.png`, JPEG
    /// (quality 95) for `.jpg`/`.jpeg`.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for another extension or an
    ///   image without pixels.
    public func logImage(_ image: Image, path: String) throws {
        let format = SaveDirPath.fileExtension(path)
        guard ["png", "jpg", "jpeg"].contains(format) else {
            throw VisBackendError.invalidArgument(
                argument: "artifact path", expected: "a file name ending in .png, .jpg or .jpeg", actual: path)
        }
        guard image.width > 0, image.height > 0 else {
            throw VisBackendError.invalidArgument(
                argument: "image", expected: "an image with at least one pixel", actual: "\(image.width)×\(image.height)")
        }
        let level = pngCompressionLevel
        try logArtifact(path: path, cost: image.pixels.count) {
            do {
                return format == "png" ? try image.pngData(compressionLevel: level) : try image.jpegData(quality: 95)
            } catch {
                throw VisBackendError.encodingFailed(name: path, reason: "\(error)")
            }
        }
    }

    /// Returns once every call made before it is on disk (in the offline store, or in the spool for a server).
    /// With a server it also asks the uploader to send what is spooled now.
    public func flush() {
        writer.flush()
        uploader?.nudge()
    }

    /// Ends the run with `status`: offline, its `meta.yaml` says so at once; with a server the end is spooled
    /// after everything else and the call waits up to the retry policy's `closeTimeout` for the upload.
    /// Idempotent (later calls return the first result).
    ///
    /// - Returns: With a server, what was not sent (``MLflowUploadReport/isComplete`` when nothing is missing;
    ///   the spool is then deleted); offline, `nil`.
    @discardableResult
    public func finish(status: MLflowRunStatus = .finished) -> MLflowUploadReport? {
        lock.lock()
        if let finishedReport {
            lock.unlock()
            return finishedReport
        }
        finishedReport = .some(nil)
        lock.unlock()
        let endTime = _mlflowNowMilliseconds()
        if let fileStore {
            try? writer.submit(cost: 0) { try fileStore.writeRunMeta(status: status.fileStoreCode, endTime: endTime) }
            writer.close()
            return nil
        }
        guard let uploader, let spoolFile else { return nil }
        var line: [UInt8] = []
        _MLflowRecord.end(status: status.rawValue, endTime: endTime).appendLine(to: &line)
        try? writer.append(line, to: spoolFile)
        writer.close()
        let report = uploader.finish(timeout: policy.closeTimeout)
        if report.isComplete {
            try? FileManager.default.removeItem(atPath: uploader.spoolDirectory)
        } else {
            let error = VisBackendError.io(path: uploader.spoolDirectory, reason: report.description)
            logger.error("MLflowVisBackend: \(error)")
            errorHandler?(error)
        }
        lock.lock()
        finishedReport = .some(report)
        lock.unlock()
        return report
    }

    /// Sends what a closed run left in its spool (see ``MLflowUploadReport``), for instance after the server
    /// came back, in a later process: creates the run if the server never did, sends the records from where
    /// the upload stopped, in order, and ends the run as it was ended. Waits up to the policy's `closeTimeout`.
    ///
    /// - Returns: What is still not sent; when nothing is missing the spool folder is deleted.
    /// - Throws: ``VisBackendError/io(path:reason:)`` when `spoolDirectory` has no spool state.
    public static func resumeUpload(
        spoolDirectory: String, retryPolicy: MLflowRetryPolicy = MLflowRetryPolicy(),
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger? = nil
    ) throws -> MLflowUploadReport {
        try retryPolicy.validate()
        let uploader = try _MLflowUploader.resuming(
            spoolDirectory: spoolDirectory, policy: retryPolicy, environment: environment,
            logger: logger ?? Logger(label: "VisBackends.MLflowVisBackend"), errorHandler: nil)
        uploader.start()
        let report = uploader.finish(timeout: retryPolicy.closeTimeout)
        if report.isComplete { try? FileManager.default.removeItem(atPath: spoolDirectory) }
        return report
    }

    // MARK: - Internals

    private static let timestampFormatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd_HHmmss"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter
    }()

    /// The metric file of `key`, checking the key and creating its folder on first use.
    private func metricFile(_ key: String, store: _MLflowFileStore) throws -> AppendFile {
        lock.lock()
        if let file = metricFiles[key] {
            lock.unlock()
            return file
        }
        lock.unlock()
        try _MLflowValues.validateKey(key, kind: "metric")
        let path = store.path("metrics", key)
        let folder = (path as NSString).deletingLastPathComponent
        try writer.submit(cost: 0) { try BackendFile.createDirectory(folder) }
        lock.lock()
        defer { lock.unlock() }
        if let file = metricFiles[key] { return file }
        let file = AppendFile(path: path)
        metricFiles[key] = file
        return file
    }

    /// Appends a record to the spool, checking its key the first time it is seen.
    private func spool(_ record: _MLflowRecord, key: String, kind: String) throws {
        guard let spoolFile else { return }
        lock.lock()
        let known = spoolKeys.contains(key)
        lock.unlock()
        if !known {
            try _MLflowValues.validateKey(key, kind: kind)
            lock.lock()
            spoolKeys.insert(key)
            lock.unlock()
        }
        var line: [UInt8] = []
        line.reserveCapacity(96 + key.utf8.count)
        record.appendLine(to: &line)
        try writer.append(line, to: spoolFile)
    }

    /// Writes a param or tag: a file in the offline store, a record in the spool.
    private func write(_ record: _MLflowRecord, kind: String) throws {
        guard let fileStore else {
            guard let spoolFile else { return }
            var line: [UInt8] = []
            record.appendLine(to: &line)
            try writer.append(line, to: spoolFile)
            return
        }
        switch record {
        case .param(let key, let value), .tag(let key, let value):
            let path = fileStore.path(kind, key)
            try writer.submit(cost: value.utf8.count) { try BackendFile.write(Array(value.utf8), to: path) }
        default:
            break
        }
    }

    /// Produces an artifact's bytes on the writer thread and stores them: in the run's artifact folder offline,
    /// as a blob plus a spool record with a server.
    private func logArtifact(path: String, cost: Int, produce: @escaping @Sendable () throws -> [UInt8]) throws {
        let path = try SaveDirPath.validated(path, argument: "artifact path")
        if let fileStore {
            let target = fileStore.artifactDirectory + "/" + path
            try writer.submit(cost: cost) { try BackendFile.write(try produce(), to: target) }
            return
        }
        guard let uploader, let spoolFile else { return }
        lock.lock()
        blobSerial += 1
        let blob = String(format: "%06d-", blobSerial) + ((path as NSString).lastPathComponent)
        lock.unlock()
        let target = uploader.blobsDirectory + "/" + blob
        try writer.submit(cost: cost) { try BackendFile.write(try produce(), to: target) }
        // The record follows the blob through the same ordered writer, so the uploader never sees it first.
        var line: [UInt8] = []
        _MLflowRecord.artifact(path: path, blob: blob).appendLine(to: &line)
        try writer.append(line, to: spoolFile)
    }
}
