import ArgumentParser
import Foundation
import VisTools

/// `vis plot RUN... --keys KEY... --out OUT.png|OUT.svg`: training curves of any run kind, and their summary.
struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Plot training curves of LocalVisBackend, MMEngine, TensorBoard and W&B runs, or summarise them.",
        discussion: """
            Each RUN is a LocalVisBackend scalars.json or vis_data folder, an MMEngine runner log \
            (vis_data/<timestamp>.json, or the work dir holding it), a TensorBoard log directory (every run below \
            it) or event file, or a W&B offline run directory (offline-run-*, or the folder holding them).

            --summary prints, per run and key, the count, first and last step, minimum and maximum with their \
            steps and the last value, and for MMEngine runner logs the average time per iteration as \
            analyze_logs.py cal_train_time computes it plus the total it implies. Its JSON is {"runs": [{"run", \
            "keys": {KEY: {"count", "first_step", "last_step", "min", "min_step", "max", "max_step", "last"}}}]} \
            (and "train_time" for runner logs); NaN and infinities are written as null with a "<field>_nonfinite" \
            marker ("nan", "inf" or "-inf").

            Exit status: 0 on success, 64 for usage errors, 1 when a run cannot be read or lacks a key.
            """)

    enum XAxis: String, ExpressibleByArgument, CaseIterable {
        case step, epoch, wall
    }

    enum Layout: String, ExpressibleByArgument, CaseIterable {
        case one, grid
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Runs to read (see the discussion for the kinds).")
    var runs: [String]

    @Option(parsing: .upToNextOption, help: "The scalar keys to plot or summarise, e.g. --keys loss accuracy/top1.")
    var keys: [String]

    @Option(help: "The figure file: .png or .svg. Needed unless --summary.")
    var out: String?

    @Option(
        parsing: .upToNextOption,
        help: "Legend names: one per run (the key is appended when there are several keys) or one per curve.")
    var legend: [String] = []

    @Option(
        help: """
            The x axis: step, epoch (MMEngine's 1-based epochs: the points of epoch e spread over (e-1, e]) or wall \
            (time since the run's first point).
            """)
    var x: XAxis = .step

    @Option(
        parsing: .unconditional,
        help: "TensorBoard's smoothing weight in [0, 1); the raw curve stays faint behind the smoothed one.")
    var smooth: Double = 0

    @Flag(help: "A logarithmic y axis.")
    var logY = false

    @Option(help: "The figure title.")
    var title: String?

    @Option(parsing: .unconditional, help: "The figure size in inches, W,H.")
    var size: String = "6.4,4.8"

    @Option(parsing: .unconditional, help: "Dots per inch of a PNG (SVG sizes follow it too).")
    var dpi: Double = 100

    @Option(help: "one: every curve in one axes; grid: one axes per key.")
    var layout: Layout = .one

    @Flag(help: "Print a summary of each run's keys (with --out, the figure is written too).")
    var summary = false

    @Option(help: "The summary's format: text or json.")
    var format: Format = .text

    @Flag(help: "Average every train line's time per epoch, the first one of each epoch included (--summary).")
    var includeOutliers = false

    func validate() throws {
        guard out != nil || summary else {
            throw ValidationError("--out is required (a .png or .svg file) unless --summary is given")
        }
        if let out {
            let pathExtension = (out as NSString).pathExtension.lowercased()
            guard pathExtension == "png" || pathExtension == "svg" else {
                throw ValidationError("--out `\(out)` must end in .png or .svg")
            }
        }
        guard !keys.isEmpty else { throw ValidationError("--keys needs at least one key, e.g. --keys loss") }
        guard smooth >= 0, smooth < 1 else {
            throw ValidationError("--smooth must be in [0, 1) (TensorBoard's smoothing weight), got \(smooth)")
        }
        guard dpi.isFinite, dpi >= 10, dpi <= 1200 else {
            throw ValidationError("--dpi must be a number in 10...1200, got \(dpi)")
        }
        let (width, height) = try figureSize()
        guard width * dpi <= 20_000, height * dpi <= 20_000 else {
            throw ValidationError("--size \(size) at --dpi \(dpi) exceeds 20000 pixels on a side")
        }
        if format == .json && !summary {
            throw ValidationError("--format applies to --summary; add --summary")
        }
    }

    func figureSize() throws -> (Double, Double) {
        let parts = size.split(separator: ",", omittingEmptySubsequences: false).map {
            Double($0.trimmingCharacters(in: .whitespaces))
        }
        guard parts.count == 2, let width = parts[0], let height = parts[1], width.isFinite, height.isFinite,
            width > 0, height > 0
        else {
            throw ValidationError("--size must be two positive numbers of inches W,H, e.g. --size 8,4.5; got `\(size)`")
        }
        return (width, height)
    }

    func run() throws {
        let curves: [CurveRun]
        do {
            curves = try Curves.readRuns(atPaths: runs)
        } catch {
            throw CommandFailure(error.description)
        }
        let (width, height) = try figureSize()
        var options = CurvePlotOptions(
            keys: keys, xAxis: CurveXAxis(rawValue: x.rawValue) ?? .step, smoothing: smooth, logY: logY,
            title: title, width: width, height: height, dpi: dpi, layout: layout == .grid ? .grid : .one)
        do {
            options.labels = try options.labels(for: curves, legend: legend)
        } catch {
            throw ValidationError("--legend needs \(Self.expected(error))")
        }
        for run in curves {
            for key in keys {
                do {
                    _ = try run.points(of: key)
                } catch {
                    throw CommandFailure(error.description)
                }
            }
        }
        // The figure first: a figure that cannot be drawn leaves no summary half-printed.
        var written: [String] = []
        if let out {
            do {
                try Curves.plot(curves, options: options, to: out)
            } catch let error as CurvesError {
                if case .invalidArgument(let argument, let expected, let actual) = error, argument == "axis" {
                    throw CommandFailure("--x \(x.rawValue) needs \(expected); \(actual)")
                }
                throw CommandFailure(error.description)
            } catch {
                throw CommandFailure(describing: error)
            }
            written.append(out)
        }
        if summary {
            let report: CurveReport
            do {
                report = try CurveReport(runs: curves, keys: keys, includeOutliers: includeOutliers)
            } catch {
                throw CommandFailure(error.description)
            }
            FileHandle.standardOutput.write(Data((format == .json ? report.json : report.text).utf8))
        }
        // The JSON summary owns standard output; where the figure went is then said on standard error.
        CommandOutput.report("plot", wrote: written, onStandardError: summary && format == .json)
    }

    private static func expected(_ error: CurvesError) -> String {
        if case .invalidArgument(_, let expected, let actual) = error { return "\(expected), got \(actual)" }
        return error.description
    }
}
