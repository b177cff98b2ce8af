import Foundation

/// The `wandb` command of the interop venv (0.31.0), run offline with a private HOME: its `leet inspect` is
/// wandb's own reader of `.wandb` logs, `sync --dry-run` its check that a run directory is one it would upload.
public enum WandbCLI {
    /// The `wandb` command beside the interop Python.
    public static func command() throws -> String {
        let python = try TestSupport.interopPython()
        let path = URL(fileURLWithPath: python).deletingLastPathComponent().appendingPathComponent("wandb").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError.missingTool(
                "\(path): install wandb==0.31.0 into the interop venv (Scripts/requirements-ci.txt)")
        }
        return path
    }

    /// Runs `wandb` offline with `home` as HOME and every wandb directory; returns status, standard output, and
    /// both outputs.
    public static func run(_ arguments: [String], home: URL) throws -> (status: Int32, stdout: String, output: String) {
        let environment = [
            "HOME": home.path, "WANDB_MODE": "offline", "WANDB_SILENT": "true", "WANDB_DIR": home.path,
            "WANDB_CONFIG_DIR": home.appendingPathComponent("config").path,
            "WANDB_CACHE_DIR": home.appendingPathComponent("cache").path,
            "WANDB_DATA_DIR": home.appendingPathComponent("data").path, "NO_COLOR": "1",
        ]
        let result = try TestSupport.runCapturing(try command(), arguments: arguments, environment: environment)
        return (result.status, result.stdout, result.stdout + result.stderr)
    }

    /// The records of a run directory as `wandb leet inspect --json` reads them (one dictionary each), and its
    /// exit status and output.
    public static func inspectRecords(_ directory: String, home: URL) throws
        -> (records: [[String: Any]], status: Int32, output: String)
    {
        let result = try run(["leet", "inspect", "--json", directory], home: home)
        return (jsonLines(result.stdout), result.status, result.output)
    }

    /// wandb's `wandb-core` program, which `wandb leet inspect` runs (found by asking the interop Python once).
    public static func coreCommand() throws -> String {
        let path = try TestSupport.runPython(
            "import os, wandb; print(os.path.join(os.path.dirname(wandb.__file__), 'bin', 'wandb-core'))"
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestSupportError.missingTool("\(path): wandb's wandb-core, part of wandb==0.31.0")
        }
        return path
    }

    /// The records of one `.wandb` log read by `wandb-core leet inspect --json`, called as `wandb leet inspect`
    /// calls it but without starting Python (a hundredth of the time, for tests that read many runs).
    public static func coreInspectRecords(logFile: String, core: String, home: URL) throws
        -> (records: [[String: Any]], status: Int32, output: String)
    {
        let wandbDirectory = ((logFile as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let result = try TestSupport.runCapturing(
            core, arguments: ["leet", "inspect", "--no-observability", "--json", "--run-file", logFile, wandbDirectory],
            environment: ["HOME": home.path, "WANDB_MODE": "offline", "NO_COLOR": "1"])
        return (jsonLines(result.stdout), result.status, result.stdout + result.stderr)
    }

    private static func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line -> [String: Any]? in
            guard line.hasPrefix("{") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }
}
