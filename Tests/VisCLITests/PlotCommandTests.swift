import Foundation
import Testing
import VisCore
import VisTestSupport

/// End-to-end tests of `vis plot` through the built executable.
@Suite("vis plot")
struct PlotCommandTests {
    static func vis(_ arguments: [String], environment: [String: String]? = nil) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: arguments, environment: environment)
    }

    /// A folder with a scalars.json of `lines`.
    static func run(_ root: URL, _ name: String, _ lines: [String]) throws -> String {
        let directory = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: directory.appendingPathComponent("scalars.json"))
        return directory.path
    }

    static func loss(_ count: Int, from start: Int = 0) -> [String] {
        (start..<(start + count)).map { "{\"loss\": \(2.0 / Double($0 + 1)), \"acc\": \(Double($0) / 10), \"step\": \($0)}" }
    }

    @Test("writes PNG and SVG, prints where they went; summaries as text and JSON")
    func plotsAndSummaries() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-plot")
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try Self.run(root, "a", Self.loss(50))
        let b = try Self.run(root, "b", Self.loss(30, from: 5))
        let png = root.appendingPathComponent("curves.png").path
        let result = try Self.vis(["plot", a, b, "--keys", "loss", "acc", "--out", png, "--smooth", "0.5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "plot: \(png)\n")
        let image = try Image(contentsOfFile: png)
        #expect(image.width == 640 && image.height == 480)

        let svg = root.appendingPathComponent("curves.svg").path
        let grid = try Self.vis([
            "plot", a, b, "--keys", "loss", "acc", "--layout", "grid", "--out", svg, "--size", "9,3", "--legend", "A", "B",
            "--log-y", "--title", "two runs",
        ])
        #expect(grid.status == 0, "\(grid.stderr)")
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("<svg") && text.contains("two runs") && text.contains(">A<"))

        let summary = try Self.vis(["plot", a, b, "--keys", "loss", "--summary"])
        #expect(summary.status == 0, "\(summary.stderr)")
        let rows = summary.stdout.split(separator: "\n")
        #expect(rows.count == 3)
        #expect(rows[0].hasPrefix("run  key   count  first_step  last_step  min (step)"))
        #expect(rows[1].hasPrefix("a    loss  50     0           49         0.04 (49)"))

        let json = try Self.vis(["plot", a, "--keys", "acc", "--summary", "--format", "json", "--out", png])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let runs = try #require(object["runs"] as? [[String: Any]])
        let acc = try #require((runs.first?["keys"] as? [String: [String: Any]])?["acc"])
        #expect(acc["count"] as? Int == 50 && acc["max"] as? Double == 4.9 && acc["max_step"] as? Int == 49)
        #expect(json.stderr.contains("plot: \(png)"), "with a JSON summary the figure's path goes to stderr")
    }

    @Test("--smooth draws the smoothed curve in C0 over the raw one, faint (alpha 0.25) behind it")
    func smoothingKeepsRawCurveFaint() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-plot")
        defer { try? FileManager.default.removeItem(at: root) }
        let noisy = (0..<200).map { "{\"loss\": \(1 + 0.5 * sin(Double($0) * 1.3)), \"step\": \($0)}" }
        let run = try Self.run(root, "noisy", noisy)
        func counts(_ extra: [String]) throws -> (full: Int, faint: Int) {
            let out = root.appendingPathComponent("n\(extra.count).png").path
            let result = try Self.vis(["plot", run, "--keys", "loss", "--out", out] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            let image = try Image(contentsOfFile: out)
            var full = 0
            var faint = 0
            for offset in stride(from: 0, to: image.pixels.count, by: 3) {
                let pixel = (Int(image.pixels[offset]), Int(image.pixels[offset + 1]), Int(image.pixels[offset + 2]))
                // tab10's C0 #1f77b4, and C0 at alpha 0.25 over white.
                if abs(pixel.0 - 31) <= 3 && abs(pixel.1 - 119) <= 3 && abs(pixel.2 - 180) <= 3 { full += 1 }
                if abs(pixel.0 - 199) <= 3 && abs(pixel.1 - 221) <= 3 && abs(pixel.2 - 236) <= 3 { faint += 1 }
            }
            return (full, faint)
        }
        let raw = try counts([])
        let smooth = try counts(["--smooth", "0.9"])
        #expect(raw.full > 1000 && smooth.full > 300, "both draw a full-colour curve: \(raw), \(smooth)")
        #expect(smooth.faint > 1000 && smooth.faint > 5 * raw.faint, "the raw curve stays faint: \(raw), \(smooth)")
        // The smoothed curve swings far less than the raw one, so it covers fewer full-colour pixels.
        #expect(smooth.full * 2 < raw.full, "\(raw), \(smooth)")
    }

    @Test("runner logs: the text summary reports iteration time; --include-outliers keeps each epoch's first line")
    func trainTime() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-plot")
        defer { try? FileManager.default.removeItem(at: root) }
        let lines = (0..<6).map { index -> String in
            let (epoch, time) = (index / 3 + 1, index % 3 == 0 ? 1.0 : 0.5)
            return "{\"lr\": 0.1, \"loss\": 1, \"time\": \(time), \"epoch\": \(epoch), \"iter\": \(index % 3 + 1), \"step\": \(index + 1)}"
        } + ["{\"accuracy/top1\": 50, \"time\": 9, \"step\": 2}"]
        let run = try Self.run(root, "runner", lines)
        let text = try Self.vis(["plot", run, "--keys", "loss", "--summary"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("runner: MMEngine runner log, 6 train lines: average iter time 0.6667 s/iter"))
        #expect(text.stdout.contains("slowest epoch 1 (0.5000 s/iter)"), "\(text.stdout)")
        #expect(text.stdout.contains("6 iterations ≈ 4.0 s"), "\(text.stdout)")
        func slowest(_ extra: [String]) throws -> Double? {
            let result = try Self.vis(["plot", run, "--keys", "loss", "--summary", "--format", "json"] + extra)
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let time = (object?["runs"] as? [[String: Any]])?.first?["train_time"] as? [String: Any]
            return time?["slowest_epoch_time"] as? Double
        }
        #expect(try slowest([]) == 0.5)
        #expect(abs((try slowest(["--include-outliers"]) ?? 0) - 2.0 / 3) < 1e-12)
    }

    @Test("a grid's figure title gets its own line above the panel titles")
    func gridTitleRoom() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-plot")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.run(root, "a", Self.loss(20))
        /// The first row where the panels' top spines run: dark over more than half the width.
        func topSpineRow(_ extra: [String]) throws -> Int? {
            let out = root.appendingPathComponent("grid\(extra.count).png").path
            let result = try Self.vis(["plot", run, "--keys", "loss", "acc", "--layout", "grid", "--out", out] + extra)
            #expect(result.status == 0, "\(result.stderr)")
            let image = try Image(contentsOfFile: out)
            for y in 0..<image.height {
                var dark = 0
                for x in 0..<image.width where image[x, y, 0] < 80 && image[x, y, 1] < 80 { dark += 1 }
                if dark > image.width / 2 { return y }
            }
            return nil
        }
        let plain = try #require(try topSpineRow([]))
        let titled = try #require(try topSpineRow(["--title", "Two keys"]))
        // 12 pt × 1.5 at 100 dpi is 25 px.
        #expect(titled - plain >= 20, "panels move down for the title: \(plain) → \(titled)")
    }

    @Test("usage errors exit 64 and name the flag; negative numbers parse as values")
    func usageErrors() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-plot")
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try Self.run(root, "a", Self.loss(5))
        let out = root.appendingPathComponent("x.png").path
        let cases: [([String], String)] = [
            ([a, "--keys", "loss"], "--out"),
            ([a, "--keys", "loss", "--out", root.appendingPathComponent("x.gif").path], "--out"),
            ([a, "--keys", "loss", "--out", out, "--smooth", "-0.5"], "--smooth"),
            ([a, "--keys", "loss", "--out", out, "--smooth", "1"], "--smooth"),
            ([a, "--keys", "loss", "--out", out, "--size", "-1,2"], "--size"),
            ([a, "--keys", "loss", "--out", out, "--size", "4"], "--size"),
            ([a, "--keys", "loss", "--out", out, "--dpi", "-5"], "--dpi"),
            ([a, "--keys", "loss", "--out", out, "--legend", "x", "y"], "--legend"),
            ([a, "--keys", "loss", "--format", "json", "--out", out], "--format"),
            ([a, "--keys", "loss", "--out", out, "--x", "time"], "--x"),
        ]
        for (arguments, flag) in cases {
            let result = try Self.vis(["plot"] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(flag), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("Missing value"), "\(arguments): a negative number is a value")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("data errors exit 1: a missing key lists the run's keys; unreadable, corrupt and empty runs")
    func dataErrors() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-plot")
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try Self.run(root, "a", Self.loss(5))
        let out = root.appendingPathComponent("x.png").path
        let missing = try Self.vis(["plot", a, "--keys", "lr", "--out", out])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("run a has no key lr; its keys are: loss, acc"), "\(missing.stderr)")
        let absent = try Self.vis(["plot", root.appendingPathComponent("nope").path, "--keys", "loss", "--out", out])
        #expect(absent.status == 1 && absent.stderr.contains("no such file"), "\(absent.stderr)")
        let corrupt = try Self.run(root, "corrupt", ["{\"loss\": 1, \"step\": 0}", "{\"loss\": ", "{\"loss\": 2, \"step\": 2}"])
        let bad = try Self.vis(["plot", corrupt, "--keys", "loss", "--out", out])
        #expect(bad.status == 1 && bad.stderr.contains("line 2"), "\(bad.stderr)")
        let empty = try Self.run(root, "empty", [])
        let none = try Self.vis(["plot", empty, "--keys", "loss", "--summary"])
        #expect(none.status == 1 && none.stderr.contains("no scalars"), "\(none.stderr)")
        let epochs = try Self.vis(["plot", a, "--keys", "loss", "--x", "epoch", "--out", out])
        #expect(epochs.status == 1 && epochs.stderr.contains("--x epoch"), "\(epochs.stderr)")
        let unwritable = root.appendingPathComponent("no/such/dir/x.png").path
        let io = try Self.vis(["plot", a, "--keys", "loss", "--out", unwritable])
        #expect(io.status == 1 && io.stderr.contains(unwritable), "\(io.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("NaN, infinities, a single point, a constant series and an all-NaN series plot without a crash")
    func awkwardValues() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-plot")
        defer { try? FileManager.default.removeItem(at: root) }
        let lines = (0..<20).map { step -> String in
            let loss = step == 7 ? "NaN" : step == 12 ? "Infinity" : "\(1.0 / Double(step + 1))"
            return "{\"loss\": \(loss), \"const\": 3, \"nan\": NaN, \"step\": \(step)}"
        } + ["{\"single\": -2.5, \"step\": 4}", "{\"huge\": 1e8, \"step\": 0}", "{\"huge\": 1, \"step\": 1}"]
        let run = try Self.run(root, "odd", lines)
        for (index, keys) in [["loss"], ["const"], ["single"], ["nan"], ["huge"], ["loss", "const", "single", "nan"]].enumerated() {
            for extra in [[], ["--smooth", "0.9"], ["--log-y"], ["--layout", "grid"]] {
                let out = root.appendingPathComponent("odd\(index)-\(extra.count)\(extra.first ?? "").png").path
                let result = try Self.vis(["plot", run, "--keys"] + keys + ["--out", out] + extra)
                #expect(result.status == 0, "\(keys) \(extra): \(result.stderr)")
                #expect((try? Image(contentsOfFile: out))?.width == 640, "\(keys) \(extra)")
            }
        }
        let json = try Self.vis(["plot", run, "--keys", "loss", "nan", "--summary", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let keys = try #require((object["runs"] as? [[String: Any]])?.first?["keys"] as? [String: [String: Any]])
        #expect(keys["loss"]?["max"] is NSNull && keys["loss"]?["max_nonfinite"] as? String == "inf")
        #expect(keys["loss"]?["max_step"] as? Int == 12)
        #expect(keys["nan"]?["min"] is NSNull && keys["nan"]?["min_step"] is NSNull)
    }

    @Test("vis demo also draws its curves and prints the vis plot command")
    func demoCurves() throws {
        let root = try TestSupport.makeTemporaryDirectory("vis-plot")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("demo").path
        let result = try Self.vis(["demo", "--out", out, "--steps", "30"], environment: ["WANDB_MODE": "offline"])
        #expect(result.status == 0, "\(result.stderr)")
        let curves = try Image(contentsOfFile: "\(out)/curves.png")
        #expect(curves.width == 1200 && curves.height == 400)
        #expect(result.stdout.contains("curves: \(out)/curves.png"))
        let command = try #require(result.stdout.split(separator: "\n").first { $0.contains("vis plot") })
        #expect(command.contains("--keys loss acc lr"))
    }
}
