import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One event file being written: records are encoded into an in-memory buffer and handed to the operating
/// system in whole records by ``writeBuffered()``, so a killed process leaves at most a torn last record, which
/// readers skip.
///
/// Not thread-safe: ``TensorboardWriter`` owns one and uses it from its writer thread only.
final class _EventFile {
    /// The file's absolute path.
    let path: String
    private var descriptor: Int32
    private var buffer = ProtobufWriter(capacity: 1 << 16)

    /// Bytes written to the file so far (not counting the buffer).
    private(set) var bytesWritten = 0

    /// The number of buffered bytes.
    var bufferedByteCount: Int { buffer.bytes.count }

    /// Creates a new event file in `directory` (creating the directory) and buffers its `file_version` record.
    ///
    /// The name is TensorBoard's `events.out.tfevents.<10-digit seconds>.<host>.<pid>.<counter><suffix>`; the
    /// file is created exclusively (`O_EXCL`), so the writer never appends to another writer's file: when the
    /// name exists, the counter moves on.
    init(directory: String, filenameSuffix: String, wallTime: Double) throws(TensorboardError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: directory, reason: "cannot create the log directory: \((error as NSError).localizedDescription)")
        }
        let seconds = String(format: "%010lld", Int64(max(0, min(wallTime, 9_999_999_999))))
        let prefix = "events.out.tfevents.\(seconds).\(Self.hostName).\(getpid())."
        var attempts = 0
        while true {
            let name = prefix + String(Self.nextCounter()) + filenameSuffix
            let candidate = (directory as NSString).appendingPathComponent(name)
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                path = candidate
                descriptor = fd
                break
            }
            let code = errno
            attempts += 1
            guard code == EEXIST, attempts < 1000 else {
                throw .io(path: candidate, reason: "cannot create the event file: \(String(cString: strerror(code)))")
            }
        }
        append(TensorboardEvent(wallTime: wallTime, content: .fileVersion(TensorboardEvent.fileVersionString)))
    }

    deinit {
        if descriptor >= 0 { _closeDescriptor(descriptor) }
    }

    /// Buffers one framed record.
    func append(_ message: some _ProtobufEncodable) {
        TFRecord.append(message, to: &buffer)
    }

    /// Buffers a scalar event without building a ``TensorboardSummary`` array (the hot path).
    func appendScalar(tag: String, value: Float, step: Int64, wallTime: Double) {
        append(_ScalarEvent(wallTime: wallTime, step: step, summary: _SingleValueSummary(
            value: TensorboardSummary.Value(tag: tag, kind: .simpleValue(value)))))
    }

    /// Writes every buffered record to the file with `write(2)` (whole records only; the buffer holds nothing
    /// else).
    func writeBuffered() throws(TensorboardError) {
        guard !buffer.bytes.isEmpty else { return }
        guard descriptor >= 0 else { throw .closed(path: path) }
        let error: Int32? = buffer.bytes.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let result = write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += result
            }
            return nil
        }
        if let error {
            // Drop what was buffered: retrying would duplicate records that made it to the file.
            buffer.bytes.removeAll(keepingCapacity: true)
            throw .io(path: path, reason: "write failed: \(String(cString: strerror(error)))")
        }
        bytesWritten += buffer.bytes.count
        buffer.bytes.removeAll(keepingCapacity: buffer.bytes.capacity <= 1 << 22)
    }

    /// Writes what is buffered, optionally `fsync`s, and closes the file.
    func close(sync: Bool) throws(TensorboardError) {
        guard descriptor >= 0 else { return }
        defer {
            _closeDescriptor(descriptor)
            descriptor = -1
        }
        try writeBuffered()
        if sync && fsync(descriptor) != 0 {
            throw .io(path: path, reason: "fsync failed: \(String(cString: strerror(errno)))")
        }
    }

    private static let hostName: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A host name never holds a slash, but a file name must not.
        let cleaned = host.replacingOccurrences(of: "/", with: "_")
        return cleaned.isEmpty ? "localhost" : cleaned
    }()

    private static let counterLock = NSLock()
    nonisolated(unsafe) private static var counter = 0

    /// A process-wide counter, like TensorBoard's global uid, so two writers in one second get two files.
    private static func nextCounter() -> Int {
        counterLock.lock()
        defer { counterLock.unlock() }
        let value = counter
        counter += 1
        return value
    }
}

/// An `Event` holding a one-value summary: ``TensorboardEvent``'s encoding without its array.
struct _ScalarEvent: _ProtobufEncodable {
    let wallTime: Double
    let step: Int64
    let summary: _SingleValueSummary
    var _encodedSize: Int { TensorboardEvent._size(wallTime: wallTime, step: step, fileVersion: nil, summary: summary) }
    func _encode(into writer: inout ProtobufWriter) {
        TensorboardEvent._encode(wallTime: wallTime, step: step, fileVersion: nil, summary: summary, into: &writer)
    }
}

/// `close(2)`; a free function because inside `_EventFile` the name `close` means the method.
private func _closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
