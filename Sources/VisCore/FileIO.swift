#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes with errors that name the path and the system's reason.
package enum FileIO {
    /// Reads the whole regular file at `path`.
    ///
    /// - Throws: ``VisCoreError/io(path:reason:)`` when it cannot be opened or read, or is a directory.
    static func read(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw error(path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw error(path) }
        guard (status.st_mode & S_IFMT) != S_IFDIR else {
            throw VisCoreError.io(path: path, reason: "is a directory, expected a file")
        }
        // The size is a hint only (the file may change while we read): read that much straight into the result,
        // then go on to end of file in chunks.
        let expected = max(Int(status.st_size), 0)
        var failed = false
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
            var total = 0
            while total < expected {
                let count = systemRead(descriptor, buffer.baseAddress.map { UnsafeMutableRawPointer($0 + total) }, expected - total)
                if count < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    break
                }
                if count == 0 { break }
                total += count
            }
            initialized = total
        }
        if failed { throw error(path) }
        // A short read means end of file; a full one may have more behind it if the file grew.
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count >= expected {
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw error(path)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    /// Writes `bytes` to `path` so that a reader, or a crash of this process, sees either the old file or the
    /// complete new one; the one atomic writer of the package (images, arrays, backend files).
    ///
    /// The bytes go to a new hidden file in the target's directory (`.NAME.tmp-PID-SERIAL`, created exclusively,
    /// with the usual `0666 & ~umask` permissions), which is then renamed over `path`; on any failure it is
    /// removed. Durability policy: by default nothing is `fsync`ed, as for every file of a backend (`flush()`
    /// hands data to the operating system, which survives the process being killed, not a power loss);
    /// `syncToDisk` also syncs the file before the rename and the directory after it, for a file that must
    /// survive a power loss.
    ///
    /// - Parameters:
    ///   - createDirectories: Whether to create missing parent directories first (backends do; a user's
    ///     `write(to:)` fails on a missing directory, as OpenCV's and NumPy's writers do).
    ///   - syncToDisk: Whether to `fsync` the file and its directory.
    /// - Throws: ``VisCoreError/io(path:reason:)`` naming `path` (or the directory that could not be created)
    ///   and the system's reason.
    package static func writeAtomically(
        _ bytes: [UInt8], to path: String, createDirectories: Bool = false, syncToDisk: Bool = false
    ) throws(VisCoreError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if createDirectories, !directory.isEmpty { try createDirectory(directory) }
        let (descriptor, temporary) = try createTemporary(directory: directory, name: name, target: path)
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        var failure: VisCoreError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let written = write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = error(path)
                    return
                }
                offset += written
            }
        }
        if failure == nil, syncToDisk, fsync(descriptor) != 0 { failure = error(path) }
        // `close` reports delayed write errors (NFS, quotas): the file is not complete unless it succeeds.
        if close(descriptor) != 0, failure == nil { failure = error(path) }
        if let failure { throw failure }
        guard rename(temporary, path) == 0 else { throw error(path) }
        succeeded = true
        if syncToDisk { try syncDirectory(directory.isEmpty ? "." : directory, target: path) }
    }

    /// Creates the directory `path` and its missing parents (`mkdir -p`, mode `0777 & ~umask`).
    ///
    /// - Throws: ``VisCoreError/io(path:reason:)`` naming the directory that could not be created, or a path
    ///   component that exists and is not a directory.
    package static func createDirectory(_ path: String) throws(VisCoreError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o777) != 0 {
                let code = errno
                var status = stat()
                guard code == EEXIST, stat(prefix, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR else {
                    throw VisCoreError.io(
                        path: prefix, reason: code == EEXIST ? "exists and is not a directory" : String(cString: strerror(code)))
                }
            }
            prefix += "/"
        }
    }

    /// Serial numbers that make temporary names unique within the process (the PID across processes).
    private static let serial = LockedValue(0)

    /// A new, exclusively created file beside `target`, open for writing, and its path.
    private static func createTemporary(directory: String, name: String, target: String) throws(VisCoreError)
        -> (descriptor: Int32, path: String)
    {
        // A stale file of the same name (a reused PID after a crash) is skipped, not overwritten.
        for _ in 0..<100 {
            let temporary = "\(directory).\(name).tmp-\(getpid())-\(serial.withLock { $0 += 1; return $0 })"
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 { return (descriptor, temporary) }
            guard errno == EEXIST else { throw error(target) }
        }
        throw VisCoreError.io(path: target, reason: "no unused temporary file name in its directory")
    }

    /// `fsync` of a directory, so that a rename in it survives a power loss.
    private static func syncDirectory(_ directory: String, target: String) throws(VisCoreError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw error(target) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw error(target) }
    }

    private static func error(_ path: String) -> VisCoreError {
        .io(path: path, reason: String(cString: strerror(errno)))
    }
}

/// `read(2)`, named apart from `FileIO.read(_:)` which shadows it inside the enum.
@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
