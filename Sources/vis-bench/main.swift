import Foundation
import Visualization

// vis-bench: times the library's workloads in this process and, when a Python with the anchor libraries is
// available (Scripts/bench-venv.sh makes .venv-bench), the same work done by MMEngine / OpenCV / Pillow /
// tensorboardX in the same run, and prints the ratios.
//
//   swift run -c release vis-bench [--json] [--filter SUBSTRING] [--python PATH | --no-anchors]
//   swift run -c release vis-bench --soak [--scalars N] [--images N] [--backends LIST]   (see Soak.swift)
//   swift run -c release vis-bench --filter tsne     (the t-SNE section: minutes; needs openTSNE in the venv)

/// Every workload, grouped by the module that owns it. Each group lives in its own `Workloads+*.swift` file.
let allWorkloads: [Workload] = [
    Workloads.core,
    Workloads.arrays,
    Workloads.draw,
    Workloads.text,
    Workloads.backends,
    Workloads.wandb,
    Workloads.mlflow,
    Workloads.visualizer,
    Workloads.tensorboard,
    Workloads.featmap,
    Workloads.datasample,
    Workloads.plot,
    Workloads.process,
    Workloads.selfsup,
].flatMap { $0 }

struct Options {
    var json = false
    var filter: String?
    var python: String?
    var anchors = true
    /// `--soak`: the soak run instead of the workloads.
    var soak: Soak.Settings?
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    while let argument = arguments.popFirst() {
        switch argument {
        case "--json": options.json = true
        case "--filter": options.filter = arguments.popFirst()
        case "--python": options.python = arguments.popFirst()
        case "--no-anchors": options.anchors = false
        case "--soak": options.soak = options.soak ?? Soak.Settings()
        case "--scalars", "--images":
            guard let value = arguments.popFirst().flatMap({ Int($0) }), value > 0 else {
                FileHandle.standardError.write(Data("vis-bench: \(argument) expects a positive integer\n".utf8))
                exit(64)
            }
            var soak = options.soak ?? Soak.Settings()
            if argument == "--scalars" { soak.scalars = value } else { soak.images = value }
            soak.window = min(soak.window, soak.scalars)
            options.soak = soak
        case "--backends":
            let names = (arguments.popFirst() ?? "").split(separator: ",").map(String.init)
            guard !names.isEmpty, names.allSatisfy(Soak.allBackends.contains) else {
                FileHandle.standardError.write(
                    Data("vis-bench: --backends expects a comma-separated subset of \(Soak.allBackends.joined(separator: ","))\n".utf8))
                exit(64)
            }
            var soak = options.soak ?? Soak.Settings()
            soak.backends = names
            options.soak = soak
        case "-h", "--help":
            print("usage: vis-bench [--json] [--filter SUBSTRING] [--python PATH | --no-anchors]")
            print("       vis-bench --soak [--scalars N (1000000)] [--images N (10000)] [--backends local,tensorboard,wandb,mlflow]")
            exit(0)
        default:
            FileHandle.standardError.write(Data("vis-bench: unknown argument `\(argument)`\n".utf8))
            exit(2)
        }
    }
    return options
}

func packageRoot() -> URL {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}

/// Runs `Scripts/bench/anchors.py`, which prints `{workload: {anchor: median_ms | "error text"}}`.
func runAnchors(python: String, context: BenchContext, names: [String]) -> [String: [String: AnchorResult]] {
    let script = packageRoot().appendingPathComponent("Scripts/bench/anchors.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script, "--workdir", context.workDirectory.path, "--workloads", names.joined(separator: ",")]
    let output = Pipe()
    process.standardOutput = output
    do {
        try process.run()
    } catch {
        FileHandle.standardError.write(Data("vis-bench: cannot run anchors with \(python): \(error)\n".utf8))
        return [:]
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
        FileHandle.standardError.write(Data("vis-bench: anchors printed no JSON\n".utf8))
        return [:]
    }
    return object.mapValues { anchors in
        anchors.mapValues { value in
            if let number = value as? Double { return .milliseconds(number) }
            return .unavailable(String(describing: value))
        }
    }
}

enum AnchorResult {
    case milliseconds(Double)
    case unavailable(String)
}

func format(_ milliseconds: Double) -> String {
    milliseconds >= 100 ? String(format: "%.1f", milliseconds) : String(format: "%.3f", milliseconds)
}

let options = parseOptions()
if let filter = options.filter, filter.hasPrefix("tsne") {
    // The t-SNE section (Workloads+TSNE.swift): one long fit per library, not the median-of-runs timer.
    TSNEBench.main(filter: filter, python: options.python, anchors: options.anchors)
    exit(0)
}
let workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("vis-bench-\(getpid())")
if let soak = options.soak {
    #if DEBUG
        print("warning: a debug build; run `swift run -c release vis-bench --soak` for real figures")
    #endif
    var succeeded = false
    do {
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        succeeded = try Soak.run(soak, in: workDirectory)
    } catch {
        FileHandle.standardError.write(Data("vis-bench: soak: \(error)\n".utf8))
    }
    try? FileManager.default.removeItem(at: workDirectory)
    exit(succeeded ? 0 : 1)
}
do {
    try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: workDirectory) }
    let context = BenchContext(workDirectory: workDirectory, scene: try BenchContext.makeScene())
    try context.scene.writePNG(to: workDirectory.appendingPathComponent("scene-1333x800.png").path)

    let selected = allWorkloads.filter { workload in options.filter.map { workload.name.contains($0) } ?? true }
    var results: [Measurement] = []
    for workload in selected {
        let body: () throws -> Void
        do {
            body = try workload.prepare(context)
        } catch let error as BenchSetupError {
            // A workload whose tool is missing is reported and skipped; the others still run.
            FileHandle.standardError.write(Data("  \(workload.name): skipped: \(error)\n".utf8))
            continue
        }
        let (median, runs) = try Timer.median { try body() }
        results.append(Measurement(name: workload.name, summary: workload.summary, medianMilliseconds: median, runs: runs))
        if !options.json {
            FileHandle.standardError.write(Data("  \(workload.name): \(format(median)) ms (\(runs) runs)\n".utf8))
        }
    }

    var anchors: [String: [String: AnchorResult]] = [:]
    if options.anchors {
        let python = options.python ?? packageRoot().appendingPathComponent(".venv-bench/bin/python").path
        if FileManager.default.isExecutableFile(atPath: python) {
            anchors = runAnchors(python: python, context: context, names: results.map(\.name))
        } else if !options.json {
            print("(no anchors: \(python) not found; run Scripts/bench-venv.sh or pass --python)")
        }
    }

    if options.json {
        var object: [String: Double] = [:]
        for result in results { object[result.name] = result.medianMilliseconds }
        for (workload, milliseconds, _) in ProcessCPUTimes.medians { object["\(workload)@cpu"] = milliseconds }
        for (name, perAnchor) in anchors {
            for (anchor, result) in perAnchor {
                if case .milliseconds(let value) = result { object["\(name)@\(anchor)"] = value }
            }
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        print(String(decoding: data, as: UTF8.self))
    } else {
        print("workload | swift ms | anchor | anchor ms | anchor/swift")
        print("---|---:|---|---:|---:")
        for result in results {
            let perAnchor = anchors[result.name] ?? [:]
            if perAnchor.isEmpty {
                print("\(result.name) | \(format(result.medianMilliseconds)) | – | – | –")
            }
            for (anchor, value) in perAnchor.sorted(by: { $0.key < $1.key }) {
                switch value {
                case .milliseconds(let ms):
                    let ratio = ms / max(result.medianMilliseconds, 1e-9)
                    print("\(result.name) | \(format(result.medianMilliseconds)) | \(anchor) | \(format(ms)) | \(String(format: "%.1f×", ratio))")
                case .unavailable(let reason):
                    print("\(result.name) | \(format(result.medianMilliseconds)) | \(anchor) | n/a (\(reason)) | –")
                }
            }
        }
        for (workload, milliseconds, runs) in ProcessCPUTimes.medians {
            print("\(workload): CPU time (user + system) of the process, median of \(runs): \(format(milliseconds)) ms")
        }
        print("feature-map kernels: \(FeatmapPipeline.vectorKernelsAvailable ? "vector (CVisKernels)" : "portable Swift twins")")
        #if DEBUG
        print("warning: a debug build; run `swift run -c release vis-bench` for real figures")
        #endif
    }
} catch {
    FileHandle.standardError.write(Data("vis-bench: \(error)\n".utf8))
    exit(1)
}
