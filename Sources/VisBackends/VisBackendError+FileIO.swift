import VisCore

extension VisBackendError {
    /// An error of VisCore's shared file writer (``VisCoreError/io(path:reason:)``, naming the file or directory
    /// that failed) reported as this module's; `path` names the file for any other case.
    static func file(_ error: VisCoreError, path: String) -> VisBackendError {
        if case .io(let failedPath, let reason) = error { return .io(path: failedPath, reason: reason) }
        return .io(path: path, reason: error.description)
    }
}
