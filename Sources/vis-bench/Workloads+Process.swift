import Foundation
import Visualization

/// Runs the `vis` executable built beside this one (same configuration) with `arguments`, and waits for it: a whole
/// process, start-up and exit included, as `/usr/bin/time` counts it.
private struct VisProcess {
    let executable: URL
    /// The workload whose children's CPU times ``ProcessCPUTimes`` collects.
    let workload: String

    init(workload: String) throws {
        self.workload = workload
        let directory = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]))
            .deletingLastPathComponent()
        executable = directory.appendingPathComponent("vis")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw BenchSetupError(message: "no `vis` beside vis-bench at \(executable.path): build both (swift build -c release)")
        }
        Self.warnIfOlder(executable, than: directory.appendingPathComponent("vis-bench"))
    }

    /// `swift build --product vis-bench` (and `swift run vis-bench`) relinks only the bench, so a `vis` left from an
    /// earlier build would be timed with the libraries of back then: say so once per run.
    private static func warnIfOlder(_ vis: URL, than bench: URL) {
        let warned = Self.warnedAboutAge.withLock { warned -> Bool in
            defer { warned = true }
            return warned
        }
        guard !warned,
            let visDate = (try? FileManager.default.attributesOfItem(atPath: vis.path))?[.modificationDate] as? Date,
            let benchDate = (try? FileManager.default.attributesOfItem(atPath: bench.path))?[.modificationDate] as? Date,
            visDate < benchDate
        else { return }
        FileHandle.standardError.write(Data(
            "warning: \(vis.path) is older than vis-bench; if the libraries changed since, rebuild it first (swift build -c release --product vis)\n".utf8))
    }

    private static let warnedAboutAge = LockedValue(false)

    func run(_ arguments: [String]) throws {
        let before = ProcessCPUTimes.childrenCPUSeconds()
        let status = try Self.spawnAndWait(executable.path, arguments: arguments)
        // Only this thread starts children while a workload runs, so the difference is this child's.
        let seconds = ProcessCPUTimes.childrenCPUSeconds() - before
        ProcessCPUTimes.samples.withLock { $0[workload, default: []].append(seconds * 1000) }
        guard status == 0 else {
            throw BenchSetupError(message: "vis \(arguments.joined(separator: " ")) exited with \(status)")
        }
    }

    /// Starts `path` with `arguments` (output to /dev/null, this process's environment) and blocks in `waitpid`
    /// until it exits; its exit status, or 128 + the signal that ended it. Not Foundation's `Process`: on Linux its
    /// `waitUntilExit` polls a run loop every 50 ms, which rounded each timed child up to about a multiple of that
    /// (`vis convert` measured 52 or 101 ms depending on what ran before it).
    private static func spawnAndWait(_ path: String, arguments: [String]) throws -> Int32 {
        #if os(Linux)
        var actions = posix_spawn_file_actions_t()
        #else
        var actions: posix_spawn_file_actions_t? = nil
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            environment.forEach { free($0) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, environment)
        guard spawned == 0 else {
            throw BenchSetupError(message: "could not start \(path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw BenchSetupError(message: "waitpid for \(path) failed: errno \(errno)") }
        }
        // WIFEXITED / WEXITSTATUS: the low 7 bits are the terminating signal, 0 for a normal exit.
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// The user + system CPU time of each `vis` process a workload ran, as `/usr/bin/time` reports it: on a loaded
/// machine the wall-clock median includes time spent waiting for a core, the CPU time does not.
enum ProcessCPUTimes {
    static let samples = LockedValue<[String: [Double]]>([:])

    /// The medians in milliseconds, by workload.
    static var medians: [(workload: String, milliseconds: Double, runs: Int)] {
        samples.withLock { $0 }.sorted { $0.key < $1.key }.map { workload, values in
            let sorted = values.sorted()
            let middle = sorted.count / 2
            let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
            return (workload, median, sorted.count)
        }
    }

    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

struct BenchSetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension Workloads {
    /// The `vis` command line end to end: one process per run, reading the scene's PNG and writing a PNG.
    static let process: [Workload] = [
        visWorkload(
            name: "process.vis_draw.100boxes_labels.png.1333x800",
            summary: "`vis draw` of 100 boxes and 100 labelled text boxes on the scene's PNG, PNG out (whole process)"
        ) { context in
            let directory = context.workDirectory
            let ops = directory.appendingPathComponent("draw-100-boxes.json")
            try drawOperations(width: context.scene.width, height: context.scene.height, boxCount: 100).write(to: ops)
            return [
                "draw", "--image", directory.appendingPathComponent("scene-1333x800.png").path, "--ops", ops.path,
                "--out", directory.appendingPathComponent("draw-100-boxes.png").path,
            ]
        },
        visWorkload(
            name: "process.vis_convert.png.1333x800", summary: "`vis convert scene.png out.png` (whole process)"
        ) { context in
            let directory = context.workDirectory
            return [
                "convert", directory.appendingPathComponent("scene-1333x800.png").path,
                directory.appendingPathComponent("convert-out.png").path,
            ]
        },
    ]

    /// A workload that runs `vis` with the arguments `prepare` returns (after writing the inputs they name).
    private static func visWorkload(
        name: String, summary: String, prepare: @escaping @Sendable (BenchContext) throws -> [String]
    ) -> Workload {
        Workload(name: name, summary: summary) { context in
            let vis = try VisProcess(workload: name)
            let arguments = try prepare(context)
            return { try vis.run(arguments) }
        }
    }

    /// A `vis draw` ops file: `boxCount` boxes in COCO palette colours (line width 3) and one label per box on
    /// MMDetection's black label box, the geometry drawn from a fixed seed.
    private static func drawOperations(width: Int, height: Int, boxCount: Int) throws -> Data {
        var generator = BenchRandom(state: 7)
        var boxes: [[Double]] = []
        var colors: [[Int]] = []
        var texts: [String] = []
        var positions: [[Double]] = []
        let palette = ColorPalette.coco.colors
        for index in 0..<boxCount {
            let box = generator.box(width: width, height: height)
            boxes.append(box)
            let color = palette[index % palette.count]
            colors.append([Int(color.red), Int(color.green), Int(color.blue)])
            texts.append("class_\(index % 80): \(Int(31 + generator.unit() * 69)).0")
            positions.append([box[0] + 3, box[1] + 3])
        }
        let calls: [[String: Any]] = [
            ["op": "draw_bboxes", "bboxes": boxes, "edge_colors": colors, "line_widths": 3, "alpha": 0.8],
            [
                "op": "draw_texts", "texts": texts, "positions": positions, "colors": [200, 200, 200], "font_sizes": 13,
                "bboxes": ["facecolor": "black", "alpha": 0.8, "pad": 0.7, "edgecolor": "none"],
            ],
        ]
        return try JSONSerialization.data(withJSONObject: calls)
    }
}
