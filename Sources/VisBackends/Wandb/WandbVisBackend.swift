import Foundation
import Logging
import OrderedCollections
import VisCore

/// Stores a visualizer's data as a Weights & Biases run, written natively as an offline run directory that
/// `wandb sync` uploads: the counterpart of MMEngine's `WandbVisBackend`, with no Python and no network.
///
/// The first `add*` call (or ``experiment``) starts a ``WandbRun`` in `<saveDir>/wandb/offline-run-<time>-<id>/`
/// (MMEngine passes `save_dir` as wandb's `dir`). Then, as in MMEngine:
/// - ``addScalar(name:value:step:)``, ``addScalars(_:step:filePath:)`` and ``addImage(name:image:step:)`` log
///   `{name: value}` / the whole dictionary / `{name: image}` to the history. With `commit: true` (the default)
///   every call is its own row and the `step` argument is ignored, exactly as MMEngine does (W&B numbers the
///   rows in `_step`). With `commit: false`, calls with the same `step` accumulate into one row, which is
///   written when a call arrives with another step (or on close); MMEngine would instead keep one row open
///   until the run ends, keeping only the last value of each key. `filePath` is ignored.
/// - ``addConfig(_:)`` updates the run config (nested dictionaries become JSON values); a key that already holds
///   another value throws unless `allowValueChange` is set. MMEngine's code artifact (`log_code`) is not written.
/// - ``VisBackend/addGraph(_:)`` does nothing: `wandb.watch` needs a live PyTorch model.
/// - `defineMetrics` are MMEngine's `define_metric_cfg` (see
///   ``WandbMetricDefinition/definitions(fromMMEngineConfig:)``).
/// - ``close()`` finishes the run (exit code 0). Then, with `syncOnClose`, it runs `wandb sync <run dir>` when the
///   `wandb` command is found (on `PATH`, or `wandbExecutable`) and waits for it; otherwise, or without
///   `syncOnClose`, it logs the exact `wandb sync` command to run (``syncCommand``).
///
/// ```swift
/// let wandb = try WandbVisBackend(saveDir: "work_dirs/exp", project: "detection", name: "retinanet-r50",
///                                 config: ["lr": 0.01], tags: ["baseline"])
/// try wandb.addScalars(["loss": 0.25, "lr": 0.01], step: 100)
/// wandb.close()   // logs: wandb sync work_dirs/exp/wandb/offline-run-20261125_141811-86zsmxw4
/// ```
public final class WandbVisBackend: VisBackend, Sendable {
    /// The directory wandb's `dir` points at; runs go to `<saveDir>/wandb/`.
    public let saveDir: String?
    /// The `wandb.init` arguments.
    public let options: WandbRunOptions
    /// The metric definitions applied when the run starts.
    public let defineMetrics: [WandbMetricDefinition]
    /// Whether every call is its own history row (MMEngine's `commit`).
    public let commit: Bool
    /// Whether ``close()`` runs `wandb sync` on the run.
    public let syncOnClose: Bool
    /// The `wandb` command used by `syncOnClose`; `nil` looks it up on `PATH` at close.
    public let wandbExecutable: String?

    private let flushInterval: Double
    private let clock: (@Sendable () -> Double)?
    private let logger: Logger
    private let errorHandler: VisBackendErrorHandler?
    private struct State {
        var run: WandbRun?
        var isClosed = false
    }
    private let state = LockedValue(State())

    /// Describes a W&B backend; nothing is created until the first `add*` call.
    ///
    /// - Parameters:
    ///   - saveDir: The parent of the `wandb/` directory (MMEngine's `save_dir`).
    ///   - project: `wandb.init`'s `project`.
    ///   - entity: `wandb.init`'s `entity` (team or user).
    ///   - name: `wandb.init`'s `name`, the run's display name.
    ///   - group: `wandb.init`'s `group`.
    ///   - jobType: `wandb.init`'s `job_type`.
    ///   - notes: `wandb.init`'s `notes`.
    ///   - tags: `wandb.init`'s `tags`.
    ///   - config: `wandb.init`'s `config`, the run's initial config.
    ///   - id: `wandb.init`'s `id`; default: a new random run id.
    ///   - allowValueChange: Whether ``addConfig(_:)`` may change values already in the config.
    ///   - defineMetrics: `define_metric` calls made when the run starts.
    ///   - commit: MMEngine's `commit` (see the type's documentation).
    ///   - syncOnClose: Run `wandb sync` on the run directory in ``close()``.
    ///   - wandbExecutable: The `wandb` command for `syncOnClose`; default: found on `PATH`.
    ///   - flushInterval: Seconds records may wait in memory (default 5; see ``WandbRun``).
    ///   - clock: The time source (seconds since 1970), injectable for tests.
    ///   - logger: Receives the sync command and failures.
    ///   - errorHandler: Receives failures that happen on the writer thread.
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for an invalid run id, tag, metric
    ///   definition or interval.
    public init(
        saveDir: String, project: String? = nil, entity: String? = nil, name: String? = nil,
        config: Config = Config([:]),
        tags: [String] = [], group: String? = nil, jobType: String? = nil, notes: String? = nil, id: String? = nil,
        allowValueChange: Bool = false, defineMetrics: [WandbMetricDefinition] = [], commit: Bool = true,
        syncOnClose: Bool = false, wandbExecutable: String? = nil, flushInterval: Double = 5,
        clock: (@Sendable () -> Double)? = nil, logger: Logger? = nil, errorHandler: VisBackendErrorHandler? = nil
    ) throws(VisBackendError) {
        guard flushInterval.isFinite else {
            throw .invalidArgument(
                argument: "flushInterval", expected: "a finite number of seconds", actual: "\(flushInterval)")
        }
        if let id { try WandbRun.validateRunID(id) }
        for definition in defineMetrics { try definition.validate() }
        self.saveDir = saveDir
        self.options = WandbRunOptions(
            project: project, entity: entity, name: name, group: group, jobType: jobType, notes: notes, tags: tags,
            config: config, id: id, allowValueChange: allowValueChange)
        self.defineMetrics = defineMetrics
        self.commit = commit
        self.syncOnClose = syncOnClose
        self.wandbExecutable = wandbExecutable
        self.flushInterval = flushInterval
        self.clock = clock
        self.logger = logger ?? Logger(label: "VisBackends.WandbVisBackend")
        self.errorHandler = errorHandler
    }

    deinit {
        close()
    }

    /// The ``WandbRun`` (starting it on first access).
    public var experiment: Any {
        get throws { try openRun() }
    }

    /// The run directory once the run has started.
    public var runDirectory: String? {
        state.withLock { $0.run?.directory }
    }

    /// The `wandb sync` command for the run once it has started.
    public var syncCommand: String? {
        state.withLock { $0.run?.syncCommand }
    }

    public func addConfig(_ config: Config) throws {
        try openRun().updateConfig(config.values)
    }

    public func addImage(name: String, image: Image, step: Int) throws {
        try log([name: .image(image)], step: step)
    }

    public func addScalar(name: String, value: ScalarValue, step: Int) throws {
        try log([name: WandbValue(value)], step: step)
    }

    public func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws {
        var row = WandbRow(minimumCapacity: scalars.count)
        for (key, value) in scalars { row[key] = WandbValue(value) }
        try log(row, step: step)
    }

    /// Returns once every written row is in the operating system. With `commit: false` the row of the latest
    /// step stays open (it may still grow) until a call with another step or ``close()``.
    public func flush() {
        state.withLock { $0.run }?.flush()
    }

    /// Finishes the run with exit code 0, then syncs it or logs the `wandb sync` command. A backend that never
    /// started a run does nothing. Idempotent.
    public func close() {
        let (wasClosed, run) = state.withLock { state in
            defer { state.isClosed = true }
            return (state.isClosed, state.run)
        }
        guard !wasClosed, let run else { return }
        run.finish()
        guard syncOnClose else {
            logger.notice("W&B offline run saved; upload it with: \(run.syncCommand)")
            return
        }
        guard let executable = wandbExecutable ?? WandbSync.findExecutable() else {
            logger.notice("`wandb` was not found on PATH; upload the run with: \(run.syncCommand)")
            return
        }
        do {
            let status = try WandbSync.run(executable: executable, directory: run.directory)
            if status == 0 {
                logger.info("W&B run synced: \(run.directory)")
            } else {
                report(
                    .io(
                        path: run.directory,
                        reason:
                            "`\(WandbSync.command(for: run.directory, executable: executable))` exited with status \(status)"
                    ))
            }
        } catch {
            report(error)
        }
    }

    // MARK: - Internals

    private func log(_ row: WandbRow, step: Int) throws {
        let run = try openRun()
        if commit {
            try run.log(row)
        } else {
            try run.logAccumulating(row, groupStep: step)
        }
    }

    private func openRun() throws(VisBackendError) -> WandbRun {
        try state.withLock { state throws(VisBackendError) in
            guard !state.isClosed else { throw .closed(backend: "WandbVisBackend") }
            if let run = state.run { return run }
            let run = try WandbRun(
                saveDir: saveDir ?? ".", options: options, flushInterval: flushInterval, clock: clock, logger: logger,
                errorHandler: errorHandler)
            for definition in defineMetrics { try run.defineMetric(definition) }
            state.run = run
            return run
        }
    }

    private func report(_ error: VisBackendError) {
        logger.error("WandbVisBackend: \(error)")
        errorHandler?(error)
    }
}

extension WandbVisBackend: _SharedPNGConsumer {
    /// Its images are PNG files made by the fast encoder.
    var _sharedPNGCompression: PNGCompression { .fast }
}
