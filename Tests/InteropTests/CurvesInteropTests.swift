import Foundation
import Testing
import VisTestSupport

/// `vis plot` reads runs written by the real writers — PyTorch's `SummaryWriter`, tensorboardX, the wandb SDK
/// offline, and MMEngine-format JSON lines written by Python — and its `--summary --format json` equals the
/// summary Python computes from the values it wrote.
@Suite("Curves interop", .serialized)
struct CurvesInteropTests {
    /// Writes every run kind under `sys.argv[1]` and prints the expected summaries as JSON.
    static let writerScript = #"""
        import itertools, json, math, os, sys
        root = sys.argv[1]
        os.environ.update(WANDB_MODE="offline", WANDB_SILENT="true", WANDB_CONSOLE="off", WANDB_DISABLE_GIT="true",
                          WANDB_DISABLE_CODE="true", WANDB_DIR=os.path.join(root, "wb"))
        import numpy as np

        def field(d, name, value):
            if math.isfinite(value):
                d[name] = value
            else:
                d[name] = None
                d[name + "_nonfinite"] = "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")

        def summarize(points):
            d = {"count": len(points), "first_step": points[0][0], "last_step": points[-1][0]}
            kept = [(s, v) for s, v in points if not math.isnan(v)]
            if kept:
                values = np.array([v for _, v in kept])
                i, j = int(np.argmin(values)), int(np.argmax(values))
                field(d, "min", float(values[i])); d["min_step"] = kept[i][0]
                field(d, "max", float(values[j])); d["max_step"] = kept[j][0]
            else:
                field(d, "min", math.nan); d["min_step"] = None
                field(d, "max", math.nan); d["max_step"] = None
            field(d, "last", points[-1][1])
            return d

        def report(runs):
            return {"runs": [{"run": name, "keys": {k: summarize(p) for k, p in keys.items()}} for name, keys in runs]}

        f32 = lambda v: float(np.float32(v))
        def loss_at(step, scale):
            return scale * (2.0 / (1 + 0.05 * step)) + 0.01 * math.sin(step)

        expected = {}

        # PyTorch's SummaryWriter: two runs below one log directory; run b ends with NaN.
        from torch.utils.tensorboard import SummaryWriter
        runs = []
        for name, scale in (("a", 1.0), ("b", 1.5)):
            writer = SummaryWriter(log_dir=os.path.join(root, "torch", name))
            loss, acc = [], []
            for step in range(0, 200, 5):
                value = loss_at(step, scale) if not (name == "b" and step == 195) else math.nan
                writer.add_scalar("loss", value, step)
                writer.add_scalar("acc", 0.5 + step / 500.0, step)
                writer.add_scalar("epoch", step // 50 + 1, step)
                loss.append((step, f32(value))); acc.append((step, f32(0.5 + step / 500.0)))
            writer.close()
            runs.append((name, {"loss": loss, "acc": acc}))
        expected["torch"] = report(runs)

        # tensorboardX: one run; acc hits +inf once.
        import tensorboardX
        writer = tensorboardX.SummaryWriter(logdir=os.path.join(root, "tbx", "run1"))
        loss, acc = [], []
        for step in range(1, 61):
            a = math.inf if step == 30 else step / 100.0
            writer.add_scalar("loss", loss_at(step, 0.7), step)
            writer.add_scalar("acc", a, step)
            loss.append((step, f32(loss_at(step, 0.7)))); acc.append((step, f32(a)))
        writer.close()
        expected["tbx"] = report([("run1", {"loss": loss, "acc": acc})])

        # The wandb SDK, offline; loss is NaN once in the middle.
        import wandb
        run = wandb.init(project="curves-interop", mode="offline", dir=os.path.join(root, "wb"))
        loss, acc = [], []
        for step in range(0, 50):
            value = math.nan if step == 20 else loss_at(step, 1.2)
            run.log({"loss": value, "acc": step / 49.0, "epoch": step // 10 + 1}, step=step)
            loss.append((step, value)); acc.append((step, step / 49.0))
        run_dir = os.path.dirname(run.dir)
        run.finish()
        expected["wandb"] = report([(os.path.basename(run_dir), {"loss": loss, "acc": acc})])
        expected["wandb_dir"] = run_dir

        # An MMEngine runner log (3 epochs × 5 train lines, a validation line after each epoch), in the runner's
        # vis_data/<timestamp>.json and scalars.json.
        stamp = "20240101_120000"
        vis_data = os.path.join(root, "mmengine", stamp, "vis_data")
        os.makedirs(vis_data)
        lines, series = [], {"loss": [], "lr": [], "accuracy/top1": []}
        for epoch in range(1, 4):
            for it in range(10, 60, 10):
                step = (epoch - 1) * 50 + it
                time = 0.9 if it == 10 else 0.3 + 0.01 * ((step * 7) % 5) + 0.02 * epoch
                line = {"lr": 0.1 / epoch, "data_time": 0.01, "loss": loss_at(step, 1.0), "time": time,
                        "epoch": epoch, "iter": it, "memory": 1234, "step": step}
                lines.append(line)
                series["loss"].append((step, line["loss"])); series["lr"].append((step, line["lr"]))
            val = {"accuracy/top1": 40.0 + 10 * epoch - (5 if epoch == 3 else 0), "accuracy/top5": 90.0,
                   "data_time": 0.02, "time": 0.25, "step": epoch}
            lines.append(val)
            series["accuracy/top1"].append((epoch, val["accuracy/top1"]))
        text = "".join(json.dumps(line) + "\n" for line in lines)
        for name in (stamp + ".json", "scalars.json"):
            with open(os.path.join(vis_data, name), "w") as f:
                f.write(text)
        expected["mmengine"] = report([(stamp, series)])
        # analyze_logs.py cal_train_time (MMPretrain): train lines have `lr`; per-epoch averages without each
        # epoch's first line; the overall average over every train line.
        train = [l for l in lines if "lr" in l]
        epoch_times = np.array([np.array([l["time"] for l in logs])[1:].mean()
                                for _, logs in itertools.groupby(train, lambda l: l["epoch"])])
        average = float(np.array([l["time"] for l in train]).mean())
        expected["mmengine_time"] = {
            "lines": len(train), "average_iter_time": average, "iterations": train[-1]["step"],
            "estimated_total_seconds": average * train[-1]["step"],
            "slowest_epoch": int(epoch_times.argmax()) + 1, "slowest_epoch_time": float(epoch_times.max()),
            "fastest_epoch": int(epoch_times.argmin()) + 1, "fastest_epoch_time": float(epoch_times.min()),
            "epoch_time_std": float(epoch_times.std())}

        # A LocalVisBackend scalars.json: keys on different lines, a constant series, a single point.
        local = os.path.join(root, "local_run", "vis_data")
        os.makedirs(local)
        with open(os.path.join(local, "scalars.json"), "w") as f:
            series = {"loss": [], "const": [], "single": []}
            for step in range(30):
                f.write(json.dumps({"loss": loss_at(step, 0.3), "const": 2, "step": step}) + "\n")
                series["loss"].append((step, loss_at(step, 0.3))); series["const"].append((step, 2))
            f.write(json.dumps({"single": -1.5e-7, "step": 99}) + "\n")
            series["single"].append((99, -1.5e-7))
        expected["local"] = report([("local_run", series)])
        print(json.dumps(expected))
        """#

    static func vis(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try TestSupport.runCapturing(try TestSupport.productPath("vis"), arguments: arguments)
    }

    /// Runs ``writerScript`` into `root`; returns Python's expected summaries and the W&B run directory.
    static func writeRuns(in root: URL) throws -> (expected: [String: Any], wandbDirectory: String) {
        let expected = try object(
            try TestSupport.run(
                try TestSupport.interopPython(), arguments: ["-c", writerScript, root.path],
                environment: ["HOME": root.path]))
        return (expected, try #require(expected["wandb_dir"] as? String))
    }

    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("--summary --format json equals Python's summary of what torch, tensorboardX, wandb and MMEngine wrote")
    func summaries() throws {
        let root = try TestSupport.makeTemporaryDirectory("curves-interop")
        defer { try? FileManager.default.removeItem(at: root) }
        let (expected, wandbDirectory) = try Self.writeRuns(in: root)
        let cases: [(kind: String, run: String, keys: [String])] = [
            ("torch", root.appendingPathComponent("torch").path, ["loss", "acc"]),
            ("tbx", root.appendingPathComponent("tbx").path, ["loss", "acc"]),
            ("wandb", wandbDirectory, ["loss", "acc"]),
            ("mmengine", root.appendingPathComponent("mmengine/20240101_120000").path, ["loss", "lr", "accuracy/top1"]),
            ("local", root.appendingPathComponent("local_run").path, ["loss", "const", "single"]),
        ]
        for (kind, run, keys) in cases {
            let result = try Self.vis(["plot", run, "--keys"] + keys + ["--summary", "--format", "json"])
            #expect(result.status == 0, "\(kind): \(result.stderr)")
            var actual = try Self.object(result.stdout)
            let want = try #require(expected[kind] as? [String: Any])
            var trainTime: [String: Any]?
            if var runs = actual["runs"] as? [[String: Any]], !runs.isEmpty {
                trainTime = runs[0].removeValue(forKey: "train_time") as? [String: Any]
                actual["runs"] = runs
            }
            #expect(NSDictionary(dictionary: actual).isEqual(to: want), "\(kind): \(actual) != \(want)")
            if kind == "mmengine" {
                let time = try #require(trainTime)
                let wantTime = try #require(expected["mmengine_time"] as? [String: Any])
                #expect(Set(time.keys) == Set(wantTime.keys))
                for (key, value) in wantTime {
                    let a = try #require(time[key] as? Double, "\(key)")
                    let b = try #require(value as? Double, "\(key)")
                    #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(key): \(a) vs \(b)")
                }
                // The runner log named directly is the same run.
                let direct = try Self.vis([
                    "plot", root.appendingPathComponent("mmengine/20240101_120000/vis_data/20240101_120000.json").path,
                    "--keys", "loss", "--summary", "--format", "json",
                ])
                #expect(direct.status == 0, "\(direct.stderr)")
                #expect(direct.stdout.contains(#""run": "20240101_120000""#))
            } else {
                #expect(trainTime == nil, "\(kind) has no iteration times")
            }
        }
    }

    @Test("a plot of every run kind decodes (PNG size, ink) and the SVG parses as XML")
    func plots() throws {
        let root = try TestSupport.makeTemporaryDirectory("curves-interop")
        defer { try? FileManager.default.removeItem(at: root) }
        let wandbDirectory = try Self.writeRuns(in: root).wandbDirectory
        let out = root.appendingPathComponent("plots")
        let plots: [(name: String, arguments: [String])] = [
            ("torch.png", [root.appendingPathComponent("torch").path, "--keys", "loss", "--smooth", "0.6", "--x", "wall"]),
            ("tbx.png", [root.appendingPathComponent("tbx").path, "--keys", "loss", "acc", "--log-y"]),
            ("wandb.png", [wandbDirectory, "--keys", "loss", "--x", "epoch", "--title", "W&B offline"]),
            (
                "mmengine.png",
                [
                    root.appendingPathComponent("mmengine/20240101_120000").path, "--keys", "loss", "accuracy/top1",
                    "--layout", "grid", "--x", "epoch", "--size", "8,3.5", "--dpi", "80",
                ]
            ),
            ("local.png", [root.appendingPathComponent("local_run").path, "--keys", "loss", "const", "single"]),
            ("mixed.svg", [root.appendingPathComponent("torch").path, wandbDirectory, "--keys", "loss", "--legend", "torch a", "torch b", "wandb"]),
        ]
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for (name, arguments) in plots {
            let path = out.appendingPathComponent(name).path
            let result = try Self.vis(["plot"] + arguments + ["--out", path])
            #expect(result.status == 0, "\(name): \(result.stderr)")
            #expect(result.stdout.contains(path), "\(name): prints where the figure went")
        }
        let check = try TestSupport.runPython(
            #"""
            import json, os, sys
            import numpy as np
            import xml.etree.ElementTree as ET
            from PIL import Image
            out = {}
            for name in sorted(os.listdir(sys.argv[1])):
                path = os.path.join(sys.argv[1], name)
                if name.endswith(".png"):
                    image = np.asarray(Image.open(path).convert("RGB")).astype(float)
                    out[name] = [image.shape[1], image.shape[0], float(image.std()), int((image.sum(-1) < 600).sum())]
                else:
                    root = ET.parse(path).getroot()
                    out[name] = [root.tag.split("}")[-1], len(list(root.iter()))]
            print(json.dumps(out))
            """#, arguments: [out.path])
        let decoded = try Self.object(check)
        for name in ["torch.png", "tbx.png", "wandb.png", "local.png"] {
            let info = try #require(decoded[name] as? [Double], "\(name)")
            #expect(info[0] == 640 && info[1] == 480, "\(name) is 6.4×4.8 in at 100 dpi")
            #expect(info[2] > 10 && info[3] > 2000, "\(name) has curves and text: \(info)")
        }
        let grid = try #require(decoded["mmengine.png"] as? [Double])
        #expect(grid[0] == 640 && grid[1] == 280)
        let svg = try #require(decoded["mixed.svg"] as? [Any])
        #expect(svg.first as? String == "svg")
        #expect((svg.last as? Int ?? 0) > 20)
        if ProcessInfo.processInfo.environment["VIS_KEEP_PLOTS"] == "1" {
            try? FileManager.default.removeItem(atPath: "/tmp/curves-interop-plots")
            try FileManager.default.copyItem(atPath: out.path, toPath: "/tmp/curves-interop-plots")
        }
    }
}
