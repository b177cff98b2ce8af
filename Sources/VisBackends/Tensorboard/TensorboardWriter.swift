import Foundation
import Logging
import VisCore

/// Writes one TensorBoard event file: the Swift counterpart of `SummaryWriter`, and the ``TensorboardVisBackend/experiment`` of
/// ``TensorboardVisBackend``.
///
/// - **Fast, non-blocking calls.** `addScalar` encodes its record (a few dozen bytes, both CRCs) into an
///   in-memory buffer under a lock and returns; full buffers go to a ``BackgroundWriter`` thread that
///   `write(2)`s them. Images are PNG-encoded on that thread too. Memory is bounded by the background writer's
///   back-pressure.
/// - **Periodic flush.** Buffered records reach the file at least every ``flushInterval`` seconds, on
///   ``flush()`` and on ``close()``. Records are handed to the OS whole, so a killed process loses at most the
///   records of the last interval and never damages an earlier one (a torn last record is skipped by readers).
/// - **One new file per writer**, created exclusively (see ``filePath``), beginning with the
///   `file_version: "brain.Event:2"` record.
///
/// All methods are thread-safe. Records added by one thread are written in the order they were added.
public final class TensorboardWriter: @unchecked Sendable {
    /// The directory of the run.
    public let logDirectory: String
    /// The event file this writer created: `<logDirectory>/events.out.tfevents.<secs>.<host>.<pid>.<n><suffix>`.
    public let filePath: String
    /// The longest time, in seconds, a record waits in memory before it is written to the file.
    public let flushInterval: Double

    private let clock: @Sendable () -> Double
    private let background: BackgroundWriter
    private let file: AppendFile
    private let lock = NSLock()
    // Guarded by `lock`:
    private var buffer = ProtobufWriter(capacity: TensorboardWriter.bufferLimit)
    private var isClosed = false
    private var sessionStarted = false
    private var timer: PeriodicTask?

    /// Buffered bytes that trigger a hand-over to the writer thread without waiting for the timer.
    static let bufferLimit = 1 << 17

    /// Creates the run directory and a new event file in it, and writes the file-version record.
    ///
    /// - Parameters:
    ///   - logDirectory: The run directory (created if missing).
    ///   - flushInterval: Seconds between periodic flushes (default 5, TensorBoard's reload period; torch's
    ///     SummaryWriter waits 120); `0` or less hands every record to the writer thread at once.
    ///   - filenameSuffix: Appended to the file name (TensorBoard's `filename_suffix`), without `/`.
    ///   - maximumPendingBytes: Memory the queue may hold before callers wait (default 64 MiB).
    ///   - clock: The wall time of records that do not give one (seconds since 1970); injectable for tests.
    ///   - logger: Receives background write failures.
    ///   - errorHandler: Also receives them, on the writer thread. It must not call this writer.
    /// - Throws: ``TensorboardError/io(path:reason:)`` when the directory or file cannot be created,
    ///   ``TensorboardError/invalidArgument(argument:expected:actual:)`` for a bad suffix or interval.
    public init(
        logDirectory: String, flushInterval: Double = 5, filenameSuffix: String = "",
        maximumPendingBytes: Int = 64 << 20, clock: (@Sendable () -> Double)? = nil, logger: Logger? = nil,
        errorHandler: VisBackendErrorHandler? = nil
    ) throws(TensorboardError) {
        guard flushInterval.isFinite else {
            throw .invalidArgument(
                argument: "flushInterval", expected: "a finite number of seconds", actual: "\(flushInterval)")
        }
        let clock = clock ?? { Date().timeIntervalSince1970 }
        self.logDirectory = logDirectory
        self.flushInterval = flushInterval
        self.clock = clock
        let wallTime = clock()
        filePath = try _EventFileName.createFile(in: logDirectory, suffix: filenameSuffix, wallTime: wallTime)
        file = AppendFile(path: filePath)
        background = BackgroundWriter(
            label: "TensorboardWriter(\(filePath))", maximumPendingBytes: maximumPendingBytes, logger: logger,
            errorHandler: errorHandler)
        TFRecord.append(
            TensorboardEvent(wallTime: wallTime, content: .fileVersion(TensorboardEvent.fileVersionString)), to: &buffer
        )
        lock.lock()
        defer { lock.unlock() }
        handOverLocked()
        if flushInterval > 0 { startTimerLocked() }
    }

    deinit {
        close()
    }

    /// Adds a scalar (stored as float32 `simple_value`, as TensorBoard's writers do).
    ///
    /// - Parameters:
    ///   - tag: The curve's name (`train/loss`).
    ///   - value: The value; it is rounded to float32.
    ///   - step: The x coordinate.
    ///   - wallTime: Seconds since 1970; the default is now.
    /// - Throws: ``TensorboardError/closed(path:)`` after ``close()``.
    public func addScalar(_ tag: String, _ value: Double, step: Int = 0, wallTime: Double? = nil)
        throws(TensorboardError)
    {
        let event = _ScalarEvent(tag: tag, value: Float(value), step: Int64(step), wallTime: wallTime ?? clock())
        try append(event)
    }

    /// Adds a text summary shown by TensorBoard's text plugin, which renders it as markdown.
    ///
    /// Stored like tensorboardX and torch do: tag `<tag>/text_summary`, a `DT_STRING` tensor of shape [1].
    public func addText(_ tag: String, _ text: String, step: Int = 0, wallTime: Double? = nil) throws(TensorboardError)
    {
        let value = TensorboardSummary.Value(
            tag: tag + "/text_summary", kind: .tensor(.text(text)), metadata: .init(pluginName: "text"))
        try append(
            TensorboardEvent(
                wallTime: wallTime ?? clock(), step: Int64(step), content: .summary(.init(values: [value]))))
    }

    /// Adds an image. It is encoded as PNG on the writer thread; an encoding failure goes to the error handler.
    ///
    /// - Throws: ``TensorboardError/closed(path:)`` after ``close()``.
    public func addImage(_ tag: String, _ image: Image, step: Int = 0, wallTime: Double? = nil) throws(TensorboardError)
    {
        let wallTime = wallTime ?? clock()
        let file = self.file
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { throw .closed(path: filePath) }
        // Everything added before the image must reach the file before it.
        handOverLocked()
        do {
            try background.submit(cost: image.pixels.count) {
                let png: [UInt8]
                do {
                    png = try _SharedPNGEncodings.shared.png(for: image, compression: .fast)
                } catch {
                    throw VisBackendError.encodingFailed(name: tag, reason: String(describing: error))
                }
                var record = ProtobufWriter(capacity: png.count + 64)
                TFRecord.append(
                    Self.imageEvent(tag, png: png, image: image, step: step, wallTime: wallTime), to: &record)
                try file.write(record.bytes)
            }
        } catch {
            throw .closed(path: filePath)
        }
    }

    /// Adds an image that is already PNG-encoded (bytes shared with other backends), with its size and layout.
    ///
    /// - Throws: ``TensorboardError/closed(path:)`` after ``close()``.
    public func addEncodedImage(
        _ tag: String, png: [UInt8], width: Int, height: Int, layout: PixelLayout, step: Int = 0,
        wallTime: Double? = nil
    ) throws(TensorboardError) {
        let event = TensorboardEvent(
            wallTime: wallTime ?? clock(), step: Int64(step),
            content: .summary(
                .init(values: [
                    .init(
                        tag: tag,
                        kind: .image(
                            .init(
                                height: Int32(clamping: height), width: Int32(clamping: width),
                                colorspace: Self.colorspace(layout), encoded: png)))
                ])))
        try append(event)
    }

    /// Adds the hparams plugin's session start record (the run's hyperparameters, a row in TensorBoard's
    /// HPARAMS tab). ``close()`` then adds the matching session end record with status success.
    ///
    /// Log the metrics to compare as ordinary scalars (for example `hparam/acc`) with this writer.
    public func addHParams(
        _ hparams: [(name: String, value: TensorboardHParams.Value)], wallTime: Double? = nil
    ) throws(TensorboardError) {
        let wallTime = wallTime ?? clock()
        let start = TensorboardHParams.sessionStart(.init(hparams: hparams, startTimeSeconds: wallTime))
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { throw .closed(path: filePath) }
        TFRecord.append(
            TensorboardEvent(wallTime: wallTime, content: .summary(.init(values: [start.summaryValue]))), to: &buffer)
        sessionStarted = true
        handOverIfFullLocked()
    }

    /// Adds any event (for summaries this type has no method for).
    ///
    /// - Throws: ``TensorboardError/closed(path:)`` after ``close()``.
    public func addEvent(_ event: TensorboardEvent) throws(TensorboardError) {
        try append(event)
    }

    /// Returns once every record added before the call is in the operating system (it survives the process
    /// being killed). Does not `fsync`.
    public func flush() {
        lock.lock()
        if !isClosed { handOverLocked() }
        lock.unlock()
        background.flush()
    }

    /// Writes the session end record if hparams were added, flushes, and closes the file. Idempotent; later
    /// `add*` calls throw ``TensorboardError/closed(path:)``.
    public func close() {
        lock.lock()
        if !isClosed {
            if sessionStarted {
                let now = clock()
                let end = TensorboardHParams.sessionEnd(.init(status: .success, endTimeSeconds: now))
                TFRecord.append(
                    TensorboardEvent(wallTime: now, content: .summary(.init(values: [end.summaryValue]))), to: &buffer)
            }
            handOverLocked()
            isClosed = true
            timer?.cancel()
            timer = nil
        }
        lock.unlock()
        background.close()
    }

    // MARK: - Internals

    private func append(_ message: some _ProtobufEncodable) throws(TensorboardError) {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { throw .closed(path: filePath) }
        TFRecord.append(message, to: &buffer)
        handOverIfFullLocked()
    }

    private func handOverIfFullLocked() {
        if buffer.bytes.count >= Self.bufferLimit || flushInterval <= 0 { handOverLocked() }
    }

    /// Gives the buffered records to the writer thread (one `write(2)` of whole records).
    private func handOverLocked() {
        guard !buffer.bytes.isEmpty else { return }
        let bytes = buffer.bytes
        buffer = ProtobufWriter(capacity: Self.bufferLimit)
        do {
            try background.append(bytes, to: file)
        } catch {
            // Only a closed background writer throws, and it is closed only after the last hand-over.
        }
    }

    private func startTimerLocked() {
        timer = PeriodicTask(interval: flushInterval) { [weak self] in
            guard let self else { return }
            self.lock.lock()
            if !self.isClosed { self.handOverLocked() }
            self.lock.unlock()
        }
    }

    static func colorspace(_ layout: PixelLayout) -> Int32 {
        switch layout {
        case .gray: return 1
        case .rgb: return 3
        case .rgba: return 4
        }
    }

    static func imageEvent(_ tag: String, png: [UInt8], image: Image, step: Int, wallTime: Double) -> TensorboardEvent {
        TensorboardEvent(
            wallTime: wallTime, step: Int64(step),
            content: .summary(
                .init(values: [
                    .init(
                        tag: tag,
                        kind: .image(
                            .init(
                                height: Int32(clamping: image.height), width: Int32(clamping: image.width),
                                colorspace: colorspace(image.layout), encoded: png)))
                ])))
    }
}
