#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and writes for the array formats, with errors that name the path.
enum _NDArrayFiles {
    /// The bytes of the regular file at `path`.
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw VisCoreError.io(path: path, reason: lastError()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw VisCoreError.io(path: path, reason: lastError()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw VisCoreError.io(path: path, reason: "not a regular file")
        }
        let size = Int(status.st_size)
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var total = 0
            while total < size {
                let got = _posixRead(descriptor, buffer.baseAddress.map { $0 + total }, size - total)
                if got < 0 {
                    if errno == EINTR { continue }
                    failure = lastError()
                    break
                }
                if got == 0 { break }  // the file shrank while we read it: keep what is there
                total += got
            }
            initialized = total
        }
        if let failure { throw VisCoreError.io(path: path, reason: failure) }
        return bytes
    }

    /// Writes `bytes` to `path`, replacing the file.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw VisCoreError.io(path: path, reason: lastError()) }
        var failure: String?
        bytes.withUnsafeBytes { raw in
            var total = 0
            while total < raw.count {
                let wrote = _posixWrite(descriptor, raw.baseAddress.map { $0 + total }, raw.count - total)
                if wrote < 0 {
                    if errno == EINTR { continue }
                    failure = lastError()
                    return
                }
                total += wrote
            }
        }
        if close(descriptor) != 0, failure == nil { failure = lastError() }
        if let failure { throw VisCoreError.io(path: path, reason: failure) }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

// `read`/`write` are shadowed by the static methods above inside the enum.
private func _posixRead(_ descriptor: Int32, _ buffer: UnsafeMutablePointer<UInt8>?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func _posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
