import Foundation
import Logging
import OrderedCollections
import VisCore

/// The `wandb.init` arguments of a ``WandbRun``: who the run belongs to and what it is called.
public struct WandbRunOptions: Sendable, Hashable {
    /// The W&B project; `nil` uses the project given to `wandb sync -p` or W&B's default.
    public var project: String?
    /// The W&B entity (user or team); `nil` uses the syncing account's default.
    public var entity: String?
    /// The run's display name.
    public var name: String?
    /// The run group.
    public var group: String?
    /// The job type.
    public var jobType: String?
    /// Notes shown with the run.
    public var notes: String?
    /// Tags.
    public var tags: [String]
    /// The initial run config.
    public var config: Config
    /// The run id; `nil` generates 8 characters of `[a-z0-9]`.
    public var id: String?
    /// Whether ``WandbRun/updateConfig(_:)`` may change a key's value (wandb's `allow_val_change`).
    public var allowValueChange: Bool

    /// Creates options; every argument is optional.
    public init(
        project: String? = nil, entity: String? = nil, name: String? = nil, group: String? = nil,
        jobType: String? = nil, notes: String? = nil, tags: [String] = [], config: Config = Config([:]),
        id: String? = nil, allowValueChange: Bool = false
    ) {
        self.project = project
        self.entity = entity
        self.name = name
        self.group = group
        self.jobType = jobType
        self.notes = notes
        self.tags = tags
        self.config = config
        self.id = id
        self.allowValueChange = allowValueChange
    }
}

/// A W&B run written natively as an offline run directory: the Swift counterpart of the object `wandb.init`
/// returns in offline mode, and the ``WandbVisBackend/experiment`` of ``WandbVisBackend``.
///
/// Creating a run makes `<saveDir>/wandb/offline-run-<YYYYMMDD_HHMMSS>-<id>/` holding the transaction log
/// `run-<id>.wandb` (header and run records first) and `files/` for media. Upload it with `wandb sync <dir>`
/// (``syncCommand``); `wandb leet inspect <dir>` shows it offline.
///
/// - **History.** ``log(_:step:commit:)`` follows `wandb.log`: values accumulate in the open row of the current
///   step; the row is written (with `_step`, `_runtime` and `_timestamp`) when a call commits it. Each row is
///   preceded by a summary update: the last value of every key, or the aggregations a ``defineMetric(_:)``
///   asks for.
/// - **Fast calls.** A call encodes its records under a lock and returns; a ``BackgroundWriter`` thread frames
///   them into 32 KiB blocks and appends them to the file, and encodes images as PNG. Records reach the file at
///   least every `flushInterval` seconds, on ``flush()`` and on ``finish(exitCode:)``, always as whole records,
///   so a killed process leaves a valid log (`wandb sync` uploads it as a failed run). The open, uncommitted row
///   is written only when it is committed.
/// - **Finishing.** ``finish(exitCode:)`` commits the open row and writes the exit record; after it, every call
///   throws ``VisBackendError/closed(backend:)``. A run released without `finish` finishes with exit code 0, as
///   wandb's exit hook does.
///
/// All methods are thread-safe; calls made by one thread are stored in order.
public final class WandbRun: @unchecked Sendable {
    /// The run id.
    public let id: String
    /// The run directory (`…/wandb/offline-run-<time>-<id>`).
    public let directory: String
    /// The transaction log (`<directory>/run-<id>.wandb`).
    public let logPath: String
    /// The directory that sync uploads files from (`<directory>/files`).
    public let filesDirectory: String
    /// The options the run was started with.
    public let options: WandbRunOptions
    /// The start time, in seconds since 1970.
    public let startTime: Double
    /// The longest time, in seconds, a written record waits in memory before it goes to the file.
    public let flushInterval: Double

    private let clock: @Sendable () -> Double
    private let logger: Logger
    private let host: String
    private let background: BackgroundWriter
    private let sink: _WandbLogSink
    private let lock = NSLock()
    // Guarded by `lock`:
    private var pending = ProtobufWriter(capacity: WandbRun.bufferLimit)
    private var pendingEnds: [Int] = []
    private var nextNumber: Int64 = 1
    private var currentStep: Int64 = 0
    private var openRow = OrderedDictionary<String, _WandbRowValue>()
    private var config: OrderedDictionary<String, ConfigValue>
    private var currentTags: [String]
    private var metrics: [WandbMetricDefinition] = []
    private var aggregates: [String: _WandbAggregate] = [:]
    private var lastStepMetricValues: [String: String] = [:]
    private var accumulationStep: Int?
    private var finished = false
    private var timer: PeriodicTask?

    /// Encoded records that trigger a hand-over to the writer thread without waiting for the timer.
    static let bufferLimit = 1 << 17
    /// The keys W&B fills in itself; logging them would corrupt the history.
    static let reservedKeys: Set<String> = ["_step", "_runtime", "_timestamp"]
    /// The producer named in the header record.
    public static let producer = "swift-visualization-\(VisualizationVersion.string)"

    /// Starts a run: creates its directory and log, and writes the header and run records.
    ///
    /// - Parameters:
    ///   - saveDir: The parent directory (wandb's `dir`); the run goes to `<saveDir>/wandb/offline-run-…`.
    ///   - options: Project, name, tags, config and the other `wandb.init` arguments.
    ///   - flushInterval: Seconds between periodic flushes (default 5); `0` or less hands every record to the
    ///     writer thread at once.
    ///   - maximumPendingBytes: Memory the queue may hold before callers wait (default 64 MiB).
    ///   - clock: The time source (seconds since 1970), injectable for tests.
    ///   - logger: Receives warnings (a step that goes back) and background write failures.
    ///   - errorHandler: Also receives the failures, on the writer thread. It must not call this run.
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for a bad run id, tag or
    ///   interval; ``VisBackendError/io(path:reason:)`` when the directories cannot be created.
    public init(
        saveDir: String, options: WandbRunOptions = WandbRunOptions(), flushInterval: Double = 5,
        maximumPendingBytes: Int = 64 << 20, clock: (@Sendable () -> Double)? = nil, logger: Logger? = nil,
        errorHandler: VisBackendErrorHandler? = nil
    ) throws(VisBackendError) {
        guard flushInterval.isFinite else {
            throw .invalidArgument(
                argument: "flushInterval", expected: "a finite number of seconds", actual: "\(flushInterval)")
        }
        if let id = options.id { try Self.validateRunID(id) }
        for tag in options.tags where tag.isEmpty || tag.utf8.count > 64 {
            throw .invalidArgument(argument: "tags", expected: "tags of 1 to 64 bytes", actual: tag.debugDescription)
        }
        let clock = clock ?? { Date().timeIntervalSince1970 }
        let startTime = clock()
        let (directory, id) = try _WandbRunDirectory.create(
            in: (saveDir as NSString).appendingPathComponent("wandb"), startTime: startTime, id: options.id)
        self.id = id
        self.directory = directory
        self.logPath = (directory as NSString).appendingPathComponent("run-\(id).wandb")
        self.filesDirectory = (directory as NSString).appendingPathComponent("files")
        self.options = options
        self.startTime = startTime
        self.flushInterval = flushInterval
        self.clock = clock
        self.logger = logger ?? Logger(label: "VisBackends.WandbRun")
        self.host = _WandbRunDirectory.hostName()
        self.config = options.config.values
        self.currentTags = Self.uniqued(options.tags)
        // A new log would lack the header and block framing the rest of the stream assumes.
        self.sink = _WandbLogSink(file: AppendFile(path: logPath, reopensWhenRemoved: false))
        self.background = BackgroundWriter(
            label: "WandbRun(\(directory))", maximumPendingBytes: maximumPendingBytes, logger: logger,
            errorHandler: errorHandler)
        lock.lock()
        defer { lock.unlock() }
        appendLocked(.header(WandbHeaderRecord(producer: Self.producer)))
        appendLocked(.run(runRecordLocked()))
        handOverLocked()
        if flushInterval > 0 { startTimerLocked() }
    }

    deinit {
        finish()
    }

    /// The step of the open row: the `_step` the next committed row gets.
    public var step: Int {
        lock.lock()
        defer { lock.unlock() }
        return Int(currentStep)
    }

    /// The run's tags.
    public var tags: [String] {
        lock.lock()
        defer { lock.unlock() }
        return currentTags
    }

    /// Whether ``finish(exitCode:)`` has been called.
    public var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// The command that uploads this run: `wandb sync <directory>`, quoted for a POSIX shell.
    public var syncCommand: String { WandbSync.command(for: directory) }

    // MARK: - Logging

    /// Logs values to the history, as `wandb.log(data, step=step, commit=commit)` does.
    ///
    /// - Without `step`, the values go into the open row, which is committed unless `commit` is `false`.
    /// - With a `step` greater than the current one, the open row is committed first and the values start the
    ///   row of `step`; it stays open unless `commit` is `true`. A `step` smaller than the current one is
    ///   ignored with a warning (W&B steps only increase).
    ///
    /// A key logged twice into one open row keeps its last value. Images are encoded as PNG off the caller's
    /// thread and written to `files/media/images/<key>_<step>_<sha256[:20]>.png`.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for an empty or reserved key
    ///   (`_step`, `_runtime`, `_timestamp`) or a step of `Int.max`,
    ///   ``VisBackendError/pathEscapesSaveDir(argument:path:)`` for an image key that is absolute or has `..`
    ///   (`a//b` is written as `a/b`), ``VisBackendError/invalidArgument(argument:expected:actual:)`` for one
    ///   ending in `/`,
    ///   ``VisBackendError/closed(backend:)`` after ``finish(exitCode:)``.
    ///   Nothing is logged when a call throws.
    public func log(_ values: WandbRow, step: Int? = nil, commit: Bool? = nil) throws(VisBackendError) {
        try Self.validate(values)
        if let step, step == Int.max {
            throw .invalidArgument(argument: "step", expected: "a step below Int.max", actual: String(step))
        }
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        if let step {
            let requested = Int64(step)
            if requested < currentStep {
                logger.warning(
                    "WandbRun \(id): tried to log to step \(step), which is less than the current step \(currentStep); steps must increase, so this data is ignored"
                )
                return
            }
            if requested > currentStep {
                commitRowLocked()
                currentStep = requested
            }
        }
        try mergeLocked(values)
        let commits = commit ?? (step == nil)
        if commits { commitRowLocked() }
    }

    /// Writes the open row (if it holds values) and moves to the next step.
    public func commit() throws(VisBackendError) {
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        commitRowLocked()
    }

    /// MMEngine's `commit=False` mode, made useful: values logged with the same `groupStep` share one row; a
    /// call with a different `groupStep` commits the open row first. `_step` still counts rows.
    func logAccumulating(_ values: WandbRow, groupStep: Int) throws(VisBackendError) {
        try Self.validate(values)
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        if let last = accumulationStep, last != groupStep { commitRowLocked() }
        accumulationStep = groupStep
        try mergeLocked(values)
    }

    // MARK: - Summary, config, tags, metrics

    /// Sets summary values (`run.summary[key] = value`); later history rows overwrite keys they log.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for an empty key,
    ///   ``VisBackendError/closed(backend:)`` after ``finish(exitCode:)``.
    public func updateSummary(_ values: OrderedDictionary<String, ConfigValue>) throws(VisBackendError) {
        try Self.validateKeys(values.keys, argument: "summary")
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        appendLocked(
            .summary(WandbItemsRecord(update: values.map { WandbItem(key: $0.key, valueJSON: $0.value.description) })))
    }

    /// Removes keys from the summary.
    ///
    /// - Throws: ``VisBackendError/closed(backend:)`` after ``finish(exitCode:)``.
    public func removeSummary(_ keys: [String]) throws(VisBackendError) {
        try Self.validateKeys(keys, argument: "summary")
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        appendLocked(.summary(WandbItemsRecord(update: [], remove: keys.map { WandbItem(key: $0, valueJSON: "") })))
    }

    /// Adds config entries (`run.config.update(values)`); nested dictionaries are stored as JSON values.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` when a key already holds a different
    ///   value and the run's options do not allow value changes (wandb's `allow_val_change`);
    ///   ``VisBackendError/closed(backend:)`` after ``finish(exitCode:)``.
    public func updateConfig(_ values: OrderedDictionary<String, ConfigValue>) throws(VisBackendError) {
        try Self.validateKeys(values.keys, argument: "config")
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        if !options.allowValueChange {
            for (key, value) in values {
                if let old = config[key], old != value {
                    throw .configValue(
                        key: key, expected: "its current value \(old) (pass allowValueChange to change config values)",
                        actual: value.description)
                }
            }
        }
        var changed: [WandbItem] = []
        for (key, value) in values where config[key] != value {
            config[key] = value
            changed.append(WandbItem(key: key, valueJSON: value.description))
        }
        if !changed.isEmpty { appendLocked(.config(WandbItemsRecord(update: changed))) }
    }

    /// Adds tags (`run.tags += tags`); tags the run already has are skipped.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for an empty tag or one longer
    ///   than 64 bytes (W&B's limit), ``VisBackendError/closed(backend:)`` after ``finish(exitCode:)``.
    public func addTags(_ tags: [String]) throws(VisBackendError) {
        for tag in tags where tag.isEmpty || tag.utf8.count > 64 {
            throw .invalidArgument(argument: "tags", expected: "tags of 1 to 64 bytes", actual: tag.debugDescription)
        }
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        let merged = Self.uniqued(currentTags + tags)
        guard merged != currentTags else { return }
        currentTags = merged
        // A later run record updates the run; the SDK sends the whole record again.
        appendLocked(.run(runRecordLocked()))
    }

    /// Defines how a metric is summarised and plotted (`run.define_metric`). Affects rows committed afterwards.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` from
    ///   ``WandbMetricDefinition/validate()``, ``VisBackendError/closed(backend:)`` after ``finish(exitCode:)``.
    public func defineMetric(_ definition: WandbMetricDefinition) throws(VisBackendError) {
        try definition.validate()
        lock.lock()
        defer { lock.unlock() }
        try checkOpenLocked()
        metrics.removeAll { $0.name == definition.name }
        metrics.append(definition)
        appendLocked(.metric(definition.record))
    }

    // MARK: - Flush and finish

    /// Returns once every record written before the call is in the operating system. The open row is not a
    /// record yet; call ``commit()`` first to include it.
    public func flush() {
        lock.lock()
        if !finished { handOverLocked() }
        lock.unlock()
        background.flush()
    }

    /// Commits the open row, writes the run time and the exit record, and closes the log. Idempotent.
    ///
    /// - Parameter exitCode: 0 marks the run finished; anything else (1 from an error handler) marks it failed.
    public func finish(exitCode: Int32 = 0) {
        lock.lock()
        if !finished {
            commitRowLocked()
            let elapsed = clock() - startTime
            // Whole seconds, as the SDK records them; a clock that returns nonsense gives 0, never a trap.
            let runtime = elapsed.isFinite ? Int32(max(0, min(elapsed, Double(Int32.max))).rounded(.down)) : 0
            appendLocked(
                .summary(
                    WandbItemsRecord(update: [WandbItem(nestedKey: ["_wandb", "runtime"], valueJSON: String(runtime))]))
            )
            appendLocked(.exit(WandbExitRecord(exitCode: exitCode, runtime: runtime)))
            handOverLocked()
            finished = true
            timer?.cancel()
            timer = nil
        }
        lock.unlock()
        let sink = self.sink
        try? background.submit(cost: 0) { sink.close() }
        background.close()
    }

    // MARK: - Internals (called with `lock` held)

    private func checkOpenLocked() throws(VisBackendError) {
        if finished { throw .closed(backend: "WandbRun(\(id))") }
    }

    private func runRecordLocked() -> WandbRunRecord {
        var record = WandbRunRecord(runID: id)
        record.entity = options.entity ?? ""
        record.project = options.project ?? ""
        record.config =
            [WandbItem(key: "_wandb", valueJSON: "{}")]
            + config.map { WandbItem(key: $0.key, valueJSON: $0.value.description) }
        record.group = options.group ?? ""
        record.jobType = options.jobType ?? ""
        record.displayName = options.name ?? ""
        record.notes = options.notes ?? ""
        record.tags = currentTags
        record.host = host
        record.startTime = startTime
        return record
    }

    private func mergeLocked(_ values: WandbRow) throws(VisBackendError) {
        for (key, value) in values {
            switch value {
            case .value(let json):
                openRow[key] = .json(Self.jsonText(json))
            case .image(let image, let caption):
                // Validated before anything was logged; the fallback is never taken.
                let mediaKey = (try? _WandbRunDirectory.mediaPath(ofKey: key)) ?? key
                let slot = _WandbImageSlot(
                    key: mediaKey, step: currentStep, caption: caption, width: image.width, height: image.height)
                openRow[key] = .image(slot)
                let filesDirectory = self.filesDirectory
                do {
                    try background.submit(cost: image.pixels.count) {
                        try slot.encode(image, filesDirectory: filesDirectory)
                    }
                } catch {
                    throw .closed(backend: "WandbRun(\(id))")
                }
            }
        }
    }

    /// Writes the open row as a summary update and a history record, then advances the step.
    private func commitRowLocked() {
        guard !openRow.isEmpty else { return }
        let now = clock()
        let system: [(String, String)] = [
            ("_step", String(currentStep)), ("_runtime", JSONText.number(now - startTime)),
            ("_timestamp", JSONText.number(now)),
        ]
        addStepSyncLocked()
        let row = openRow
        let summaryPlan = summaryPlanLocked(row)
        openRow.removeAll(keepingCapacity: true)
        let step = currentStep
        currentStep += 1
        let hasImages = row.values.contains { if case .image = $0 { return true } else { return false } }
        if !hasImages {
            for content in Self.rowContents(row, summary: summaryPlan, system: system, step: step) {
                appendLocked(content)
            }
            return
        }
        // The image values (hash, size) exist only after the writer thread encoded them, so this row's records
        // are built there, after the encoding jobs that were queued before it.
        handOverLocked()
        let firstNumber = nextNumber
        nextNumber += 3
        let sink = self.sink
        let cost = row.keys.reduce(256) { $0 + $1.utf8.count * 2 }
        try? background.submit(cost: cost) {
            let files = row.values.compactMap { value -> WandbFileItem? in
                guard case .image(let slot) = value, let result = slot.result else { return nil }
                return WandbFileItem(path: result.path)
            }
            var contents = Self.rowContents(row, summary: summaryPlan, system: system, step: step)
            if !files.isEmpty { contents.insert(.files(files), at: 0) }
            var buffer = ProtobufWriter()
            var ends: [Int] = []
            for (offset, content) in contents.enumerated() {
                WandbRecord(number: firstNumber + Int64(offset), content: content)._encode(into: &buffer)
                ends.append(buffer.bytes.count)
            }
            try sink.write(buffer.bytes, ends: ends)
        }
    }

    /// The summary update and history record of a committed row. Values without JSON text (an image whose
    /// encoding failed) are left out.
    private static func rowContents(
        _ row: OrderedDictionary<String, _WandbRowValue>, summary: _WandbSummaryPlan, system: [(String, String)],
        step: Int64
    ) -> [WandbRecord.Content] {
        let values = row.compactMap { entry in entry.value.jsonText.map { (entry.key, $0) } }
        return [
            .summary(WandbItemsRecord(update: items(summary.resolved(), system))),
            .history(WandbHistoryRecord(items: items(values, system), step: step)),
        ]
    }

    /// Adds the last value of a step metric to a row that logs a metric plotted against it but not the step
    /// metric itself (W&B's `step_sync`), and remembers step metric values.
    private func addStepSyncLocked() {
        guard !metrics.isEmpty else { return }
        for key in openRow.keys {
            guard let definition = metrics.last(where: { $0.matches(key) }), let stepMetric = definition.stepMetric,
                definition.stepSync, openRow[stepMetric] == nil, let last = lastStepMetricValues[stepMetric]
            else { continue }
            openRow[stepMetric] = .json(last)
        }
        for definition in metrics {
            guard let stepMetric = definition.stepMetric, case .json(let text)? = openRow[stepMetric] else { continue }
            lastStepMetricValues[stepMetric] = text
        }
    }

    /// The summary entries of a row: each key's last value, or the aggregations its metric definition asks for.
    private func summaryPlanLocked(_ row: OrderedDictionary<String, _WandbRowValue>) -> _WandbSummaryPlan {
        var plan = _WandbSummaryPlan()
        for (key, value) in row {
            let definition = metrics.last { $0.matches(key) }
            let kinds = definition?.summary ?? []
            if kinds.contains(.none) { continue }
            guard !kinds.isEmpty, case .json(let text) = value else {
                plan.entries.append((key, value))
                continue
            }
            var aggregate = aggregates[key] ?? _WandbAggregate()
            aggregate.add(text)
            aggregates[key] = aggregate
            plan.entries.append((key, .json(aggregate.summaryJSON(kinds, goal: definition?.goal ?? .unset))))
        }
        return plan
    }

    private func appendLocked(_ content: WandbRecord.Content) {
        WandbRecord(number: nextNumber, content: content)._encode(into: &pending)
        pendingEnds.append(pending.bytes.count)
        nextNumber += 1
        if flushInterval <= 0 || pending.bytes.count >= Self.bufferLimit { handOverLocked() }
    }

    /// Gives the encoded records to the writer thread, which frames and appends them with one `write(2)`.
    private func handOverLocked() {
        guard !pendingEnds.isEmpty else { return }
        let bytes = pending.bytes
        let ends = pendingEnds
        pending = ProtobufWriter(capacity: Self.bufferLimit)
        pendingEnds.removeAll(keepingCapacity: true)
        let sink = self.sink
        // Only a closed writer throws, and it is closed only after the last hand-over.
        try? background.submit(cost: bytes.count) { try sink.write(bytes, ends: ends) }
    }

    private func startTimerLocked() {
        timer = PeriodicTask(interval: flushInterval) { [weak self] in
            guard let self else { return }
            self.lock.lock()
            if !self.finished { self.handOverLocked() }
            self.lock.unlock()
        }
    }

    // MARK: - Helpers

    private static func items(_ values: [(String, String)], _ system: [(String, String)]) -> [WandbItem] {
        var items: [WandbItem] = []
        items.reserveCapacity(values.count + system.count)
        for (key, json) in values { items.append(WandbItem(key: key, valueJSON: json)) }
        for (key, json) in system { items.append(WandbItem(key: key, valueJSON: json)) }
        return items
    }

    static func jsonText(_ value: ConfigValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .double(let number): return JSONText.number(number)
        default: return value.description
        }
    }

    private static func validate(_ values: WandbRow) throws(VisBackendError) {
        try validateKeys(values.keys, argument: "key", historyKeys: true)
        for (key, value) in values {
            guard case .image = value else { continue }
            _ = try _WandbRunDirectory.mediaPath(ofKey: key)
        }
    }

    private static func validateKeys(
        _ keys: some Sequence<String>, argument: String, historyKeys: Bool = false
    ) throws(VisBackendError) {
        for key in keys {
            guard !key.isEmpty else {
                throw .invalidArgument(argument: argument, expected: "non-empty keys", actual: "\"\"")
            }
            if historyKeys && reservedKeys.contains(key) {
                throw .invalidArgument(
                    argument: argument, expected: "a key other than _step, _runtime and _timestamp (W&B fills them in)",
                    actual: key)
            }
        }
    }

    static func validateRunID(_ id: String) throws(VisBackendError) {
        let forbidden = Set("/\\#?%:")
        guard !id.isEmpty, id.utf8.count <= 64, !id.contains(where: { forbidden.contains($0) || $0.isWhitespace }),
            id != ".", id != ".."
        else {
            throw .invalidArgument(
                argument: "id", expected: "1 to 64 characters without whitespace or any of / \\ # ? % :",
                actual: id.debugDescription)
        }
    }

    private static func uniqued(_ tags: [String]) -> [String] {
        var seen: Set<String> = []
        return tags.filter { seen.insert($0).inserted }
    }
}
