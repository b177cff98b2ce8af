import Foundation
import Testing

/// A file system mounted by a test (Linux, as root): a small tmpfs to fill up, or a folder bound onto itself
/// read-only. Without root or on another system the helpers record an issue under CI and return `nil` otherwise,
/// so a fault test never passes by skipping silently in CI.
public final class TestMount: Sendable {
    /// The mount point.
    public let path: String

    private init(path: String) {
        self.path = path
    }

    /// A tmpfs of `size` (`"1m"`) mounted on a new temporary folder.
    public static func tmpfs(_ label: String, size: String) throws -> TestMount? {
        let directory = try TestSupport.makeTemporaryDirectory(label).path
        return try mount(["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", directory], at: directory, what: "a tmpfs")
    }

    /// A new temporary folder bound onto itself, then made read-only with ``setReadOnly(_:)``; root's writes fail
    /// there with `EROFS`, whatever the mode bits say.
    public static func bind(_ label: String) throws -> TestMount? {
        let directory = try TestSupport.makeTemporaryDirectory(label).path
        return try mount(["--bind", directory, directory], at: directory, what: "a bind mount")
    }

    private static func mount(_ arguments: [String], at directory: String, what: String) throws -> TestMount? {
        #if os(Linux)
            let result = try TestSupport.runCapturing("/bin/mount", arguments: arguments)
            if result.status == 0 { return TestMount(path: directory) }
            try? FileManager.default.removeItem(atPath: directory)
            if TestSupport.isCI { Issue.record("cannot mount \(what) for a fault test (needs root): \(result.stderr)") }
            return nil
        #else
            if TestSupport.isCI { Issue.record("the fault tests mount Linux file systems") }
            return nil
        #endif
    }

    /// Remounts read-only (`true`) or writable again.
    public func setReadOnly(_ readOnly: Bool) throws {
        let result = try TestSupport.runCapturing(
            "/bin/mount", arguments: ["-o", "remount,bind,\(readOnly ? "ro" : "rw")", path])
        #expect(result.status == 0, "remount \(readOnly ? "ro" : "rw") \(path): \(result.stderr)")
    }

    /// Unmounts (lazily, should a file still be open) and removes the mount point.
    public func remove() {
        _ = try? TestSupport.runCapturing("/bin/umount", arguments: ["-l", path])
        try? FileManager.default.removeItem(atPath: path)
    }
}
