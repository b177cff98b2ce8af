import Foundation
import VisBackends

/// Reads training runs of every kind the package writes or meets into named scalar series, smooths them as
/// TensorBoard does and draws them (the VisTools overview has a worked example).
public enum Curves {
    /// The runs at `path`, which may be:
    /// - a JSON-lines scalar file (`scalars.json`, an MMEngine runner log `<timestamp>.json`), or a folder holding
    ///   one (`scalars.json` first, else the newest `<timestamp>.json`), or a folder with a `vis_data` folder;
    /// - a W&B offline run directory (holding `run-<id>.wandb`), a `.wandb` log, a folder of offline runs, or a
    ///   folder holding such a `wandb` folder;
    /// - a TensorBoard log directory (every folder below it holding `*tfevents*` files is a run) or event file.
    ///
    /// Names are folder names: `vis_data` is skipped (a run in `exp/vis_data` is `exp`), a TensorBoard run below
    /// the log directory is named by its relative path, and a JSON file other than `scalars.json` or a runner log
    /// by its base name.
    ///
    /// - Throws: ``CurvesError/noRuns(path:reason:)`` when nothing at `path` is a run, and the readers' errors.
    public static func readRuns(at path: String) throws(CurvesError) -> [CurveRun] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .noRuns(path: path, reason: "no such file or directory")
        }
        guard isDirectory.boolValue else { return [try _readFile(path, name: nil)] }

        let entries = try _listDirectory(path)
        let join = { (entry: String) in (path as NSString).appendingPathComponent(entry) }
        let name = _runName(forDirectory: path)
        let wandbLogs = entries.filter { $0.hasSuffix(".wandb") }
        if !wandbLogs.isEmpty {
            return [try readWandbRun(logs: wandbLogs.map(join), name: name, path: path)]
        }
        if entries.contains("scalars.json") {
            return [try readJSONLines(at: join("scalars.json"), name: name)]
        }
        if let runnerLog = entries.filter(_isRunnerLogName).last {
            return [try readJSONLines(at: join(runnerLog), name: name)]
        }
        if entries.contains("vis_data"), _isDirectory(join("vis_data")) {
            return try readRuns(at: join("vis_data")).map { run in
                var run = run
                run.name = name
                return run
            }
        }
        let wandbRuns = _wandbRunDirectories(in: path, entries: entries)
        if !wandbRuns.isEmpty { return try readRuns(atPaths: wandbRuns) }
        // A W&B save directory (the SDK's and WandbVisBackend's `<dir>/wandb/offline-run-*`).
        if entries.contains("wandb"), _isDirectory(join("wandb")) {
            let nested = _wandbRunDirectories(in: join("wandb"), entries: (try? _listDirectory(join("wandb"))) ?? [])
            if !nested.isEmpty { return try readRuns(atPaths: nested) }
        }
        let tensorboardRuns: [TensorboardLogDirectory.Run]
        do {
            tensorboardRuns = try TensorboardLogDirectory.runs(in: path)
        } catch {
            throw .io(path: path, reason: error.description)
        }
        guard !tensorboardRuns.isEmpty else {
            throw .noRuns(path: path, reason: "the folder holds no scalars.json, runner log, .wandb or tfevents file")
        }
        var runs: [CurveRun] = []
        for run in tensorboardRuns {
            runs.append(
                try readTensorboardRun(
                    files: run.files, name: run.name == "." ? name : run.name,
                    path: run.name == "." ? path : join(run.name)))
        }
        return runs
    }

    /// The runs at each of `paths`, in order.
    public static func readRuns(atPaths paths: [String]) throws(CurvesError) -> [CurveRun] {
        var runs: [CurveRun] = []
        for path in paths { runs += try readRuns(at: path) }
        return runs
    }

    private static func _readFile(_ path: String, name: String?) throws(CurvesError) -> CurveRun {
        let file = (path as NSString).lastPathComponent
        let directory = (path as NSString).deletingLastPathComponent
        if file.hasSuffix(".wandb") {
            return try readWandbRun(logs: [path], name: name ?? _runName(forDirectory: directory), path: path)
        }
        if file.contains("tfevents") {
            return try readTensorboardRun(
                files: [path], name: name ?? _runName(forDirectory: directory), path: path)
        }
        if file.hasSuffix(".json") || file.hasSuffix(".jsonl") {
            let stem = (file as NSString).deletingPathExtension
            let isRunFile = file == "scalars.json" || _isRunnerLogName(file)
            return try readJSONLines(at: path, name: name ?? (isRunFile ? _runName(forDirectory: directory) : stem))
        }
        throw .noRuns(
            path: path, reason: "a file must be a .json/.jsonl scalar log, a *tfevents* event file or a .wandb log")
    }

    /// `<YYYYMMDD>_<HHMMSS>.json`, the name MMEngine gives a runner's JSON log.
    static func _isRunnerLogName(_ file: String) -> Bool {
        let parts = Array(file.utf8)
        guard parts.count == 20, file.hasSuffix(".json"), parts[8] == UInt8(ascii: "_") else { return false }
        return parts[0..<8].allSatisfy(_isDigit) && parts[9..<15].allSatisfy(_isDigit)
    }

    private static func _isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The directory's name (of the folder a link points at), skipping a trailing `vis_data`.
    static func _runName(forDirectory directory: String) -> String {
        // A link such as W&B's `latest-run` is named by the run it points at.
        let components = URL(fileURLWithPath: directory).resolvingSymlinksInPath().standardizedFileURL.pathComponents
            .filter { $0 != "/" }
        let named = components.last == "vis_data" ? components.dropLast() : components[...]
        return named.last ?? (directory.isEmpty ? "." : directory)
    }

    /// The offline run folders (`offline-run-*`, `run-*` holding a `.wandb` log) among a folder's entries; the
    /// SDK's `latest-run` link is left out so that no run is read twice.
    private static func _wandbRunDirectories(in path: String, entries: [String]) -> [String] {
        entries.filter { $0.hasPrefix("offline-run-") || $0.hasPrefix("run-") }
            .map { (path as NSString).appendingPathComponent($0) }
            .filter { _isDirectory($0) && ((try? _listDirectory($0))?.contains { $0.hasSuffix(".wandb") } ?? false) }
    }

    private static func _isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func _listDirectory(_ path: String) throws(CurvesError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw .io(path: path, reason: (error as NSError).localizedDescription)
        }
    }
}
