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

    func run() throws {
        let wanted = tags.map {
            Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let wanted, wanted.isEmpty {
            throw ValidationError("--tags needs at least one tag name, e.g. --tags loss,acc")
        }
        let runs = try TensorboardLogDirectory.runs(in: logDirectory)
        guard !runs.isEmpty else {
            throw TensorboardCommandError(
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
                throw TensorboardCommandError(
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
                output +=
                    "  {\"run\": \(Self.jsonString(run)), \"tag\": \(Self.jsonString(scalar.tag)), \"step\": \(scalar.step), "
                    + "\"wall_time\": \(Self.jsonNumber(scalar.wallTime)), \"value\": \(Self.jsonNumber(scalar.value))}"
                output += index + 1 < rows.count ? ",\n" : "\n"
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

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// A JSON number; NaN and infinities as Python's `json` writes them.
    static func jsonNumber(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return "\(value)"
    }
}

/// A failure of `vis tb` with a message for the user.
struct TensorboardCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `vis tb-write-loop LOGDIR` (hidden): logs scalar `loss` = step / 2 at steps 0, 1, 2, … with a
/// ``TensorboardWriter``, calls `flush()` every `--flush-every` steps and then prints `flushed <steps>` (the
/// number of steps now in the file). The crash-safety test kills it with SIGKILL mid-run.
struct TensorboardWriteLoopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tb-write-loop", abstract: "Test helper: log scalars in a loop.", shouldDisplay: false)

    @Argument(help: "The run directory.")
    var logDirectory: String

    @Option(help: "Steps to log; 0 logs until killed.")
    var count: Int = 0

    @Option(help: "Call flush() after every this many steps.")
    var flushEvery: Int = 1000

    @Option(help: "The writer's periodic flush interval in seconds.")
    var flushInterval: Double = 0.1

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more") }
        guard flushEvery > 0 else { throw ValidationError("--flush-every must be at least 1") }
    }

    func run() throws {
        let writer = try TensorboardWriter(logDirectory: logDirectory, flushInterval: flushInterval)
        var step = 0
        while count == 0 || step < count {
            try writer.addScalar("loss", Double(step) / 2, step: step)
            step += 1
            if step % flushEvery == 0 {
                writer.flush()
                FileHandle.standardOutput.write(Data("flushed \(step)\n".utf8))
            }
        }
        writer.close()
        FileHandle.standardOutput.write(Data("closed \(step)\n".utf8))
    }
}
