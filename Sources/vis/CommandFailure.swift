import Foundation
import Visualization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure of a `vis` command while it runs — unreadable or invalid data, a failed read or write — as the user
/// reads it. ``VisCommand/main()`` prints it as `Error: <description>` and exits with status 1, without a usage
/// line: the command line was fine, the data or the file system was not.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// `error` in words for the user: a library error by its own description, a Foundation file error as
    /// `I/O error on PATH: <reason>` instead of its `NSCocoaErrorDomain` dump.
    init(describing error: any Error) { self.description = Self.message(for: error) }

    /// The message for any error a command's `run()` throws.
    static func message(for error: any Error) -> String {
        if let failure = error as? CommandFailure { return failure.description }
        if let foundation = foundationFileMessage(error) { return foundation }
        if let description = (error as? any LocalizedError)?.errorDescription { return description }
        if type(of: error) is NSError.Type { return error.localizedDescription }
        return String(describing: error)
    }

    /// Runs `body`; an error it throws becomes a failure that starts with `subject` — the flag, and its value when
    /// the library's message does not name it (`--meta meta.yaml: …`) — so the user knows which argument to fix.
    @discardableResult
    static func naming<Result>(_ subject: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure("\(subject): \(message(for: error))")
        }
    }

    /// `I/O error on PATH: <reason>` for an error of Foundation's file APIs (`FileManager`, `Data(contentsOf:)`),
    /// the reason being the system's (`File exists`, `Not a directory`) where Foundation carries or implies one.
    static func foundationFileMessage(_ error: any Error) -> String? {
        let error = error as NSError
        guard error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain else { return nil }
        let path = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
        let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
        let code: Int32?
        if error.domain == NSPOSIXErrorDomain {
            code = Int32(error.code)
        } else if let underlying, underlying.domain == NSPOSIXErrorDomain {
            code = Int32(underlying.code)
        } else {
            code = posixCode(ofCocoaCode: error.code)
        }
        let reason: String
        if let code {
            reason = String(cString: strerror(code))
        } else if let path, let blocker = nonDirectoryAncestor(of: path) {
            // Foundation reports "unknown write error" when a parent of the path is a file.
            reason = "\(blocker) is not a directory"
        } else {
            reason = error.localizedDescription
        }
        return "I/O error on \(path ?? "a file"): \(reason)"
    }

    /// The system error a Foundation file error code stands for, when it stands for one.
    private static func posixCode(ofCocoaCode code: Int) -> Int32? {
        switch CocoaError.Code(rawValue: code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
        case .fileReadNoPermission, .fileWriteNoPermission: return EACCES
        case .fileWriteFileExists: return EEXIST
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteVolumeReadOnly: return EROFS
        default: return nil
        }
    }

    /// The nearest existing ancestor of `path` when it is not a directory.
    private static func nonDirectoryAncestor(of path: String) -> String? {
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty && ancestor != "/" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : ancestor
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        return nil
    }
}
