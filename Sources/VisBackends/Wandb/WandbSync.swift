import Foundation

/// Uploading offline runs with the `wandb` command-line tool.
public enum WandbSync {
    /// The command that uploads the run in `directory`: `wandb sync <directory>`, quoted for a POSIX shell.
    public static func command(for directory: String, executable: String = "wandb") -> String {
        shellQuoted(executable) + " sync " + shellQuoted(directory)
    }

    /// `text` as one POSIX shell word: unchanged when it holds only safe characters, else in single quotes.
    public static func shellQuoted(_ text: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !text.isEmpty && text.allSatisfy({ safe.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The first executable file called `name` in the directories of `searchPath` (default: `$PATH`).
    public static func findExecutable(
        _ name: String = "wandb", searchPath: String? = ProcessInfo.processInfo.environment["PATH"]
    ) -> String? {
        guard let searchPath else { return nil }
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = (String(directory) as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `<executable> sync <extra arguments> <directory>` and waits for it. Its output goes to this
    /// process's standard output and error, so the user sees the upload progress.
    ///
    /// - Returns: The command's exit status.
    /// - Throws: ``VisBackendError/io(path:reason:)`` when the command cannot be started.
    @discardableResult
    public static func run(
        executable: String, directory: String, arguments: [String] = []
    ) throws(VisBackendError) -> Int32 {
        // A just-written executable can briefly be "text file busy" while another thread's fork still holds its
        // write descriptor; that clears within milliseconds, so retry a few times before reporting.
        var attempt = 0
        while true {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["sync"] + arguments + [directory]
            do {
                try process.run()
                process.waitUntilExit()
                return process.terminationStatus
            } catch {
                let nsError = error as NSError
                attempt += 1
                if nsError.domain == NSPOSIXErrorDomain, nsError.code == Int(ETXTBSY), attempt < 10 {
                    usleep(20_000)
                    continue
                }
                throw .io(path: executable, reason: nsError.localizedDescription)
            }
        }
    }
}
