import ArgumentParser
import Foundation
import VisCore
import VisTools
import Visualization

/// `vis demo --out DIR`: draws every kind of annotation on a procedural scene and logs a fake training run to
/// every storage backend available.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Annotate a generated scene with every drawing call and log a fake training run.",
        discussion: """
            Paints an outdoor scene (no downloads), annotates it with boxes and labels on background boxes, \
            instance masks, a polygon, keypoints with a skeleton, circles and a CJK label, and writes it to \
            DIR/demo.png, with a feature-map heatmap over the scene in DIR/featmap.png. Then logs the images, a \
            training curve (loss, lr, accuracy over --steps steps) and the run's config through a Visualizer to \
            the --backends (default: local, TensorboardVisBackend and WandbVisBackend files; mlflow on request), \
            under DIR/vis_data, and prints where everything went. DIR/browse.png shows MoCo v2 views of scene \
            crops as `vis browse` draws them and DIR/reconstruction_standin.png a reconstruction figure with a \
            stand-in predictor (not a model); the commands that draw them again are printed.
            """)

    @Option(help: "The output directory (created if needed).")
    var out: String

    @Option(parsing: .unconditional, help: "Steps of the fake training curve.")
    var steps: Int = 100

    @Option(help: """
        Comma-separated storage backends: local, tensorboard, wandb, mlflow (mlflow logs to MLFLOW_TRACKING_URI \
        when set, else to an offline store under DIR/vis_data/mlruns).
        """)
    var backends: String = "local,tensorboard,wandb"

    /// The `--backends` names and the registry types they stand for.
    static let backendTypes: KeyValuePairs<String, String> = [
        "local": "LocalVisBackend", "tensorboard": "TensorboardVisBackend", "wandb": "WandbVisBackend",
        "mlflow": "MLflowVisBackend",
    ]

    func validate() throws {
        guard (1...100_000).contains(steps) else {
            throw ValidationError("--steps must be in 1...100000, got \(steps)")
        }
        let known = DemoCommand.backendTypes.map(\.key)
        for name in backendNames where !known.contains(name) {
            throw ValidationError("--backends: unknown backend `\(name)`; expected a comma-separated list of \(known.joined(separator: ", "))")
        }
    }

    var backendNames: [String] {
        backends.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    func run() throws {
        try CommandFailure.naming("--out") {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        }
        let scene = try DemoScene.make()
        let annotated = try DemoCommand.annotate(scene)
        let demoPath = (out as NSString).appendingPathComponent("demo.png")
        try annotated.writePNG(to: demoPath)
        // The feature map as MMEngine's draw_featmap shows it: channels averaged, JET-coloured, over the scene.
        let featmap = try Visualizer.drawFeatmap(
            try scene.featureMap(), overlaidImage: scene.image, channelReduction: .squeezeMean, alpha: 0.5)
        let featmapPath = (out as NSString).appendingPathComponent("featmap.png")
        try featmap.writePNG(to: featmapPath)
        let selfSupLines = try DemoCommand.drawSelfSupervised(scene, out: out)

        let registered = Set(VisBackendRegistry.shared.typeNames)
        let types = backendNames.compactMap { name in DemoCommand.backendTypes.first { $0.key == name }?.value }
        let specs: [VisBackendSpec] = types.filter(registered.contains).map { .config(["type": .string($0)]) }
        let failures = FailureLog()
        let visualizer = try Visualizer(
            name: "vis-demo-\(UUID().uuidString)", backends: specs, saveDir: out, rank: 0,
            errorHandler: { error in failures.record(error) })
        visualizer.addConfig(DemoCommand.config(steps: steps))
        visualizer.addImage(name: "scene", image: scene.image, step: 0)
        visualizer.addImage(name: "annotated", image: annotated, step: 0)
        visualizer.addImage(name: "featmap", image: featmap, step: 0)
        for step in 1...steps {
            visualizer.addScalars(DemoCommand.metrics(step: step, of: steps), step: step)
        }
        visualizer.flush()
        let wandb = visualizer.getBackend(name: "WandbVisBackend") as? WandbVisBackend
        let syncCommand = wandb?.syncCommand
        visualizer.close()
        if !failures.messages.isEmpty {
            throw CommandFailure("logging failed: \(failures.messages.joined(separator: "; "))")
        }

        let visData = (out as NSString).appendingPathComponent("vis_data")
        var lines = ["annotated image: \(demoPath)", "feature map:     \(featmapPath)"] + selfSupLines
        if let local = visualizer.getBackend(name: "LocalVisBackend") as? LocalVisBackend {
            lines.append("LocalVisBackend: \(local.saveDirectory)")
            let images = ["annotated", "featmap", "scene"].map { local.imagePath(name: $0, step: 0) }
            lines.append("  images:  \(images.joined(separator: ", "))")
            lines.append("  scalars: \(local.path(local.scalarSaveFile))")
            if let config = local.configSaveFile { lines.append("  config:  \(local.path(config))") }
        }
        if visualizer.getBackend(name: "TensorboardVisBackend") != nil {
            lines.append("TensorboardVisBackend: view with `tensorboard --logdir \(visData)`")
        }
        if let wandb {
            lines.append("WandbVisBackend (offline run): \(wandb.runDirectory ?? visData)")
            if let syncCommand { lines.append("  upload with `\(syncCommand)`") }
        }
        if let mlflow = visualizer.getBackend(name: "MLflowVisBackend") as? MLflowVisBackend {
            lines.append(
                "MLflowVisBackend: experiment \(mlflow.expName), run \(mlflow.runID ?? "not created") on \(mlflow.resolvedTrackingURI)")
            if mlflow.usesServer {
                lines.append("  open \(mlflow.resolvedTrackingURI) in a browser")
                if let report = mlflow.uploadReport, !report.isComplete { lines.append("  \(report)") }
            }
            for command in mlflow.offlineCommands { lines.append("  `\(command)`") }
        }
        // The logged curves, drawn from what LocalVisBackend wrote, as `vis plot` draws them.
        if visualizer.getBackend(name: "LocalVisBackend") != nil {
            let curvesPath = (out as NSString).appendingPathComponent("curves.png")
            let curveKeys = ["loss", "acc", "lr"]
            try Curves.plot(
                try Curves.readRuns(at: visData),
                options: CurvePlotOptions(keys: curveKeys, width: 12, height: 4, layout: .grid), to: curvesPath)
            lines.append("curves: \(curvesPath)")
            lines.append(
                "  again with `vis plot \(visData) --keys \(curveKeys.joined(separator: " ")) --layout grid --size 12,4 "
                    + "--out \(curvesPath)`")
        }
        print(lines.joined(separator: "\n"))
    }

    /// Draws every kind of annotation on the scene, through the Visualizer's MMEngine-style API.
    static func annotate(_ scene: DemoScene) throws -> Image {
        let visualizer = try Visualizer(name: "vis-demo-drawing", image: scene.image, rank: 0)
        let palette = ColorPalette.tab10
        let colors = scene.objects.indices.map { palette[[3, 1, 0, 2][$0 % 4]] }
        let masked = scene.objects.enumerated().filter { $0.element.mask != nil }
        let masks = try NDArray(
            masked.flatMap { $0.element.mask ?? [] }, shape: [masked.count, DemoScene.height, DemoScene.width])
        try visualizer
            .drawBinaryMasks(masks, colors: .each(masked.map { MaskColor.rgb(colors[$0.offset]) }), alphas: 0.45)
            .drawPolygons(
                [scene.road], edgeColors: "gold", lineStyles: .all(.dashed), lineWidths: 2, faceColors: "gold",
                alpha: 0.25
            )
            .drawLines(
                xData: scene.bones.map { [scene.keypoints[$0.0][0], scene.keypoints[$0.1][0]] },
                yData: scene.bones.map { [scene.keypoints[$0.0][1], scene.keypoints[$0.1][1]] }, colors: "cyan",
                lineWidths: 1.5
            )
            .drawPoints(scene.keypoints, colors: "#ff3b30", marker: .circle, sizes: 30)
            .drawCircles(
                centers: [[scene.sun.x, scene.sun.y]] + scene.wheels,
                radii: [scene.sun.radius + 10] + scene.wheels.map { _ in scene.wheelRadius + 3 },
                edgeColors: ["orange", "w", "w"], lineStyles: [.dashed, .solid, .solid], lineWidths: [2, 1.5, 1.5]
            )
            .drawBoundingBoxes(scene.objects.map(\.box), edgeColors: .each(colors), lineWidths: 2)
            .drawTexts(
                scene.objects.map { "\($0.label) \(String(format: "%.2f", $0.score))" },
                at: scene.objects.map { [$0.box[0], $0.box[1]] }, fontSizes: 13, colors: .each(colors),
                verticalAlignments: .all(.bottom),
                backgrounds: .all(TextBackground(faceColor: "black", edgeColor: .none, alpha: 0.8, padPoints: 0.7))
            )
            .drawTexts(
                ["sun", "keypoints", "road"],
                at: [[scene.sun.x, scene.sun.y + scene.sun.radius + 16], [342, 346], [560, 566]],
                fontSizes: 11, colors: ["orange", "cyan", "gold"], horizontalAlignments: [.center, .left, .left],
                backgrounds: .all(TextBackground(faceColor: "black", edgeColor: .none, alpha: 0.6, padPoints: 2))
            )
            .drawTexts(
                ["vis demo · MMEngine's Visualizer in Swift"], at: [12, 12], fontSizes: 15, colors: "w",
                backgrounds: .all(TextBackground(faceColor: "#1f2937", edgeColor: "w", alpha: 0.85, padPoints: 5)))
        return try visualizer.getImage()
    }

    /// A fake but plausible training curve: loss decays with noise, lr follows a cosine schedule with warm-up,
    /// accuracy rises towards 0.9.
    static func metrics(step: Int, of steps: Int) -> ScalarDictionary {
        let t = Double(step) / Double(steps)
        let noise = 0.04 * sin(Double(step) * 1.7) * cos(Double(step) * 0.37)
        let loss = 2.2 * exp(-4 * t) + 0.15 + noise
        let warmup = min(Double(step) / (0.05 * Double(steps)), 1)
        let lr = 0.02 * warmup * 0.5 * (1 + cos(.pi * t))
        let accuracy = 0.9 - 0.8 * exp(-5 * t) + noise / 4
        return ["loss": .double(loss), "lr": .double(lr), "acc": .double(accuracy)]
    }

    /// The config the run pretends to have been trained with.
    static func config(steps: Int) -> Config {
        [
            "model": ["type": "MaskRCNN", "backbone": ["type": "ResNet", "depth": 50], "num_classes": 80],
            "optim_wrapper": ["optimizer": ["type": "SGD", "lr": 0.02, "momentum": 0.9, "weight_decay": 0.0001]],
            "param_scheduler": [
                ["type": "LinearLR", "end": .int(max(steps / 20, 1))],
                ["type": "CosineAnnealingLR", "T_max": .int(steps)],
            ],
            "train_cfg": ["max_iters": .int(steps)],
            "visualizer": [
                "type": "Visualizer",
                "vis_backends": [
                    ["type": "LocalVisBackend"], ["type": "TensorboardVisBackend"], ["type": "WandbVisBackend"],
                ],
            ],
        ]
    }
}

/// Collects backend failures reported asynchronously, each distinct one once: a backend that cannot write fails
/// the same way on every call.
private final class FailureLog: Sendable {
    private let recorded = LockedValue<[String]>([])

    func record(_ error: any Error) {
        let messages: [String]
        if case .backendsFailed(let failures)? = error as? VisBackendError {
            messages = failures.map { "\($0.backend): \($0.message)" }
        } else {
            messages = [CommandFailure.message(for: error)]
        }
        recorded.withLock { recorded in
            for message in messages where !recorded.contains(message) { recorded.append(message) }
        }
    }

    var messages: [String] {
        recorded.withLock { $0 }
    }
}
