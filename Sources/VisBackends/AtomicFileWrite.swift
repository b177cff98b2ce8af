import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes whole files so that a reader or a crash sees either the old file or the complete new one: the bytes
/// go to a hidden temporary file in the same directory, which is then renamed over the target.
package enum AtomicFileWrite {
    /// Writes `bytes` to `path`, creating missing parent directories.
    ///
    /// - Throws: ``VisBackendError/io(path:reason:)``.
    package static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        try createDirectory(directory)
        let temporary = directory + "/.\(url.lastPathComponent).partial-\(getpid())-\(nextSerial())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw VisBackendError.io(path: path, reason: AppendFile.lastErrorMessage()) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                guard let base = buffer.baseAddress else { break }
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = AppendFile.lastErrorMessage()
                    return
                }
                offset += written
            }
        }
        _ = Foundation.close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = AppendFile.lastErrorMessage() }
        if let failure {
            unlink(temporary)
            throw VisBackendError.io(path: path, reason: failure)
        }
    }

    /// Creates `path` and its missing parents.
    ///
    /// - Throws: ``VisBackendError/io(path:reason:)``.
    package static func createDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw VisBackendError.io(path: path, reason: _systemMessage(of: error))
        }
    }

    private static let serialLock = NSLock()
    nonisolated(unsafe) private static var serial = 0

    private static func nextSerial() -> Int {
        serialLock.lock()
        defer { serialLock.unlock() }
        serial += 1
        return serial
    }
}
