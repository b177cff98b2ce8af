import ArgumentParser
import Foundation
import Visualization

/// `vis tb LOGDIR`: prints the scalars of every TensorBoard run under a log directory.
struct TensorboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tb",
        abstract: "Print the scalars of every TensorBoard run (event file folder) under a log directory.",
        discussion: """
            A run is a directory holding `*tfevents*` files; its name is the directory relative to LOGDIR \
            (`.` for LOGDIR itself). Rows are printed run by run, in file order. A truncated last record \
            (a writer still running, or killed) is skipped; a damaged record is an error.

            JSON has no NaN or infinity: in --format json a non-finite value is written as `"value": null` \
            followed by `"nonfinite": "nan"`, `"inf"` or `"-inf"` (a non-finite wall time as null). CSV writes \
            them as nan, inf and -inf.
            """)

    /// The output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv
        case json
    }

    @Argument(help: "A TensorBoard log directory, or one event file.")
    var logDirectory: String

    @Option(help: "Only these tags (comma-separated, exact names).")
    var tags: String?

    @Option(help: "csv (run,tag,step,wall_time,value) or json (an array of objects with those keys).")
    var format: Format = .csv

    /// The tag names of `--tags`.
    private var wantedTags: Set<String>? {
        tags.map {
            Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }

    func validate() throws {
        if let wanted = wantedTags, wanted.isEmpty {
            throw ValidationError("--tags needs at least one tag name, e.g. --tags loss,acc")
        }
    }

    func run() throws {
        let wanted = wantedTags
        let runs = try TensorboardLogDirectory.runs(in: logDirectory)
        guard !runs.isEmpty else {
            throw CommandFailure(
                "no TensorBoard event files (names containing `tfevents`) under \(logDirectory)")
        }
        var rows: [(run: String, scalar: TensorboardEventFile.Scalar)] = []
        var seenTags = Set<String>()
        for run in runs {
            for path in run.files {
                for scalar in try TensorboardEventFile(contentsOf: path).scalars {
                    seenTags.insert(scalar.tag)
                    if wanted?.contains(scalar.tag) ?? true { rows.append((run.name, scalar)) }
                }
            }
        }
        if let wanted {
            let missing = wanted.subtracting(seenTags).sorted()
            if !missing.isEmpty {
                throw CommandFailure(
                    "no scalars tagged \(missing.joined(separator: ", ")) under \(logDirectory); "
                        + "scalar tags found: \(seenTags.isEmpty ? "none" : seenTags.sorted().joined(separator: ", "))")
            }
        }
        var output = ""
        switch format {
        case .csv:
            output += "run,tag,step,wall_time,value\n"
            for (run, scalar) in rows {
                output +=
                    "\(Self.csvField(run)),\(Self.csvField(scalar.tag)),\(scalar.step),\(scalar.wallTime),\(scalar.value)\n"
            }
        case .json:
            output += "[\n"
            for (index, (run, scalar)) in rows.enumerated() {
                output += "  {\"run\": \(JSONText.string(run)), \"tag\": \(JSONText.string(scalar.tag)), "
                output += "\"step\": \(scalar.step), \"wall_time\": \(Self.jsonNumber(scalar.wallTime)), "
                output += "\"value\": \(Self.jsonNumber(scalar.value))"
                if let marker = JSONText.nonfiniteMarker(scalar.value) { output += ", \"nonfinite\": \"\(marker)\"" }
                output += index + 1 < rows.count ? "},\n" : "}\n"
            }
            output += "]\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A JSON number, or `null` for NaN and infinities, which JSON cannot write (`JSONText.nonfiniteMarker`
    /// says which it was).
    static func jsonNumber(_ value: Double) -> String {
        value.isFinite ? JSONText.number(value) : "null"
    }
}
