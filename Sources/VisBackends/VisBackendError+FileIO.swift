import VisCore

extension VisBackendError {
    /// An error of VisCore's shared file writer (``VisCoreError/io(path:reason:)``, naming the file or directory
    /// that failed) reported as this module's; `path` names the file for any other case.
    static func file(_ error: VisCoreError, path: String) -> VisBackendError {
        if case .io(let failedPath, let reason) = error { return .io(path: failedPath, reason: reason) }
        return .io(path: path, reason: error.description)
    }
}

/// VisCore's one atomic file writer as the backends use it: missing parent directories are created and failures
/// are ``VisBackendError/io(path:reason:)`` errors naming the file or directory.
enum BackendFile {
    /// Writes `bytes` to `path` atomically (a reader or a crash sees the old file or the whole new one).
    static func write(_ bytes: [UInt8], to path: String) throws(VisBackendError) {
        do {
            try FileIO.writeAtomically(bytes, to: path, createDirectories: true)
        } catch {
            throw VisBackendError.file(error, path: path)
        }
    }

    /// Creates `path` and its missing parents.
    static func createDirectory(_ path: String) throws(VisBackendError) {
        do {
            try FileIO.createDirectory(path)
        } catch {
            throw VisBackendError.file(error, path: path)
        }
    }
}
