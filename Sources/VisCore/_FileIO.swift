#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes with errors that name the path and the system's reason.
enum _FileIO {
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

    /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`: readers see either the
    /// old file or the complete new one, and a failure leaves no partial file behind.
    ///
    /// - Throws: ``VisCoreError/io(path:reason:)`` naming `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var template = Array("\(directory).\(name).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw error(path) }
        let temporary = String(cString: template.map { UInt8(bitPattern: $0) })
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            try bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw error(path)
                    }
                    offset += written
                }
            }
            // mkstemp creates the file 0600; an image is an ordinary document.
            guard fchmod(descriptor, 0o644) == 0 else { throw error(path) }
        }
        guard rename(temporary, path) == 0 else { throw error(path) }
        succeeded = true
    }

    private static func error(_ path: String) -> VisCoreError {
        .io(path: path, reason: String(cString: strerror(errno)))
    }
}

/// `read(2)`, named apart from `_FileIO.read(_:)` which shadows it inside the enum.
@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
