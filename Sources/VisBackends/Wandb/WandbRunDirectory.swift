import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Creates W&B offline run directories: `<wandbDir>/offline-run-<YYYYMMDD_HHMMSS>-<id>/files/`.
enum _WandbRunDirectory {
    /// The characters of generated run ids.
    static let idAlphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")

    /// A random 8-character run id of `[a-z0-9]`, like the SDK's.
    static func generateID() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<8).map { _ in idAlphabet[Int(generator.next(upperBound: UInt64(idAlphabet.count)))] })
    }

    /// The machine's host name (`gethostname`, no DNS lookup), as the SDK records it.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The local time as `YYYYMMDD_HHMMSS`, as the SDK names run directories.
    static func timestamp(_ seconds: Double) -> String {
        var time = time_t(seconds.isFinite ? seconds.rounded(.down) : 0)
        var parts = tm()
        localtime_r(&time, &parts)
        return String(
            format: "%04d%02d%02d_%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Creates a new run directory (never reusing an existing one) and its `files/` folder; returns its path
    /// and the run id. Points `<wandbDir>/latest-run` at it when possible, as the SDK does.
    ///
    /// - Throws: ``VisBackendError/io(path:reason:)``.
    static func create(in wandbDirectory: String, startTime: Double, id: String?) throws(VisBackendError) -> (
        String, String
    ) {
        do {
            try FileManager.default.createDirectory(atPath: wandbDirectory, withIntermediateDirectories: true)
        } catch {
            throw .io(path: wandbDirectory, reason: (error as NSError).localizedDescription)
        }
        let stamp = timestamp(startTime)
        for _ in 0..<16 {
            let runID = id ?? generateID()
            let name = "offline-run-\(stamp)-\(runID)"
            let path = (wandbDirectory as NSString).appendingPathComponent(name)
            if mkdir(path, 0o755) != 0 {
                let reason = String(cString: strerror(errno))
                if errno == EEXIST && id == nil { continue }
                throw .io(path: path, reason: errno == EEXIST ? "a run directory with this id already exists" : reason)
            }
            let files = (path as NSString).appendingPathComponent("files")
            guard mkdir(files, 0o755) == 0 else { throw .io(path: files, reason: String(cString: strerror(errno))) }
            let link = (wandbDirectory as NSString).appendingPathComponent("latest-run")
            // Best effort: the link only helps `wandb leet inspect` without a path.
            unlink(link)
            _ = symlink(name, link)
            return (path, runID)
        }
        throw .io(path: wandbDirectory, reason: "could not find an unused run id")
    }
}
