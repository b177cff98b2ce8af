import Foundation
import Testing
import VisCore
import VisTestSupport

/// The rules every `vis` command keeps: negative numbers are values, usage errors exit 64 with a usage line and
/// data or I/O errors exit 1 without one, errors name CLI flags and read as sentences (no Foundation dumps).
@Suite("vis command-line conventions")
struct CommandLineConventionTests {
    typealias Result = (status: Int32, stdout: String, stderr: String)

    static func vis(_ arguments: [String]) throws -> Result {
        try TestSupport.runCapturing(
            try TestSupport.productPath("vis"), arguments: arguments, environment: ["WANDB_MODE": "offline"])
    }

    static let featmapReference = TestSupport.packageRoot
        .appendingPathComponent("Tests/VisualizationTests/FeatmapReferences/feat_8x12x16.npy").path

    /// Inputs for every command: images, feature maps, a data sample with its metadata (`DatasampleCommandTests`).
    struct Workspace {
        let directory: URL
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        static func make() throws -> Workspace {
            let workspace = Workspace(directory: try DatasampleCommandTests.workspace())
            try Image(width: 16, height: 12, layout: .rgba, fill: [10, 20, 30, 255]).writePNG(
                to: workspace.path("rgba.png"))
            let values = (0..<(3 * 6 * 8)).map { Float($0 % 11) }
            try NDArray(values, shape: [3, 6, 8]).writeNPY(to: workspace.path("feat3.npy"))
            // A reconstruction's inputs: MAE patch predictions for a 32×32 input with 16-pixel patches, and its mask.
            try NDArray([Float](repeating: 0.5, count: 4 * 768), shape: [4, 768]).writeNPY(to: workspace.path("pred.npy"))
            try NDArray([Float](arrayLiteral: 0, 1, 1, 0), shape: [2, 2]).writeNPY(to: workspace.path("mask.npy"))
            try Data("classes: 5\n".utf8).write(to: workspace.directory.appendingPathComponent("bad-meta.yaml"))
            try Data("[]".utf8).write(to: workspace.directory.appendingPathComponent("ops.json"))
            try Data("not a file system".utf8).write(to: workspace.directory.appendingPathComponent("file"))
            let run = workspace.directory.appendingPathComponent("run")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            try Data("{\"loss\": 1.5, \"step\": 1}\n".utf8).write(to: run.appendingPathComponent("scalars.json"))
            return workspace
        }

        func datasample(_ options: [String]) -> [String] {
            ["datasample", "--image", path("image.png"), "--sample", path("sample.json")] + options
        }
    }

    static func withWorkspace(_ body: (Workspace) throws -> Void) throws {
        let workspace = try Workspace.make()
        defer { try? FileManager.default.removeItem(at: workspace.directory) }
        try body(workspace)
    }

    /// Every option of every command, numeric or not; a new option fails ``everyOptionIsClassified()`` until it is
    /// listed here (and, if numeric, given `.unconditional` parsing and a case in ``negativeNumbersAreValues()``).
    static let numericOptions: [String: Set<String>] = [
        "featmap": ["topk", "alpha", "resize", "arrangement"], "convert": ["quality", "compression-level"],
        "datasample": ["score-thr"], "demo": ["steps"], "plot": ["smooth", "size", "dpi"],
        "reconstruct": ["mask-ratio", "patch-size", "input-size", "seed"],
        "browse": ["show-interval", "limit", "seed"],
        "tsne": [
            "max-num-class", "n-components", "perplexity", "early-exaggeration", "learning-rate", "n-iter",
            "n-iter-without-progress", "seed",
        ],
    ]
    static let otherOptions: [String: Set<String>] = [
        "demo": ["out", "backends"], "draw": ["image", "ops", "out"], "datasample": ["image", "sample", "meta", "task", "out"],
        "featmap": ["image", "reduction", "colormap", "out"], "convert": [], "tb": ["tags", "format"],
        "plot": ["keys", "out", "legend", "x", "title", "layout", "format"],
        "reconstruct": ["image", "pred", "mask", "out", "save-panels"],
        "browse": ["pipeline", "config", "output-dir", "views", "data-root"],
        "tsne": ["labels", "work-dir", "init", "method"],
    ]

    @Test("every option of every command is listed as numeric or not; the commands are the shipped ones")
    func everyOptionIsClassified() throws {
        let dump = try Self.vis(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let command = try #require(root["command"] as? [String: Any])
        let subcommands = try #require(command["subcommands"] as? [[String: Any]])
        var found: [String: Set<String>] = [:]
        for subcommand in subcommands {
            let name = try #require(subcommand["commandName"] as? String)
            guard name != "help" else { continue }
            let arguments = subcommand["arguments"] as? [[String: Any]] ?? []
            found[name] = Set(
                arguments.filter { $0["kind"] as? String == "option" }.compactMap { $0["valueName"] as? String })
        }
        #expect(Set(found.keys) == ["demo", "draw", "datasample", "featmap", "convert", "tb", "plot", "reconstruct", "browse", "tsne"])
        for (name, options) in found {
            let listed = (Self.numericOptions[name] ?? []).union(Self.otherOptions[name] ?? [])
            #expect(options == listed, "vis \(name)")
        }
    }

    @Test("negative numbers parse as values for every numeric option (`--topk -1` as `--topk=-1`)")
    func negativeNumbersAreValues() throws {
        try Self.withWorkspace { workspace in
            var covered: [String: Set<String>] = [:]
            /// Runs `arguments` (with `option` given a negative value) and expects `status` and, on stderr, `message`.
            func check(_ command: String, _ option: String, _ arguments: [String], status: Int32, message: String = "")
                throws
            {
                covered[command, default: []].insert(option)
                let result = try Self.vis([command] + arguments)
                #expect(result.status == status, "vis \(command) --\(option): \(result.stderr)")
                #expect(!result.stderr.contains("Missing value"), "vis \(command) --\(option): \(result.stderr)")
                if !message.isEmpty {
                    #expect(result.stderr.contains(message), "vis \(command) --\(option): \(result.stderr)")
                }
            }
            /// The same command with `--option=value`, which always parsed, writes the same image.
            func sameAsEqualsForm(_ arguments: [String], option: String, value: String) throws {
                let separate = try Self.vis(
                    arguments + ["--\(option)", value, "--out", workspace.path("separate.png")])
                let joined = try Self.vis(arguments + ["--\(option)=\(value)", "--out", workspace.path("joined.png")])
                #expect(separate.status == 0 && joined.status == 0, "\(separate.stderr)\(joined.stderr)")
                #expect(
                    try Image(contentsOfFile: workspace.path("separate.png"))
                        == (try Image(contentsOfFile: workspace.path("joined.png"))))
            }

            try check(
                "featmap", "topk",
                [workspace.path("feat3.npy"), "--reduction", "none", "--topk", "-1", "--out", workspace.path("a.png")],
                status: 0)
            try sameAsEqualsForm(
                ["featmap", workspace.path("feat3.npy"), "--reduction", "none"], option: "topk", value: "-1")
            try check(
                "featmap", "alpha", [Self.featmapReference, "--alpha", "-0.5", "--out", workspace.path("a.png")],
                status: 0)
            try sameAsEqualsForm(["featmap", Self.featmapReference], option: "alpha", value: "-0.5")
            try check(
                "featmap", "resize", [Self.featmapReference, "--resize", "-5,-5", "--out", workspace.path("a.png")],
                status: 64, message: "--resize must be two positive integers H,W")
            try check(
                "featmap", "arrangement",
                [
                    Self.featmapReference, "--reduction", "none", "--arrangement", "-2,3", "--out",
                    workspace.path("a.png"),
                ],
                status: 64, message: "--arrangement must be two positive integers ROWS,COLS")
            try check(
                "convert", "quality", [workspace.path("image.png"), workspace.path("a.jpg"), "--quality", "-5"],
                status: 64, message: "--quality must be in 1...100, got -5")
            try check(
                "convert", "compression-level",
                [workspace.path("image.png"), workspace.path("a.png"), "--compression-level", "-1"],
                status: 64, message: "--compression-level must be in 0...9, got -1")
            try check(
                "datasample", "score-thr",
                Array(workspace.datasample(["--score-thr", "-1", "--out", workspace.path("a.png")]).dropFirst()),
                status: 0)
            try sameAsEqualsForm(workspace.datasample([]), option: "score-thr", value: "-1")
            try check(
                "demo", "steps", ["--out", workspace.path("demo"), "--steps", "-3"], status: 64,
                message: "--steps must be in 1...100000, got -3")
            let plot = [workspace.path("run"), "--keys", "loss", "--out", workspace.path("a.png")]
            try check("plot", "smooth", plot + ["--smooth", "-0.5"], status: 64, message: "--smooth must be in [0, 1)")
            try check("plot", "size", plot + ["--size", "-1,2"], status: 64, message: "--size must be two positive")
            try check("plot", "dpi", plot + ["--dpi", "-5"], status: 64, message: "--dpi must be a number in 10...1200")
            let reconstruct = [
                "reconstruct", "--image", workspace.path("image.png"), "--pred", workspace.path("pred.npy"), "--out",
                workspace.path("r.png"),
            ]
            try check(
                "reconstruct", "mask-ratio", Array(reconstruct.dropFirst()) + ["--mask-ratio", "-0.5"], status: 64,
                message: "--mask-ratio must be in [0, 1), got -0.5")
            for (option, message) in [
                ("patch-size", "--patch-size must be positive, got -16"),
                ("input-size", "--input-size must be a positive multiple of --patch-size"),
                ("seed", "--seed must be non-negative, got -16"),
            ] {
                try check(
                    "reconstruct", option,
                    Array(reconstruct.dropFirst()) + ["--mask-ratio", "0.75", "--\(option)", "-16"], status: 64,
                    message: message)
            }
            for (option, message) in [
                ("max-num-class", "--max-num-class must be at least 1, got -1"),
                ("n-components", "--n-components must be at least 1, got -1"),
                ("perplexity", "--perplexity must be a positive number, got -1.0"),
                ("early-exaggeration", "--early-exaggeration must be a number >= 1, got -1.0"),
                ("learning-rate", "--learning-rate must be a positive number or `auto`, got `-1`"),
                ("n-iter", "--n-iter must be at least 250, got -1"),
                ("n-iter-without-progress", "--n-iter-without-progress must be >= 0, got -1"),
                ("seed", "--seed must be >= 0, got -1"),
            ] {
                try check(
                    "tsne", option, [Self.featmapReference, "--work-dir", workspace.path("tsne"), "--\(option)", "-1"],
                    status: 64, message: message)
            }
            let browse = ["browse", workspace.directory.path, "--output-dir", workspace.path("browse"), "--not-show"]
            for (option, message) in [
                ("show-interval", "--show-interval must be a non-negative number of seconds, got -1.0"),
                ("limit", "--limit must be at least 1, got -1"), ("seed", "--seed must be non-negative, got -1"),
            ] {
                try check("browse", option, Array(browse.dropFirst()) + ["--\(option)", "-1"], status: 64, message: message)
            }
            #expect(covered == Self.numericOptions, "every numeric option has a case")
        }
    }

    /// A command line, the exit status it must have, and what stderr must say.
    struct ExitCase {
        let arguments: [String]
        let status: Int32
        let message: String
    }

    static func exitCases(_ workspace: Workspace) -> [ExitCase] {
        let out = workspace.path("out.png")
        let usage: [ExitCase] = [
            .init(
                arguments: [
                    "draw", "--image", workspace.path("image.png"), "--ops", workspace.path("ops.json"), "--out",
                    workspace.path("o.bmp"),
                ], status: 64, message: "--out"),
            .init(
                arguments: ["featmap", Self.featmapReference, "--out", workspace.path("o.bmp")], status: 64,
                message: "--out"),
            .init(arguments: workspace.datasample(["--out", workspace.path("o.bmp")]), status: 64, message: "--out"),
            .init(
                arguments: ["convert", workspace.path("image.png"), workspace.path("o.bmp")], status: 64,
                message: "must end in"),
            .init(
                arguments: ["demo", "--out", workspace.path("demo"), "--steps", "0"], status: 64, message: "--steps"),
            .init(arguments: ["tb", workspace.directory.path, "--tags", ","], status: 64, message: "--tags"),
            .init(arguments: ["tb", workspace.directory.path, "--format", "xml"], status: 64, message: "--format"),
            .init(
                arguments: ["featmap", Self.featmapReference, "--out", out, "--no-such-option"], status: 64,
                message: "--no-such-option"),
            .init(arguments: ["plot", workspace.path("run"), "--keys", "loss"], status: 64, message: "--out"),
            .init(arguments: ["browse", workspace.directory.path, "--not-show"], status: 64, message: "--output-dir"),
        ]
        let data: [ExitCase] = [
            .init(
                arguments: [
                    "draw", "--image", workspace.path("nope.png"), "--ops", workspace.path("ops.json"), "--out", out,
                ], status: 1, message: "--image"),
            .init(arguments: ["featmap", workspace.path("nope.npy"), "--out", out], status: 1, message: "nope.npy"),
            .init(
                arguments: ["featmap", Self.featmapReference, "--image", workspace.path("nope.png"), "--out", out],
                status: 1, message: "--image: I/O error on"),
            .init(
                arguments: workspace.datasample(["--meta", workspace.path("nope.yaml"), "--out", out]), status: 1,
                message: "--meta"),
            .init(arguments: ["convert", workspace.path("nope.png"), out], status: 1, message: "nope.png"),
            .init(arguments: ["tb", workspace.path("nope")], status: 1, message: "nope"),
            .init(arguments: ["tb", workspace.directory.path], status: 1, message: "no TensorBoard event files"),
            .init(arguments: ["plot", workspace.path("nope"), "--keys", "loss", "--out", out], status: 1, message: "nope"),
            .init(
                arguments: ["plot", workspace.path("run"), "--keys", "lr", "--out", out], status: 1,
                message: "its keys are: loss"),
            .init(
                arguments: ["demo", "--out", workspace.path("file"), "--steps", "2"], status: 1,
                message: "I/O error on \(workspace.path("file")): File exists"),
            .init(
                arguments: ["demo", "--out", workspace.path("file/run"), "--steps", "2"], status: 1,
                message: "I/O error on \(workspace.path("file/run")): \(workspace.path("file")) is not a directory"),
            .init(
                arguments: ["browse", workspace.path("nope"), "--output-dir", workspace.path("b"), "--not-show"],
                status: 1, message: "\(workspace.path("nope")): no such file or directory"),
            .init(
                arguments: ["browse", workspace.directory.path, "--output-dir", workspace.path("file"), "--not-show"],
                status: 1, message: "--output-dir: I/O error on \(workspace.path("file")): File exists"),
        ]
        return usage + data
    }

    @Test("usage errors exit 64 with a usage line, data and I/O errors exit 1 without one, in every command")
    func exitCodes() throws {
        try Self.withWorkspace { workspace in
            for exitCase in Self.exitCases(workspace) {
                let result = try Self.vis(exitCase.arguments)
                let line = "vis \(exitCase.arguments.joined(separator: " ")): \(result.stderr)"
                #expect(result.status == exitCase.status, "\(line)")
                #expect(result.stderr.contains(exitCase.message), "\(line)")
                #expect(result.stderr.contains("Usage: vis") == (exitCase.status == 64), "\(line)")
                #expect(!result.stderr.contains("Domain="), "no Foundation error dump: \(line)")
            }
        }
    }

    @Test("every command that writes a file says where it went: `<command>: PATH` on standard output")
    func commandsReportTheirOutputs() throws {
        try Self.withWorkspace { workspace in
            let out = workspace.path("out.png")
            let runs: [(String, [String])] = [
                ("draw", ["draw", "--image", workspace.path("image.png"), "--ops", workspace.path("ops.json")]),
                ("featmap", ["featmap", Self.featmapReference]),
                ("datasample", workspace.datasample([])),
                ("convert", ["convert", workspace.path("image.png")]),
                ("plot", ["plot", workspace.path("run"), "--keys", "loss"]),
                (
                    "reconstruct",
                    [
                        "reconstruct", "--image", workspace.path("image.png"), "--pred", workspace.path("pred.npy"),
                        "--mask", workspace.path("mask.npy"), "--input-size", "32",
                    ]
                ),
            ]
            for (command, arguments) in runs {
                try? FileManager.default.removeItem(atPath: out)
                let result = try Self.vis(arguments + (command == "convert" ? [out] : ["--out", out]))
                #expect(result.status == 0, "vis \(command): \(result.stderr)")
                #expect(result.stdout == "\(command): \(out)\n", "vis \(command)")
                #expect(FileManager.default.fileExists(atPath: out), "vis \(command)")
            }
        }
    }

    @Test("vis --help documents the exit statuses")
    func helpDocumentsExitCodes() throws {
        let help = try Self.vis(["--help"])
        #expect(help.status == 0)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("Exit status: 0 on success; 64 for a usage error"), "\(help.stdout)")
        #expect(text.contains("1 when the data or the file system fails"), "\(help.stdout)")
    }

    @Test("vis demo: a backend that cannot write is a data error (exit 1), reported once per backend, no usage line")
    func demoBackendFailure() throws {
        try Self.withWorkspace { workspace in
            let out = workspace.path("demo")
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            // The backends' save directory is taken by a file, as a full disk fails every write.
            try Data().write(to: URL(fileURLWithPath: "\(out)/vis_data"))
            let result = try Self.vis(["demo", "--out", out, "--steps", "3"])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(!result.stderr.contains("Usage:"), "\(result.stderr)")
            let last = try #require(result.stderr.split(separator: "\n").last)
            #expect(last.hasPrefix("Error: logging failed: LocalVisBackend: I/O error on \(out)/vis_data"), "\(last)")
            #expect(last.components(separatedBy: "LocalVisBackend:").count == 2, "once per backend: \(last)")
        }
    }

    @Test("errors name the CLI flag and its file, never a Swift property or the wrong file")
    func errorsNameFlags() throws {
        try Self.withWorkspace { workspace in
            let rgba = workspace.path("rgba.png")
            let overRGBA = try Self.vis([
                "featmap", Self.featmapReference, "--image", rgba, "--out", workspace.path("o.png"),
            ])
            #expect(overRGBA.status == 1)
            #expect(
                overRGBA.stderr.contains("--image \(rgba): expected an RGB or gray image, got RGBA"),
                "\(overRGBA.stderr)")
            #expect(
                !overRGBA.stderr.contains("feat_8x12x16.npy"), "the feature map is not at fault: \(overRGBA.stderr)")

            let huge = try Self.vis([
                "featmap", Self.featmapReference, "--resize", "100000,100000", "--out", workspace.path("o.png"),
            ])
            #expect(huge.status == 1)
            #expect(huge.stderr.contains("--resize 100000,100000: expected"), "\(huge.stderr)")

            let badMeta = try Self.vis(
                workspace.datasample(["--meta", workspace.path("bad-meta.yaml"), "--out", workspace.path("o.png")]))
            #expect(badMeta.status == 1)
            #expect(
                badMeta.stderr.contains("--meta \(workspace.path("bad-meta.yaml")): field `classes`: expected"),
                "\(badMeta.stderr)")
            #expect(!badMeta.stderr.contains("data sample"), "metadata is not a data sample: \(badMeta.stderr)")

            let properties = [
                "overlaidImage", "resizeShape", "channelReduction", "scoreThreshold", "noGroundTruth", "noPrediction",
                "compressionLevel", "logDirectory", "featmap`", "`map`",
            ]
            for result in [overRGBA, huge, badMeta] + (try Self.exitCases(workspace).map { try Self.vis($0.arguments) })
            {
                for property in properties {
                    #expect(!result.stderr.contains(property), "Swift name `\(property)` in: \(result.stderr)")
                }
            }
        }
    }
}
