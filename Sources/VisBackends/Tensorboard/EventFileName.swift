import Foundation
import VisCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Names and creates event files the way TensorBoard's own writer does.
enum _EventFileName {
    /// Creates a new, empty event file in `directory` (creating the directory) and returns its path.
    ///
    /// The name is `events.out.tfevents.<10-digit seconds>.<host>.<pid>.<counter><suffix>` (torch's and
    /// TensorBoard's pattern; files in a run are read in name order, so the timestamp comes first). The file is
    /// created with `O_EXCL`, so a writer never appends to another writer's file: when the name exists, the
    /// counter moves on.
    static func createFile(in directory: String, suffix: String, wallTime: Double) throws(TensorboardError) -> String {
        guard !suffix.contains("/"), !suffix.contains("\0") else {
            throw .invalidArgument(
                argument: "filenameSuffix", expected: "text without `/` or NUL", actual: suffix.debugDescription)
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(
                path: directory, reason: "cannot create the log directory: \((error as NSError).localizedDescription)")
        }
        let seconds = String(format: "%010lld", Int64(max(0, min(wallTime.isFinite ? wallTime : 0, 9_999_999_999))))
        let prefix = "events.out.tfevents.\(seconds).\(hostName).\(getpid())."
        var attempts = 0
        while true {
            let candidate = (directory as NSString).appendingPathComponent(prefix + String(nextCounter()) + suffix)
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                _closeDescriptor(descriptor)
                return candidate
            }
            let code = errno
            attempts += 1
            guard code == EEXIST, attempts < 10_000 else {
                throw .io(path: candidate, reason: "cannot create the event file: \(String(cString: strerror(code)))")
            }
        }
    }

    /// This machine's host name, with `/` (impossible in a host name, fatal in a file name) replaced.
    static let hostName: String = {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        let host = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let cleaned = host.replacingOccurrences(of: "/", with: "_")
        return cleaned.isEmpty ? "localhost" : cleaned
    }()

    private static let counter = LockedValue(0)

    /// A process-wide counter, like TensorBoard's global uid, so two writers in one second get two files.
    private static func nextCounter() -> Int {
        counter.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}

/// An `Event` holding a one-value summary: ``TensorboardEvent``'s encoding without its array (the scalar hot
/// path).
struct _ScalarEvent: _ProtobufEncodable {
    let wallTime: Double
    let step: Int64
    let summary: _SingleValueSummary

    init(tag: String, value: Float, step: Int64, wallTime: Double) {
        self.wallTime = wallTime
        self.step = step
        summary = _SingleValueSummary(value: TensorboardSummary.Value(tag: tag, kind: .simpleValue(value)))
    }

    var _encodedSize: Int { TensorboardEvent._size(wallTime: wallTime, step: step, fileVersion: nil, summary: summary) }

    func _encode(into writer: inout ProtobufWriter) {
        TensorboardEvent._encode(wallTime: wallTime, step: step, fileVersion: nil, summary: summary, into: &writer)
    }
}

/// `close(2)`, as a free function so that types with a `close` method can call it.
func _closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
