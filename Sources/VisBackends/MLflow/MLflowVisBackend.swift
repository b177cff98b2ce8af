import Foundation
import Logging
import OrderedCollections
import VisCore

/// Stores a visualizer's data as an MLflow run: the counterpart of MMEngine's `MLflowVisBackend`, written
/// natively (no Python), to a tracking server over its REST API or to MLflow's file store on disk.
///
/// **Where the run goes** — `trackingURI`, else the `MLFLOW_TRACKING_URI` environment variable, else an offline
/// store in `<saveDir>/mlruns`:
/// - `http://` / `https://`: a tracking server. Nothing waits for the network: calls go to a spool under
///   `<saveDir>/mlflow_spool/` and an uploader thread sends them in order, retrying while the server is down,
///   slow or busy (5xx, 429), so nothing is lost; see ``MLflowRun``. Credentials come from
///   `MLFLOW_TRACKING_TOKEN`, or `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD`.
/// - a folder or `file:` URI: MLflow's file-store layout. MLflow 3 refuses file stores unless
///   `MLFLOW_ALLOW_FILE_STORE=true` is set (MMEngine's default therefore fails there); ``close()`` logs the
///   commands that view the run and migrate it into a database (``offlineCommands``).
///
/// **What goes where**, as in MMEngine:
/// - The run is in experiment `expName` (created, with `artifactLocation`, when missing); `runName` becomes the
///   `mlflow.runName` tag; `tags` are set and `params` logged when the run opens.
/// - ``addScalar(name:value:step:)`` and ``addScalars(_:step:filePath:)`` log metrics at `step` with the current
///   time (a `"step"` key in the dictionary is refused, as MMEngine asserts).
/// - ``addConfig(_:)`` logs the config flattened into params (`model.backbone.depth`, `pipeline.0.type`; values
///   as Python's `str()` shows them; only the `trackedConfigKeys` entries when given) and the config text as the
///   artifact `config.yaml` or `config.json` (MMEngine writes `config.py`, Python syntax).
/// - ``addImage(name:image:step:)`` stores the image as the artifact `name` (PNG; a name without an extension
///   gets `.png`); the step is ignored, as in MMEngine.
/// - ``close()`` uploads the files under the config's `work_dir` whose names end in one of `artifactSuffix`,
///   then ends the run as `FINISHED` (``close(status:)`` ends it otherwise, e.g. `FAILED` from a crash handler;
///   a backend released without closing ends its run as `FAILED`).
///
/// ```swift
/// let mlflow = try MLflowVisBackend(saveDir: "work_dirs/exp/vis_data", expName: "detection",
///                                   runName: "retinanet-r50", trackingURI: "http://127.0.0.1:5000")
/// try mlflow.addScalars(["loss": 0.25, "lr": 0.01], step: 100)
/// mlflow.close()   // waits (bounded) for the upload; reports anything not sent and where it is kept
/// ```
public final class MLflowVisBackend: VisBackend, Sendable {
    /// MMEngine's `save_dir`: the offline store's parent and the spool's home.
    public let saveDir: String?
    /// The experiment's name (MMEngine's `exp_name`, default `Default`).
    public let expName: String
    /// The run's name, or `nil` to let MLflow pick one.
    public let runName: String?
    /// Tags set when the run opens.
    public let tags: OrderedDictionary<String, String>
    /// Params logged when the run opens (already in their stored text form).
    public let params: OrderedDictionary<String, String>
    /// The explicit tracking URI, if any.
    public let trackingURI: String?
    /// The endings of the `work_dir` files uploaded by ``close()`` (MMEngine's default `.json .log .py yaml`).
    public let artifactSuffix: [String]
    /// The top-level config keys logged as params, or `nil` for all.
    public let trackedConfigKeys: [String]?
    /// The artifact location of a newly created experiment.
    public let artifactLocation: String?
    /// The upload's timings.
    public let retryPolicy: MLflowRetryPolicy

    private let store: MLflowRun.Store
    private let environment: [String: String]
    private let pngCompressionLevel: Int
    private let logger: Logger
    private let errorHandler: VisBackendErrorHandler?
    private struct State {
        var run: MLflowRun?
        var config: Config?
        var isClosed = false
        var report: MLflowUploadReport?
    }
    private let state = LockedValue(State())

    /// Describes an MLflow backend; nothing is created and nothing connects until the first `add*` call.
    ///
    /// - Parameters:
    ///   - saveDir: MMEngine's `save_dir`.
    ///   - expName: MMEngine's `exp_name`: the experiment, created when missing (default `Default`).
    ///   - runName: MMEngine's `run_name`: the run's `mlflow.runName` tag.
    ///   - tags: MMEngine's `tags`: run tags set when the run starts.
    ///   - params: MMEngine's `params`: run parameters logged when the run starts.
    ///   - trackingURI: MMEngine's `tracking_uri`: `http(s)://` for a server; nil reads `MLFLOW_TRACKING_URI`,
    ///     else writes the offline file store under `saveDir`.
    ///   - artifactSuffix: MMEngine's `artifact_suffix`: the endings of work-directory files uploaded at close.
    ///   - trackedConfigKeys: MMEngine's `tracked_config_keys`: the top-level config keys logged as params (nil:
    ///     all of them).
    ///   - artifactLocation: MMEngine's `artifact_location`: where a newly created experiment keeps artifacts.
    ///   - retryPolicy: Request timeout, waits between attempts, and how long ``close()`` waits for the upload.
    ///   - environment: Where `MLFLOW_TRACKING_URI` and the credentials are read (default: the process's).
    ///   - pngCompressionLevel: zlib's level for image artifacts, 0...9.
    ///   - logger: Receives the offline store's commands, warnings and failures.
    ///   - errorHandler: Receives failures that happen after a call returned (a refused record, what was not
    ///     sent at close).
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for a tracking URI MLflow's REST
    ///   or file store does not cover (`databricks`, `sqlite:` …), a bad tag or param key, an empty experiment
    ///   name, or a timing out of range.
    public init(
        saveDir: String, expName: String? = nil, runName: String? = nil, tags: OrderedDictionary<String, String> = [:],
        params: OrderedDictionary<String, String> = [:], trackingURI: String? = nil,
        artifactSuffix: [String] = [".json", ".log", ".py", "yaml"], trackedConfigKeys: [String]? = nil,
        artifactLocation: String? = nil, retryPolicy: MLflowRetryPolicy = MLflowRetryPolicy(),
        environment: [String: String] = ProcessInfo.processInfo.environment, pngCompressionLevel: Int = 1,
        logger: Logger? = nil, errorHandler: VisBackendErrorHandler? = nil
    ) throws(VisBackendError) {
        let expName = expName ?? "Default"
        guard !expName.isEmpty else {
            throw .invalidArgument(argument: "exp_name", expected: "a non-empty experiment name", actual: "\"\"")
        }
        guard (0...9).contains(pngCompressionLevel) else {
            throw .invalidArgument(argument: "pngCompressionLevel", expected: "0...9", actual: String(pngCompressionLevel))
        }
        try retryPolicy.validate()
        for key in tags.keys { try _MLflowValues.validateKey(key, kind: "tag") }
        for key in params.keys { try _MLflowValues.validateKey(key, kind: "param") }
        let uri = trackingURI ?? environment["MLFLOW_TRACKING_URI"].flatMap { $0.isEmpty ? nil : $0 }
        store = try Self.resolveStore(uri, saveDir: saveDir)
        self.saveDir = saveDir
        self.expName = expName
        self.runName = runName
        self.tags = tags
        self.params = params
        self.trackingURI = trackingURI
        self.artifactSuffix = artifactSuffix
        self.trackedConfigKeys = trackedConfigKeys
        self.artifactLocation = artifactLocation
        self.retryPolicy = retryPolicy
        self.environment = environment
        self.pngCompressionLevel = pngCompressionLevel
        self.logger = logger ?? Logger(label: "VisBackends.MLflowVisBackend")
        self.errorHandler = errorHandler
    }

    deinit {
        let run = state.withLock { $0.isClosed ? nil : $0.run }
        run?.finish(status: .failed)
    }

    /// The ``MLflowRun`` (opening it on first access): run id, and any metric, param, tag or artifact.
    public var experiment: Any {
        get throws { try openRun() }
    }

    /// Whether the run goes to a tracking server (`true`) or the offline file store (`false`).
    public var usesServer: Bool {
        if case .server = store { return true }
        return false
    }

    /// The tracking URI in use: the server's URL or the offline store's `file:` URI.
    public var resolvedTrackingURI: String {
        switch store {
        case .server(let url): return url.absoluteString
        case .fileStore(let root): return _MLflowFileStore.fileURI(root)
        }
    }

    /// The run's id once the run exists (with a server: once the server created it); kept after ``close()``.
    public var runID: String? {
        let (run, report) = state.withLock { ($0.run, $0.report) }
        return run?.runID ?? report?.runID
    }

    /// What ``close()`` could not send to the server (`nil` before closing and offline).
    public var uploadReport: MLflowUploadReport? {
        state.withLock { $0.report }
    }

    /// For the offline store: the commands that view the run in MLflow's UI and migrate the store into a
    /// SQLite database (MLflow 3 reads file stores only with `MLFLOW_ALLOW_FILE_STORE=true`); empty otherwise.
    public var offlineCommands: [String] {
        guard case .fileStore(let root) = store else { return [] }
        let parent = (root as NSString).deletingLastPathComponent
        return [
            "MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri \(_MLflowFileStore.fileURI(root))",
            "mlflow migrate-filestore --source \(parent) --target sqlite:///\(parent)/mlflow.db",
        ]
    }

    public func addConfig(_ config: Config) throws {
        let run = try openRun()
        let params = try _MLflowValues.params(of: config, trackedKeys: trackedConfigKeys)
        state.withLock { $0.config = config }
        try run.logParams(params)
        try run.logArtifact(Array(try config.dumped().utf8), path: "config." + config.sourceFormat.fileExtension)
    }

    public func addImage(name: String, image: Image, step: Int) throws {
        let run = try openRun()
        let path = SaveDirPath.fileExtension(name).isEmpty ? name + ".png" : name
        try run.logImage(image, path: path)
    }

    public func addScalar(name: String, value: ScalarValue, step: Int) throws {
        try openRun().logMetric(name, value: value.doubleValue, step: step)
    }

    public func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws {
        guard scalars["step"] == nil else {
            throw VisBackendError.invalidArgument(
                argument: "scalars", expected: "no `step` key (pass the step as the `step` argument)",
                actual: "a dictionary with a `step` key")
        }
        try openRun().logMetrics(scalars, step: step)
    }

    /// Returns once everything added before is on disk (store or spool) and nudges the uploader.
    public func flush() {
        state.withLock { $0.run }?.flush()
    }

    /// Uploads the `work_dir` files with the artifact suffixes, then ends the run as `FINISHED`.
    public func close() {
        close(status: .finished)
    }

    /// Uploads the `work_dir` files with the artifact suffixes, then ends the run with `status`. With a server it
    /// waits up to the retry policy's `closeTimeout`, then reports what was not sent (``uploadReport``).
    /// Idempotent; a backend that never opened does nothing.
    public func close(status: MLflowRunStatus) {
        let (wasClosed, run, config) = state.withLock { state in
            defer { state.isClosed = true }
            return (state.isClosed, state.run, state.config)
        }
        guard !wasClosed, let run else { return }
        if let workDir = config?["work_dir"]?.stringValue { uploadWorkDirFiles(workDir, to: run) }
        let report = run.finish(status: status)
        state.withLock { $0.report = report }
        if let report, report.isComplete {
            logger.notice("MLflow run \(report.runID ?? "?") is on \(report.trackingURI)")
        }
        if let directory = run.runDirectory {
            let commands = offlineCommands
            logger.notice(
                "MLflow offline run saved in \(directory); view it with `\(commands[0])`; migrate it with `\(commands[1])`")
        }
    }

    // MARK: - Internals

    private func openRun() throws -> MLflowRun {
        try state.withLock { state in
            guard !state.isClosed else { throw VisBackendError.closed(backend: "MLflowVisBackend") }
            if let run = state.run { return run }
            let run = try MLflowRun(
                store: store, experimentName: expName, runName: runName, artifactLocation: artifactLocation,
                saveDir: saveDir ?? ".", policy: retryPolicy, environment: environment,
                pngCompressionLevel: pngCompressionLevel, logger: logger, errorHandler: errorHandler)
            for (key, value) in tags { try run.setTag(key, value: value) }
            try run.logParams(params)
            state.run = run
            return run
        }
    }

    /// MMEngine's close step: every file under `workDir` (recursively) whose name ends in an artifact suffix,
    /// stored under its relative folder. The backend's own spool and store are left out.
    private func uploadWorkDirFiles(_ workDir: String, to run: MLflowRun) {
        let root = URL(fileURLWithPath: workDir).standardizedFileURL.path
        var excluded = [run.storeDirectory, run.spoolDirectory.map { ($0 as NSString).deletingLastPathComponent }]
            .compactMap { $0 }
        excluded = excluded.map { URL(fileURLWithPath: $0).standardizedFileURL.path + "/" }
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let full = root + "/" + relative
            guard !excluded.contains(where: { full.hasPrefix($0) }) else { continue }
            let name = (relative as NSString).lastPathComponent
            guard artifactSuffix.contains(where: { name.hasSuffix($0) }) else { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            files.append(relative)
        }
        for relative in files.sorted() {
            do {
                try run.logArtifact(fileAt: root + "/" + relative, path: relative)
            } catch {
                let failure = (error as? VisBackendError) ?? .io(path: relative, reason: "\(error)")
                logger.error("MLflowVisBackend: \(failure)")
                errorHandler?(failure)
            }
        }
    }

    /// Chooses the store for a tracking URI (`nil`: the offline store in `<saveDir>/mlruns`).
    static func resolveStore(_ uri: String?, saveDir: String) throws(VisBackendError) -> MLflowRun.Store {
        guard let uri else { return .fileStore(saveDir + "/mlruns") }
        let lowered = uri.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            guard let url = URL(string: uri), url.host != nil else {
                throw .invalidArgument(argument: "tracking_uri", expected: "an http(s) URL with a host", actual: uri)
            }
            return .server(url)
        }
        if (lowered.hasPrefix("file:") || !uri.contains(":")) && lowered != "databricks" {
            return .fileStore(try _MLflowFileStore.localPath(ofLocation: uri))
        }
        throw .invalidArgument(
            argument: "tracking_uri",
            expected: "an http(s):// tracking server, a file: URI or a folder (other MLflow stores need Python)",
            actual: uri)
    }
}

extension VisBackendRegistry {
    /// Registers ``MLflowVisBackend`` under its type name, built from MMEngine's options (`exp_name`,
    /// `run_name`, `tags`, `params`, `tracking_uri`, `artifact_suffix`, `tracked_config_keys`,
    /// `artifact_location`) plus this port's upload timings (`request_timeout`, `retry_initial_delay`,
    /// `retry_maximum_delay`, `close_timeout`, seconds).
    func registerMLflow() {
        register("MLflowVisBackend", requiresSaveDir: true) { arguments in
            try arguments.rejectUnknownOptions(known: [
                "exp_name", "run_name", "tags", "params", "tracking_uri", "artifact_suffix", "tracked_config_keys",
                "artifact_location", "request_timeout", "retry_initial_delay", "retry_maximum_delay", "close_timeout",
            ])
            func strings(_ key: String) throws -> [String]? {
                guard let value = arguments.options[key], !value.isNull else { return nil }
                if let text = value.stringValue { return [text] }
                let elements = value.arrayValue ?? []
                let texts = elements.compactMap(\.stringValue)
                guard value.arrayValue != nil, texts.count == elements.count else {
                    throw VisBackendError.configValue(key: key, expected: "a list of strings", actual: value.description)
                }
                return texts
            }
            func textDictionary(_ key: String) throws -> OrderedDictionary<String, String> {
                guard let value = arguments.options[key], !value.isNull else { return [:] }
                guard let entries = value.dictionaryValue else {
                    throw VisBackendError.configValue(key: key, expected: "a dictionary", actual: value.kindDescription)
                }
                return entries.mapValues(_MLflowValues.pythonString)
            }
            let defaults = MLflowRetryPolicy()
            let policy = MLflowRetryPolicy(
                requestTimeout: try arguments.double("request_timeout") ?? defaults.requestTimeout,
                initialDelay: try arguments.double("retry_initial_delay") ?? defaults.initialDelay,
                maximumDelay: try arguments.double("retry_maximum_delay") ?? defaults.maximumDelay,
                pollInterval: defaults.pollInterval,
                closeTimeout: try arguments.double("close_timeout") ?? defaults.closeTimeout)
            return try MLflowVisBackend(
                saveDir: arguments.requiredSaveDir(), expName: arguments.string("exp_name"),
                runName: arguments.string("run_name"), tags: textDictionary("tags"), params: textDictionary("params"),
                trackingURI: arguments.string("tracking_uri"),
                artifactSuffix: try strings("artifact_suffix") ?? [".json", ".log", ".py", "yaml"],
                trackedConfigKeys: try strings("tracked_config_keys"),
                artifactLocation: arguments.string("artifact_location"), retryPolicy: policy,
                logger: arguments.logger, errorHandler: arguments.errorHandler)
        }
    }
}
