import Foundation
import Logging
import VisCore

/// Logs to TensorBoard: event files that `tensorboard --logdir`, `EventAccumulator` and tbparse read, written
/// natively (no Python, no protobuf library) by a ``TensorboardWriter``.
///
/// The counterpart of MMEngine's `TensorboardVisBackend(save_dir)`:
/// - Event files go straight into ``saveDirectory`` (a visualizer passes `<save_dir>/vis_data`), one new
///   `events.out.tfevents.<secs>.<host>.<pid>.<n>` file per backend. Nothing is created before the first
///   `add*` call or ``experiment`` access.
/// - ``addScalar(name:value:step:)``: a float32 scalar. ``addScalars(_:step:filePath:)``: one tag per key; a
///   `"step"` key is rejected (pass the step as `step`), `filePath` is ignored.
/// - ``addImage(name:image:step:)``: a PNG image summary (encoded off the caller's thread).
/// - ``addConfig(_:)``: the config as a markdown text summary tagged `config` (stored as `config/text_summary`)
///   at step 0. MMEngine writes Python-syntax text, which TensorBoard's markdown renderer runs together; this
///   backend writes the config's YAML or JSON dump in a fenced code block so it shows as written. With
///   `logHParams`, the config's leaves (dotted keys) also become the run's hparams row.
/// - ``VisBackend/addGraph(_:)`` stores nothing (as in MMEngine). ``experiment`` is the ``TensorboardWriter``.
public final class TensorboardVisBackend: VisBackend, Sendable {
    /// The run directory the event file is written into.
    public let saveDirectory: String
    /// Seconds between periodic flushes of the event file.
    public let flushInterval: Double
    /// Whether ``addConfig(_:)`` also writes the config's leaves as TensorBoard hparams.
    public let logHParams: Bool

    private let logger: Logger
    private let errorHandler: VisBackendErrorHandler?
    private let clock: (@Sendable () -> Double)?
    private struct State {
        var writer: TensorboardWriter?
        var isClosed = false
    }
    private let state = LockedValue(State())

    /// The type name in configs and the registry.
    public static let typeName = "TensorboardVisBackend"

    /// Creates a backend writing into `saveDir`. Nothing is created on disk until the first use.
    ///
    /// - Parameters:
    ///   - saveDir: The run directory (created with its parents when first needed).
    ///   - flushInterval: Seconds between periodic flushes (default 5): a crash loses at most this much.
    ///   - logHParams: Also write the config's leaves as hparams (TensorBoard's HPARAMS tab) in ``addConfig(_:)``.
    ///   - clock: The wall time of records (seconds since 1970); injectable for tests.
    ///   - logger: Receives write failures.
    ///   - errorHandler: Also receives them, on the writer thread.
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for an empty `saveDir` or a
    ///   non-finite interval.
    public init(
        saveDir: String, flushInterval: Double = 5, logHParams: Bool = false, clock: (@Sendable () -> Double)? = nil,
        logger: Logger? = nil, errorHandler: VisBackendErrorHandler? = nil
    ) throws {
        guard !saveDir.isEmpty, !saveDir.utf8.contains(0) else {
            throw VisBackendError.invalidArgument(
                argument: "saveDir", expected: "a directory path", actual: saveDir.debugDescription)
        }
        guard flushInterval.isFinite else {
            throw VisBackendError.invalidArgument(
                argument: "flushInterval", expected: "a finite number of seconds", actual: "\(flushInterval)")
        }
        saveDirectory = saveDir
        self.flushInterval = flushInterval
        self.logHParams = logHParams
        self.clock = clock
        self.logger = logger ?? Logger(label: "VisBackends.TensorboardVisBackend")
        self.errorHandler = errorHandler
    }

    public var saveDir: String? { saveDirectory }

    /// The ``TensorboardWriter`` (MMEngine's `SummaryWriter`). Accessing it creates the event file.
    public var experiment: Any {
        get throws { try open() }
    }

    /// Opens the backend on first use: creates the directory and the event file.
    private func open() throws -> TensorboardWriter {
        try state.withLock { state in
            guard !state.isClosed else { throw VisBackendError.closed(backend: Self.typeName) }
            if let writer = state.writer { return writer }
            do throws(TensorboardError) {
                let writer = try TensorboardWriter(
                    logDirectory: saveDirectory, flushInterval: flushInterval, clock: clock, logger: logger,
                    errorHandler: errorHandler)
                logger.debug("TensorboardVisBackend opened \(writer.filePath)")
                state.writer = writer
                return writer
            } catch {
                throw error.visBackendError
            }
        }
    }

    /// Runs `body` with the open writer, translating its errors.
    private func withWriter(_ body: (TensorboardWriter) throws(TensorboardError) -> Void) throws {
        let writer = try open()
        do {
            try body(writer)
        } catch {
            throw error.visBackendError
        }
    }

    public func addConfig(_ config: Config) throws {
        let format = config.sourceFormat
        let text = "```\(format.fileExtension)\n\(try config.dumped(as: format))\n```"
        let hparams = logHParams ? Self.hparams(from: config) : []
        try withWriter { writer throws(TensorboardError) in
            try writer.addText("config", text, step: 0)
            if logHParams { try writer.addHParams(hparams) }
        }
    }

    public func addImage(name: String, image: Image, step: Int) throws {
        try withWriter { writer throws(TensorboardError) in try writer.addImage(name, image, step: step) }
    }

    public func addScalar(name: String, value: ScalarValue, step: Int) throws {
        try withWriter { writer throws(TensorboardError) in try writer.addScalar(name, value.doubleValue, step: step) }
    }

    /// Adds each entry as its own scalar tag (MMEngine's behaviour). `filePath` is ignored.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` when the dictionary has a
    ///   `"step"` key (MMEngine asserts "Please set it directly through the step parameter"); nothing is written.
    public func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws {
        guard scalars["step"] == nil else {
            throw VisBackendError.invalidArgument(
                argument: "scalars", expected: "no \"step\" key (pass the step with the `step` parameter)",
                actual: "a \"step\" key")
        }
        try withWriter { writer throws(TensorboardError) in
            for (name, value) in scalars { try writer.addScalar(name, value.doubleValue, step: step) }
        }
    }

    public func flush() {
        state.withLock { $0.writer }?.flush()
    }

    public func close() {
        let writer = state.withLock { state in
            state.isClosed = true
            return state.writer
        }
        writer?.close()
    }

    /// The config's leaves as hparams: numbers, strings and bools keep their type; `null` leaves are skipped;
    /// arrays become their JSON text.
    static func hparams(from config: Config) -> [(name: String, value: TensorboardHParams.Value)] {
        config.flattened().compactMap { key, value in
            switch value {
            case .null: return nil
            case .bool(let flag): return (key, .bool(flag))
            case .int(let number): return (key, .number(Double(number)))
            case .double(let number): return (key, .number(number))
            case .string(let text): return (key, .string(text))
            case .array, .dictionary: return (key, .string(value.description))
            }
        }
    }
}

extension TensorboardError {
    /// The backend-level error for this writer error.
    var visBackendError: VisBackendError {
        switch self {
        case .io(let path, let reason): return .io(path: path, reason: reason)
        case .invalidArgument(let argument, let expected, let actual):
            return .invalidArgument(argument: argument, expected: expected, actual: actual)
        case .closed: return .closed(backend: TensorboardVisBackend.typeName)
        case .corruptRecord(let path, let offset, let reason), .malformedEvent(let path, let offset, let reason):
            return .io(path: path, reason: "byte \(offset): \(reason)")
        }
    }
}

extension VisBackendRegistry {
    /// Registers ``TensorboardVisBackend`` under its type name. Options (snake_case, as in MMEngine configs):
    /// `flush_interval` (seconds, default 5) and `log_hparams` (bool, default false).
    func registerTensorboard() {
        register(TensorboardVisBackend.typeName, requiresSaveDir: true) { arguments in
            let options = try arguments.decodeOptions(_TensorboardOptions.self)
            return try TensorboardVisBackend(
                saveDir: arguments.requiredSaveDir(), flushInterval: options.flushInterval ?? 5,
                logHParams: options.logHParams ?? false, logger: arguments.logger, errorHandler: arguments.errorHandler)
        }
    }
}

/// The config options of ``TensorboardVisBackend``.
struct _TensorboardOptions: Decodable {
    var flushInterval: Double?
    var logHParams: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case flushInterval = "flush_interval", logHParams = "log_hparams"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.allCases.map(\.rawValue))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        flushInterval = try container.decodeIfPresent(Double.self, forKey: .flushInterval)
        logHParams = try container.decodeIfPresent(Bool.self, forKey: .logHParams)
    }
}

extension TensorboardVisBackend: _SharedPNGConsumer {
    /// Its images are PNG files made by the fast encoder.
    var _sharedPNGCompression: PNGCompression { .fast }
}
