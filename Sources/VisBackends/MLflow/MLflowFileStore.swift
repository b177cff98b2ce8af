import Foundation
import Yams

/// A run written in MLflow's file-store layout, which MLflow reads with `MLFLOW_ALLOW_FILE_STORE=true` and
/// `mlflow migrate-filestore` copies into a database:
///
/// ```
/// <root>/0/meta.yaml                               the "Default" experiment (id 0)
/// <root>/<experiment id>/meta.yaml                 name, artifact_location, lifecycle_stage
/// <root>/<experiment id>/<run id>/meta.yaml        run_name, status (1 running, 3 finished, 4 failed), times
/// <root>/<experiment id>/<run id>/metrics/<key>    one "<timestamp ms> <value> <step>" line per value
/// <root>/<experiment id>/<run id>/params/<key>     the value
/// <root>/<experiment id>/<run id>/tags/<key>       the value
/// <root>/<experiment id>/<run id>/artifacts/...    the files
/// ```
///
/// Keys with `/` become folders (`metrics/train/loss`), as MLflow stores them.
final class _MLflowFileStore: @unchecked Sendable {
    let root: String
    let experimentID: String
    let runID: String
    let runName: String
    let runDirectory: String
    let artifactDirectory: String
    private let startTime: Int64
    private let user: String
    private let experimentArtifactLocation: String

    /// Finds or creates the experiment and creates the run (status RUNNING).
    ///
    /// - Throws: ``VisBackendError/io(path:reason:)``; ``VisBackendError/invalidArgument(argument:expected:actual:)``
    ///   for an `artifactLocation` that is not a local path or `file:` URI.
    init(root: String, experimentName: String, artifactLocation: String?, runName: String, startTime: Int64, user: String)
        throws
    {
        let root = URL(fileURLWithPath: root).standardizedFileURL.path
        self.root = root
        self.startTime = startTime
        self.user = user
        self.runName = runName
        let now = _mlflowNowMilliseconds()
        try BackendFile.createDirectory(root)
        if !FileManager.default.fileExists(atPath: root + "/0/meta.yaml") {
            try _MLflowFileStore.writeExperiment(
                id: "0", name: "Default", location: _MLflowFileStore.fileURI(root + "/0"), time: now, root: root)
        }
        if let (id, location) = _MLflowFileStore.findExperiment(named: experimentName, root: root) {
            experimentID = id
            experimentArtifactLocation = location
        } else {
            var id: String
            repeat {
                id = String(Int64.random(in: 100_000_000_000_000_000...Int64.max))
            } while FileManager.default.fileExists(atPath: root + "/" + id)
            let location = try artifactLocation.map {
                _MLflowFileStore.fileURI(try _MLflowFileStore.localPath(ofLocation: $0))
            } ?? _MLflowFileStore.fileURI(root + "/" + id)
            try _MLflowFileStore.writeExperiment(id: id, name: experimentName, location: location, time: now, root: root)
            experimentID = id
            experimentArtifactLocation = location
        }
        runID = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        runDirectory = root + "/" + experimentID + "/" + runID
        artifactDirectory = try _MLflowFileStore.localPath(ofLocation: experimentArtifactLocation) + "/" + runID + "/artifacts"
        for folder in ["metrics", "params", "tags"] { try BackendFile.createDirectory(runDirectory + "/" + folder) }
        try BackendFile.createDirectory(artifactDirectory)
        try writeRunMeta(status: 1, endTime: nil)
    }

    /// The file of a metric, param or tag key (`kind` is `metrics`, `params` or `tags`).
    func path(_ kind: String, _ key: String) -> String {
        runDirectory + "/" + kind + "/" + key
    }

    /// One metric line as MLflow's file store writes it (`1700000000000 0.5 3`).
    static func metricLine(value: Double, timestamp: Int64, step: Int) -> [UInt8] {
        Array("\(timestamp) \(_MLflowValues.pythonFloat(value)) \(step)\n".utf8)
    }

    /// Rewrites the run's `meta.yaml` (`status`: 1 running, 3 finished, 4 failed, 5 killed).
    func writeRunMeta(status: Int, endTime: Int64?) throws {
        let artifactURI = _MLflowFileStore.fileURI(artifactDirectory)
        let text = """
            artifact_uri: \(_MLflowFileStore.yamlString(artifactURI))
            end_time: \(endTime.map(String.init) ?? "null")
            entry_point_name: ''
            experiment_id: '\(experimentID)'
            lifecycle_stage: active
            run_id: \(runID)
            run_name: \(_MLflowFileStore.yamlString(runName))
            source_name: ''
            source_type: 4
            source_version: ''
            start_time: \(startTime)
            status: \(status)
            tags: []
            user_id: \(_MLflowFileStore.yamlString(user))

            """
        try BackendFile.write(Array(text.utf8), to: runDirectory + "/meta.yaml")
    }

    // MARK: - Experiments

    private static func writeExperiment(id: String, name: String, location: String, time: Int64, root: String) throws {
        let text = """
            artifact_location: \(yamlString(location))
            creation_time: \(time)
            experiment_id: '\(id)'
            last_update_time: \(time)
            lifecycle_stage: active
            name: \(yamlString(name))

            """
        try BackendFile.write(Array(text.utf8), to: root + "/" + id + "/meta.yaml")
    }

    /// The active experiment called `name`: its id and artifact location.
    private static func findExperiment(named name: String, root: String) -> (String, String)? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for entry in entries.sorted() where !entry.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: root + "/" + entry + "/meta.yaml"),
                let meta = (try? Yams.load(yaml: String(decoding: data, as: UTF8.self))) as? [String: Any],
                meta["name"] as? String == name, (meta["lifecycle_stage"] as? String ?? "active") == "active"
            else { continue }
            let id = (meta["experiment_id"] as? String) ?? entry
            let location = (meta["artifact_location"] as? String) ?? fileURI(root + "/" + id)
            return (id, location)
        }
        return nil
    }

    // MARK: - Paths and YAML

    /// `file:///abs/path` (percent-encoded, no trailing slash), as MLflow writes local locations.
    static func fileURI(_ path: String) -> String {
        var uri = URL(fileURLWithPath: path, isDirectory: false).absoluteString
        while uri.hasSuffix("/") { uri.removeLast() }
        return uri
    }

    /// The local folder of a `file:` URI or plain path.
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for other schemes.
    static func localPath(ofLocation location: String) throws(VisBackendError) -> String {
        if location.hasPrefix("file:") {
            guard let url = URL(string: location), url.isFileURL else {
                throw .invalidArgument(argument: "artifact_location", expected: "a file: URI", actual: location)
            }
            return url.standardizedFileURL.path
        }
        if location.contains("://") {
            throw .invalidArgument(
                argument: "artifact_location",
                expected: "a local folder or file: URI for the offline store (remote stores need a tracking server)",
                actual: location)
        }
        return URL(fileURLWithPath: location).standardizedFileURL.path
    }

    /// A YAML scalar that reads back as the same string.
    static func yamlString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
