import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Timings of the upload to a tracking server.
public struct MLflowRetryPolicy: Sendable, Equatable {
    /// Seconds one HTTP request may take before it counts as failed (and is retried).
    public var requestTimeout: Double
    /// The first wait after a failed request, in seconds; each further failure doubles it.
    public var initialDelay: Double
    /// The longest wait between attempts, in seconds.
    public var maximumDelay: Double
    /// How often the uploader looks for new records when idle, in seconds.
    public var pollInterval: Double
    /// How long ``MLflowRun/finish(status:)`` waits for the upload to complete, in seconds.
    public var closeTimeout: Double

    /// Creates a policy; the defaults suit a training job (a 10 s request timeout, 0.5 s doubling to 30 s
    /// between attempts, a 0.2 s poll, 30 s at close).
    public init(
        requestTimeout: Double = 10, initialDelay: Double = 0.5, maximumDelay: Double = 30, pollInterval: Double = 0.2,
        closeTimeout: Double = 30
    ) {
        self.requestTimeout = requestTimeout
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.pollInterval = pollInterval
        self.closeTimeout = closeTimeout
    }

    /// Throws when a timing is negative or not finite.
    func validate() throws(VisBackendError) {
        for (name, value) in [
            ("requestTimeout", requestTimeout), ("initialDelay", initialDelay), ("maximumDelay", maximumDelay),
            ("pollInterval", pollInterval), ("closeTimeout", closeTimeout),
        ] where !(value.isFinite && value >= 0 && value <= 86_400) {
            throw .invalidArgument(argument: name, expected: "a number of seconds in 0...86400", actual: "\(value)")
        }
    }
}

/// What an MLflow run's upload left undone when the run was closed.
public struct MLflowUploadReport: Sendable, Equatable, CustomStringConvertible {
    /// The server's URI.
    public var trackingURI: String
    /// The run's id, or `nil` when the server never created the run.
    public var runID: String?
    /// The spool folder that keeps what was not sent (`records.jsonl`, `blobs/`, `state.json`).
    public var spoolDirectory: String
    /// Metric values not sent, per key: the number of values and their first and last step.
    public var unsentMetrics: [String: (count: Int, firstStep: Int, lastStep: Int)]
    /// Param keys not sent.
    public var unsentParams: [String]
    /// Tag keys not sent.
    public var unsentTags: [String]
    /// Artifact paths not sent.
    public var unsentArtifacts: [String]
    /// The run's end status when it was not sent.
    public var unsentEnd: String?
    /// The last failure seen while sending, if any.
    public var lastError: String?

    /// Whether everything reached the server.
    public var isComplete: Bool {
        unsentMetrics.isEmpty && unsentParams.isEmpty && unsentTags.isEmpty && unsentArtifacts.isEmpty
            && unsentEnd == nil
    }

    /// The number of metric values not sent.
    public var unsentMetricCount: Int { unsentMetrics.values.reduce(0) { $0 + $1.count } }

    public static func == (lhs: MLflowUploadReport, rhs: MLflowUploadReport) -> Bool {
        lhs.description == rhs.description
    }

    public var description: String {
        guard !isComplete else { return "everything was sent to \(trackingURI) (run \(runID ?? "?"))" }
        var parts: [String] = []
        if !unsentMetrics.isEmpty {
            let keys = unsentMetrics.keys.sorted().map { key -> String in
                let entry = unsentMetrics[key] ?? (0, 0, 0)
                return "\(key) ×\(entry.count), steps \(entry.firstStep)…\(entry.lastStep)"
            }
            parts.append("\(unsentMetricCount) metric value(s) (\(keys.joined(separator: "; ")))")
        }
        if !unsentParams.isEmpty { parts.append("\(unsentParams.count) param(s) (\(unsentParams.joined(separator: ", ")))") }
        if !unsentTags.isEmpty { parts.append("\(unsentTags.count) tag(s) (\(unsentTags.joined(separator: ", ")))") }
        if !unsentArtifacts.isEmpty {
            parts.append("\(unsentArtifacts.count) artifact(s) (\(unsentArtifacts.joined(separator: ", ")))")
        }
        if let unsentEnd { parts.append("the run's end (\(unsentEnd))") }
        return "not sent to \(trackingURI)" + (runID.map { " (run \($0))" } ?? " (the run was never created)") + ": "
            + parts.joined(separator: ", ") + (lastError.map { "; last error: \($0)" } ?? "")
            + ". They are kept in \(spoolDirectory)/records.jsonl (blobs/ holds artifact bytes, state.json the run and "
            + "how much was sent); MLflowRun.resumeUpload(spoolDirectory:) sends the rest"
    }
}

/// Sends a run's spooled records to a tracking server on its own thread: creates the experiment and run,
/// then sends records in spool order (metrics, params and tags in `log-batch` requests within the server's
/// limits, artifacts through the artifact proxy, the run's end). A failure that may pass (no connection, a
/// timeout, 5xx, 429) is retried with doubling waits while the records stay in the spool; a record the server
/// refuses (4xx) is reported by name and skipped.
final class _MLflowUploader: @unchecked Sendable {
    struct RunSetup: Sendable {
        var experimentName: String
        var artifactLocation: String?
        var runName: String?
        var startTime: Int64
        var tags: [(String, String)]
    }

    let spoolDirectory: String
    let http: _MLflowHTTP
    private let setup: RunSetup
    private let policy: MLflowRetryPolicy
    private let logger: Logger
    private let errorHandler: VisBackendErrorHandler?
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var runID: String?
    private var experimentID: String?
    private var artifactURI: String?
    private var deadline: Date?
    private var nudged = false
    private var finished = false
    private var lastError: String?
    private var report: MLflowUploadReport?
    // Only touched on the uploader thread:
    private var pending: [(record: _MLflowRecord, bytes: Int)] = []
    private var readOffset = 0
    private var sentOffset = 0
    private var carry: [UInt8] = []
    private var outage = false
    private var fatal: String?

    var recordsPath: String { spoolDirectory + "/records.jsonl" }
    var blobsDirectory: String { spoolDirectory + "/blobs" }

    init(
        http: _MLflowHTTP, spoolDirectory: String, setup: RunSetup, policy: MLflowRetryPolicy, logger: Logger,
        errorHandler: VisBackendErrorHandler?
    ) {
        self.http = http
        self.spoolDirectory = spoolDirectory
        self.setup = setup
        self.policy = policy
        self.logger = logger
        self.errorHandler = errorHandler
    }

    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "VisBackends.MLflowUploader"
        thread.start()
    }

    /// The run id once the server has created the run.
    var currentRunID: String? {
        condition.lock()
        defer { condition.unlock() }
        return runID
    }

    /// Waits up to `timeout` seconds for the server to create the run.
    func waitForRunID(timeout: Double) -> String? {
        let limit = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while runID == nil && !finished && condition.wait(until: limit) {}
        return runID
    }

    /// Wakes the uploader to look for new records now.
    func nudge() {
        condition.lock()
        nudged = true
        condition.broadcast()
        condition.unlock()
    }

    /// Lets the uploader send what is spooled for up to `timeout` seconds, stops it, and returns what was not sent.
    func finish(timeout: Double) -> MLflowUploadReport {
        condition.lock()
        defer { condition.unlock() }
        if deadline == nil { deadline = Date(timeIntervalSinceNow: timeout) }
        nudged = true
        condition.broadcast()
        while !finished { condition.wait() }
        return report ?? MLflowUploadReport(
            trackingURI: http.baseURL.absoluteString, runID: runID, spoolDirectory: spoolDirectory, unsentMetrics: [:],
            unsentParams: [], unsentTags: [], unsentArtifacts: [], unsentEnd: nil, lastError: lastError)
    }

    // MARK: - The uploader thread

    private func run() {
        var delay = policy.initialDelay
        while true {
            // Look at the deadline before reading: it is set after the last records were flushed to the spool.
            condition.lock()
            let stopping = deadline != nil
            let expired = deadline.map { Date() >= $0 } ?? false
            let haveRun = runID != nil
            condition.unlock()
            readNewRecords()
            if expired { break }
            if fatal != nil {
                // Nothing more can be sent; keep collecting what is spooled so the final report lists it.
                if stopping { break }
                pause(policy.pollInterval, wakeOnNudge: true)
                continue
            }
            if !haveRun {
                if createRun() {
                    delay = policy.initialDelay
                } else if fatal == nil {
                    pause(delay)
                    delay = min(max(delay * 2, 0.001), policy.maximumDelay)
                }
                continue
            }
            if pending.isEmpty {
                if stopping { break }
                pause(policy.pollInterval, wakeOnNudge: true)
                continue
            }
            let sent = sendNext()
            if sent > 0 {
                let bytes = pending.prefix(sent).reduce(0) { $0 + $1.bytes }
                pending.removeFirst(sent)
                sentOffset += bytes
                saveState()
                delay = policy.initialDelay
            } else {
                pause(delay)
                delay = min(max(delay * 2, 0.001), policy.maximumDelay)
            }
        }
        let summary = makeReport()
        condition.lock()
        report = summary
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps `seconds`, or less when the close deadline comes first (or, with `wakeOnNudge`, new records do).
    private func pause(_ seconds: Double, wakeOnNudge: Bool = false) {
        condition.lock()
        defer { condition.unlock() }
        var limit = Date(timeIntervalSinceNow: seconds)
        if let deadline, deadline < limit { limit = deadline }
        while Date() < limit {
            if wakeOnNudge && nudged { break }
            _ = condition.wait(until: limit)
        }
        nudged = false
    }

    /// Reads complete lines appended to `records.jsonl` since the last read.
    private func readNewRecords() {
        let descriptor = open(recordsPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(readOffset)) }
            if count <= 0 { break }
            readOffset += count
            carry.append(contentsOf: buffer[0..<count])
        }
        var start = 0
        while let newline = carry[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let line = carry[start..<newline]
            let length = newline + 1 - start
            if let record = _MLflowRecord(line: Data(line)) {
                pending.append((record, length))
            } else if let last = pending.indices.last {
                // A line we cannot read is skipped with the record before it, so offsets stay exact.
                pending[last].bytes += length
            } else {
                sentOffset += length
            }
            start = newline + 1
        }
        carry.removeFirst(start)
    }

    /// Finds or creates the experiment, then creates the run. Returns whether the run exists now.
    private func createRun() -> Bool {
        var experimentID: String?
        switch http.call("GET", "experiments/get-by-name", query: [("experiment_name", setup.experimentName)]) {
        case .success(let data):
            experimentID = (Self.object(data)?["experiment"] as? [String: Any])?["experiment_id"] as? String
        case .retryable(let message):
            return failed(message)
        case .rejected(let status, _, let message) where status != 404:
            return refuse("experiment \(setup.experimentName.debugDescription)", status: status, message: message)
        case .rejected:
            break
        }
        if experimentID == nil {
            var body: [UInt8] = Array("{\"name\":".utf8)
            JSONText.appendString(setup.experimentName, to: &body)
            if let location = setup.artifactLocation {
                body += Array(",\"artifact_location\":".utf8)
                JSONText.appendString(location, to: &body)
            }
            body += Array("}".utf8)
            switch http.call("POST", "experiments/create", json: body) {
            case .success(let data):
                experimentID = Self.object(data)?["experiment_id"] as? String
            case .retryable(let message):
                return failed(message)
            case .rejected(_, "RESOURCE_ALREADY_EXISTS", _):
                return false  // created by someone else meanwhile: look it up again
            case .rejected(let status, _, let message):
                return refuse("experiment \(setup.experimentName.debugDescription)", status: status, message: message)
            }
        }
        guard let experimentID else { return failed("the server's experiment reply had no experiment_id") }
        var body: [UInt8] = Array("{\"experiment_id\":".utf8)
        JSONText.appendString(experimentID, to: &body)
        body += Array(",\"start_time\":\(setup.startTime)".utf8)
        if let runName = setup.runName {
            body += Array(",\"run_name\":".utf8)
            JSONText.appendString(runName, to: &body)
        }
        body += Array(",\"tags\":[".utf8)
        for (index, (key, value)) in setup.tags.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += Array("{\"key\":".utf8)
            JSONText.appendString(key, to: &body)
            body += Array(",\"value\":".utf8)
            JSONText.appendString(value, to: &body)
            body += Array("}".utf8)
        }
        body += Array("]}".utf8)
        switch http.call("POST", "runs/create", json: body) {
        case .success(let data):
            guard let info = (Self.object(data)?["run"] as? [String: Any])?["info"] as? [String: Any],
                let id = info["run_id"] as? String
            else { return failed("the server's runs/create reply had no run id") }
            condition.lock()
            self.runID = id
            self.experimentID = experimentID
            self.artifactURI = info["artifact_uri"] as? String
            condition.broadcast()
            condition.unlock()
            recovered()
            saveState()
            return true
        case .retryable(let message):
            return failed(message)
        case .rejected(let status, _, let message):
            return refuse("run \((setup.runName ?? "").debugDescription)", status: status, message: message)
        }
    }

    /// Sends the request that starts `pending`; returns how many records it disposed of (sent, or refused and
    /// reported), 0 when it has to be tried again.
    private func sendNext() -> Int {
        guard let runID = currentRunID, let first = pending.first?.record else { return 0 }
        switch first {
        case let .artifact(path, blob):
            return sendArtifact(path: path, blob: blob) ? 1 : 0
        case let .end(status, endTime):
            var body: [UInt8] = Array("{\"run_id\":".utf8)
            JSONText.appendString(runID, to: &body)
            body += Array(",\"status\":\"\(status)\",\"end_time\":\(endTime)}".utf8)
            return dispose(http.call("POST", "runs/update", json: body), what: "the run's end (\(status))") ? 1 : 0
        case .metric, .param, .tag:
            let count = batchLength()
            let records = pending.prefix(count).map(\.record)
            switch http.call("POST", "runs/log-batch", json: Self.batchBody(runID: runID, records)) {
            case .success:
                recovered()
                return count
            case .retryable(let message):
                _ = failed(message)
                return 0
            case .rejected:
                // One record spoils the batch: send them one by one so only the bad one is dropped.
                for (index, record) in records.enumerated() {
                    let outcome = http.call("POST", "runs/log-batch", json: Self.batchBody(runID: runID, [record]))
                    if !dispose(outcome, what: Self.name(of: record)) { return index }
                }
                return count
            }
        }
    }

    /// The number of leading pending records one `log-batch` request may carry (the server's limits: 1000
    /// metrics, 100 params, 100 tags, 1000 in all, about 1 MB; a repeated param or tag key starts a new batch).
    private func batchLength() -> Int {
        var metrics = 0, params = 0, tags = 0, bytes = 0
        var paramKeys = Set<String>(), tagKeys = Set<String>()
        var count = 0
        for (record, length) in pending {
            switch record {
            case .metric:
                guard metrics < 1000 else { return count }
                metrics += 1
            case .param(let key, _):
                guard params < 100, paramKeys.insert(key).inserted else { return count }
                params += 1
            case .tag(let key, _):
                guard tags < 100, tagKeys.insert(key).inserted else { return count }
                tags += 1
            case .artifact, .end:
                return count
            }
            bytes += length + 16
            if count > 0 && (metrics + params + tags > 1000 || bytes > 900_000) { return count }
            count += 1
        }
        return count
    }

    private func sendArtifact(path: String, blob: String) -> Bool {
        condition.lock()
        let artifactURI = self.artifactURI
        condition.unlock()
        guard let data = FileManager.default.contents(atPath: blobsDirectory + "/" + blob) else {
            reportError(
                .io(
                    path: blobsDirectory + "/" + blob,
                    reason: "artifact \(path.debugDescription) has no bytes in the spool (its encoding failed); skipped"))
            return true
        }
        guard let location = artifactURI.flatMap(Self.proxyLocation) else {
            reportError(
                .invalidArgument(
                    argument: "artifact \(path.debugDescription)",
                    expected: "a server that serves artifacts (`mlflow server` with --serve-artifacts, the default)",
                    actual: "run artifact URI \(artifactURI ?? "none")"))
            return true
        }
        let outcome = http.putArtifact(
            location: location, path: path, body: data, contentType: Self.contentType(of: path))
        let disposed = dispose(outcome, what: "artifact \(path.debugDescription)")
        if disposed { try? FileManager.default.removeItem(atPath: blobsDirectory + "/" + blob) }
        return disposed
    }

    /// Whether a request's record is done with: sent, or refused (reported by name and dropped).
    private func dispose(_ outcome: _MLflowHTTP.Outcome, what: String) -> Bool {
        switch outcome {
        case .success:
            recovered()
            return true
        case .retryable(let message):
            return failed(message)
        case let .rejected(status, code, message):
            reportError(
                .invalidArgument(
                    argument: what, expected: "a value the MLflow server accepts",
                    actual: "HTTP \(status) \(code): \(message); dropped, the rest of the run continues"))
            return true
        }
    }

    /// Notes a failure that may pass; logs it once per outage. Returns false.
    private func failed(_ message: String) -> Bool {
        condition.lock()
        lastError = message
        condition.unlock()
        if !outage {
            outage = true
            logger.warning(
                "MLflow server unreachable (\(message)); retrying with backoff, records stay in \(spoolDirectory)")
        }
        return false
    }

    private func recovered() {
        if outage {
            outage = false
            logger.notice("MLflow server reachable again at \(http.baseURL.absoluteString); sending the spooled records")
        }
    }

    /// A refusal that stops the upload (the experiment or run cannot be created). Returns false.
    private func refuse(_ what: String, status: Int, message: String) -> Bool {
        let reason = "the server refused \(what): HTTP \(status): \(message)"
        fatal = reason
        condition.lock()
        lastError = reason
        condition.unlock()
        reportError(.io(path: http.baseURL.absoluteString, reason: reason))
        return false
    }

    private func reportError(_ error: VisBackendError) {
        logger.error("MLflowVisBackend: \(error)")
        errorHandler?(error)
    }

    // MARK: - State

    /// `state.json`: the server, the run's setup, the run once created, and how many bytes of `records.jsonl`
    /// the server has, so that ``MLflowRun/resumeUpload(spoolDirectory:retryPolicy:environment:logger:)`` can
    /// finish the job in a later process.
    func saveState() {
        condition.lock()
        let (runID, experimentID, artifactURI) = (self.runID, self.experimentID, self.artifactURI)
        condition.unlock()
        var text: [UInt8] = Array("{\"tracking_uri\":".utf8)
        JSONText.appendString(http.baseURL.absoluteString, to: &text)
        let fields = [
            ("experiment_name", setup.experimentName), ("artifact_location", setup.artifactLocation),
            ("run_name", setup.runName), ("run_id", runID), ("experiment_id", experimentID),
            ("artifact_uri", artifactURI),
        ]
        for (key, value) in fields {
            text += Array(",\"\(key)\":".utf8)
            if let value { JSONText.appendString(value, to: &text) } else { text += Array("null".utf8) }
        }
        text += Array(",\"start_time\":\(setup.startTime),\"tags\":{".utf8)
        for (index, (key, value)) in setup.tags.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            JSONText.appendString(key, to: &text)
            text.append(UInt8(ascii: ":"))
            JSONText.appendString(value, to: &text)
        }
        text += Array("},\"sent_bytes\":\(sentOffset)}\n".utf8)
        do {
            try BackendFile.write(text, to: spoolDirectory + "/state.json")
        } catch {
            reportError(error)
        }
    }

    /// An uploader for a spool another process left behind, set up from its `state.json`.
    ///
    /// - Throws: ``VisBackendError/io(path:reason:)`` when the folder has no readable `state.json`.
    static func resuming(
        spoolDirectory: String, policy: MLflowRetryPolicy, environment: [String: String], logger: Logger,
        errorHandler: VisBackendErrorHandler?
    ) throws -> _MLflowUploader {
        guard let data = FileManager.default.contents(atPath: spoolDirectory + "/state.json"),
            let object = Self.object(data), let address = object["tracking_uri"] as? String,
            let url = URL(string: address), let experimentName = object["experiment_name"] as? String
        else {
            throw VisBackendError.io(
                path: spoolDirectory + "/state.json", reason: "not an MLflow spool state (missing or unreadable)")
        }
        let tags = (object["tags"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
        let setup = RunSetup(
            experimentName: experimentName, artifactLocation: object["artifact_location"] as? String,
            runName: object["run_name"] as? String,
            startTime: (object["start_time"] as? NSNumber)?.int64Value ?? _mlflowNowMilliseconds(), tags: tags)
        let uploader = _MLflowUploader(
            http: _MLflowHTTP(baseURL: url, environment: environment, timeout: policy.requestTimeout),
            spoolDirectory: spoolDirectory, setup: setup, policy: policy, logger: logger, errorHandler: errorHandler)
        uploader.loadState(object)
        return uploader
    }

    /// Takes over the run and the progress recorded in `state.json`.
    private func loadState(_ object: [String: Any]) {
        condition.lock()
        runID = object["run_id"] as? String
        experimentID = object["experiment_id"] as? String
        artifactURI = object["artifact_uri"] as? String
        condition.unlock()
        let sent = (object["sent_bytes"] as? NSNumber)?.intValue ?? 0
        readOffset = sent
        sentOffset = sent
    }

    private func makeReport() -> MLflowUploadReport {
        condition.lock()
        let (runID, lastError) = (self.runID, self.lastError)
        condition.unlock()
        var report = MLflowUploadReport(
            trackingURI: http.baseURL.absoluteString, runID: runID, spoolDirectory: spoolDirectory, unsentMetrics: [:],
            unsentParams: [], unsentTags: [], unsentArtifacts: [], unsentEnd: nil, lastError: lastError)
        for (record, _) in pending {
            switch record {
            case let .metric(key, _, _, step):
                let entry = report.unsentMetrics[key]
                report.unsentMetrics[key] = (
                    (entry?.count ?? 0) + 1, min(entry?.firstStep ?? step, step), max(entry?.lastStep ?? step, step)
                )
            case .param(let key, _): report.unsentParams.append(key)
            case .tag(let key, _): report.unsentTags.append(key)
            case .artifact(let path, _): report.unsentArtifacts.append(path)
            case .end(let status, _): report.unsentEnd = status
            }
        }
        return report
    }

    // MARK: - Helpers

    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func name(of record: _MLflowRecord) -> String {
        switch record {
        case .metric(let key, _, _, let step): return "metric \(key.debugDescription) at step \(step)"
        case .param(let key, _): return "param \(key.debugDescription)"
        case .tag(let key, _): return "tag \(key.debugDescription)"
        case .artifact(let path, _): return "artifact \(path.debugDescription)"
        case .end(let status, _): return "the run's end (\(status))"
        }
    }

    static func batchBody(runID: String, _ records: [_MLflowRecord]) -> [UInt8] {
        var metrics: [UInt8] = [], params: [UInt8] = [], tags: [UInt8] = []
        func pair(_ key: String, _ value: String, into output: inout [UInt8]) {
            output += Array((output.isEmpty ? "{\"key\":" : ",{\"key\":").utf8)
            JSONText.appendString(key, to: &output)
            output += Array(",\"value\":".utf8)
            JSONText.appendString(value, to: &output)
            output.append(UInt8(ascii: "}"))
        }
        for record in records {
            switch record {
            case let .metric(key, value, timestamp, step):
                metrics += Array((metrics.isEmpty ? "{\"key\":" : ",{\"key\":").utf8)
                JSONText.appendString(key, to: &metrics)
                metrics += Array(
                    ",\"value\":\(_MLflowRecord.jsonNumber(value)),\"timestamp\":\(timestamp),\"step\":\(step)}".utf8)
            case let .param(key, value): pair(key, value, into: &params)
            case let .tag(key, value): pair(key, value, into: &tags)
            case .artifact, .end: break
            }
        }
        var body: [UInt8] = Array("{\"run_id\":".utf8)
        JSONText.appendString(runID, to: &body)
        body += Array(",\"metrics\":[".utf8) + metrics + Array("],\"params\":[".utf8) + params
            + Array("],\"tags\":[".utf8) + tags + Array("]}".utf8)
        return body
    }

    /// The proxy path of a run's `mlflow-artifacts:` URI (`1/<run>/artifacts`); `nil` for other schemes.
    static func proxyLocation(_ artifactURI: String) -> String? {
        guard artifactURI.hasPrefix("mlflow-artifacts:") else { return nil }
        var rest = artifactURI.dropFirst("mlflow-artifacts:".count)
        if rest.hasPrefix("//") {
            // mlflow-artifacts://host:port/path: the path part.
            rest = rest.dropFirst(2)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        let location = rest.split(separator: "/").joined(separator: "/")
        return location.isEmpty ? nil : location
    }

    static func contentType(of path: String) -> String {
        switch SaveDirPath.fileExtension(path) {
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "json": return "application/json"
        case "yaml", "yml": return "application/x-yaml"
        case "py", "log", "txt", "md": return "text/plain"
        default: return "application/octet-stream"
        }
    }
}
