/// Checks names that become paths inside a backend's save directory.
package enum SaveDirPath {
    /// Returns `path` when it is a non-empty relative path that stays inside the directory it is joined to: no
    /// leading `/`, no `..` or empty components, no NUL byte.
    ///
    /// - Throws: ``VisBackendError/pathEscapesSaveDir(argument:path:)``.
    package static func validated(_ path: String, argument: String) throws -> String {
        guard !path.isEmpty, !path.utf8.contains(0), !path.hasPrefix("/") else {
            throw VisBackendError.pathEscapesSaveDir(argument: argument, path: path)
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard components.allSatisfy({ !$0.isEmpty && $0 != ".." }) else {
            throw VisBackendError.pathEscapesSaveDir(argument: argument, path: path)
        }
        return path
    }

    /// `path` with `.` components removed, for comparing two relative paths.
    package static func normalized(_ path: String) -> String {
        path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    /// The extension of the last component (the text after its last dot), lowercased; empty when none.
    package static func fileExtension(_ path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = last.lastIndex(of: ".") else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }
}
