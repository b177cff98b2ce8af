/// Checks names that become paths inside a backend's save directory.
package enum SaveDirPath {
    /// Returns `path` as a clean relative path inside the directory it is joined to: repeated `/` and `.`
    /// components are dropped (`a//b` and `./a/b` are `a/b`, as the file system reads them).
    ///
    /// - Throws: ``VisBackendError/pathEscapesSaveDir(argument:path:)`` for an absolute path or a `..`
    ///   component (the only ways out of the directory); ``VisBackendError/invalidArgument(argument:expected:actual:)``
    ///   for an empty path, one ending in `/` (a directory, not a file name) or one with a NUL byte.
    package static func validated(_ path: String, argument: String) throws -> String {
        guard !path.utf8.contains(0) else {
            throw VisBackendError.invalidArgument(
                argument: argument, expected: "a name without NUL bytes", actual: path.debugDescription)
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.hasPrefix("/"), !components.contains("..") else {
            throw VisBackendError.pathEscapesSaveDir(argument: argument, path: path)
        }
        let kept = components.filter { !$0.isEmpty && $0 != "." }
        guard !kept.isEmpty else {
            throw VisBackendError.invalidArgument(
                argument: argument, expected: "a non-empty name such as `loss` or `val/sample`",
                actual: path.debugDescription)
        }
        guard components.last.map({ !$0.isEmpty && $0 != "." }) ?? false else {
            throw VisBackendError.invalidArgument(
                argument: argument, expected: "a file name, not a directory (drop the trailing `/`)",
                actual: path.debugDescription)
        }
        return kept.joined(separator: "/")
    }

    /// The extension of the last component (the text after its last dot), lowercased; empty when none.
    package static func fileExtension(_ path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = last.lastIndex(of: ".") else { return "" }
        return String(last[last.index(after: dot)...]).lowercased()
    }
}
