import Foundation
import Testing
import VisCore
import VisTestSupport

/// The package's one atomic file writer (images, arrays and backend files all go through it).
@Suite("Atomic file writer")
struct FileIOTests {
    @Test("creates missing parent directories when asked, and replaces an existing file")
    func createsDirectoriesAndReplaces() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fileio")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path + "/a/b/c.bin"
        try FileIO.writeAtomically([1, 2, 3], to: path, createDirectories: true)
        try FileIO.writeAtomically([4, 5], to: path, createDirectories: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([4, 5]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/a/b") == ["c.bin"])
    }

    @Test("without createDirectories a missing folder is an I/O error naming the file")
    func missingFolder() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fileio")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path + "/missing/c.bin"
        let error = #expect(throws: VisCoreError.self) { try FileIO.writeAtomically([1], to: path) }
        #expect(error == .io(path: path, reason: "No such file or directory"))
    }

    @Test("a failed rename leaves no temporary file behind")
    func cleanupOnFailure() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fileio")
        defer { try? FileManager.default.removeItem(at: directory) }
        // A non-empty directory where the file should go: the rename over it fails.
        let path = directory.path + "/taken"
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        let error = #expect(throws: VisCoreError.self) { try FileIO.writeAtomically([1, 2], to: path) }
        guard case .io(let errorPath, _) = error else {
            Issue.record("expected io, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["taken"])
    }

    @Test("a path component that is a file is named in the error")
    func componentIsAFile() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fileio")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileIO.writeAtomically([0], to: directory.path + "/file")
        let error = #expect(throws: VisCoreError.self) {
            try FileIO.writeAtomically([1], to: directory.path + "/file/sub/x.bin", createDirectories: true)
        }
        #expect(error == .io(path: directory.path + "/file", reason: "exists and is not a directory"))
    }

    @Test("concurrent writers of one file each write a whole file; readers never see a mixture")
    func concurrentWriters() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fileio")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path + "/shared.bin"
        let failures = LockedValue(0)
        DispatchQueue.concurrentPerform(iterations: 16) { writer in
            for _ in 0..<10 {
                do {
                    try FileIO.writeAtomically([UInt8](repeating: UInt8(writer), count: 4096), to: path)
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 4096 && Set(bytes).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["shared.bin"])
    }

    @Test("syncToDisk writes the same file; permissions follow the umask like any new file")
    func syncAndPermissions() throws {
        let directory = try TestSupport.makeTemporaryDirectory("fileio")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.path + "/synced.bin"
        try FileIO.writeAtomically([9, 8, 7], to: path, syncToDisk: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data([9, 8, 7]))
        let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(permissions == 0o666 & ~Self.umask)
    }

    /// The process's file mode creation mask, read without changing it (Linux `/proc`; 022 elsewhere).
    static var umask: Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
            let mask = Int(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
        else { return 0o022 }
        return mask
    }
}
