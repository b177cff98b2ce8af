import ArgumentParser
import Foundation
import Visualization

/// `vis datasample`: draws a data sample (ground truth beside prediction) on its image.
struct DatasampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasample",
        abstract: "Draw a data sample's ground truth and predictions on its image (MMEngine's add_datasample).",
        discussion: """
            SAMPLE is the JSON form of a data sample (gt_instances, pred_instances, gt_sem_seg, pred_sem_seg, \
            gt_label, pred_label, pred_score, metainfo); large arrays may be .npy/.npz files named relative to it \
            ("masks": "arrays.npz#gt_masks"). META is a JSON or YAML dataset_meta (classes, palette, \
            keypoint_names, skeleton_links, ...). The ground truth is drawn on the left panel and the prediction on \
            the right; a side with nothing to draw gets no panel. Predictions scoring at or below --score-thr are \
            hidden. --task auto picks the task from the sample: keypoints → pose, boxes/masks/polygons → \
            detection, a segmentation map → segmentation, labels → classification.
            """)

    /// The task choices: a built-in task or `auto`.
    enum Task: String, ExpressibleByArgument, CaseIterable {
        case auto, detection, segmentation, classification, pose
    }

    @Option(help: "The image the sample describes (PNG or JPEG).")
    var image: String

    @Option(help: "The data sample, as JSON.")
    var sample: String

    @Option(help: "The dataset metadata, as JSON or YAML (.json, .yaml, .yml).")
    var meta: String?

    @Option(help: "auto, detection, segmentation, classification or pose.")
    var task: Task = .auto

    @Option(
        name: .customLong("score-thr"), parsing: .unconditional,
        help: "Hide predictions scoring at or below this (default 0.3).")
    var scoreThreshold: Double = 0.3

    @Flag(name: .customLong("no-gt"), help: "Do not draw the ground truth.")
    var noGroundTruth = false

    @Flag(name: .customLong("no-pred"), help: "Do not draw the predictions.")
    var noPrediction = false

    @Option(help: "The output image; its extension (.png, .jpg, .jpeg) selects the format.")
    var out: String

    func validate() throws {
        guard scoreThreshold.isFinite else {
            throw ValidationError("--score-thr must be a finite number, got \(scoreThreshold)")
        }
        guard (try? ImageFormat(pathExtensionOf: out)) != nil else {
            throw ValidationError("--out `\(out)` must end in .png, .jpg or .jpeg")
        }
        if noGroundTruth && noPrediction {
            throw ValidationError("--no-gt and --no-pred together leave nothing to draw")
        }
    }

    func run() throws {
        let input = try CommandFailure.naming("--image") { try Image(contentsOfFile: image) }
        let dataSample = try naming("--sample", sample) { try DataSample(contentsOfJSONFile: sample) }
        let visualizer = try Visualizer(name: "vis-datasample", rank: 0)
        if let meta {
            visualizer.setDatasetMeta(try naming("--meta", meta) { try DatasetMeta(contentsOfFile: meta) })
        }
        if let kind = TaskKind(rawValue: task.rawValue) {
            visualizer.taskVisualizer = kind.makeVisualizer()
        }
        try naming("--sample", sample) {
            try visualizer.addDatasample(
                name: (image as NSString).lastPathComponent, image: input, dataSample: dataSample,
                drawGT: !noGroundTruth, drawPred: !noPrediction, predScoreThreshold: scoreThreshold, outFile: out)
        }
        CommandOutput.report("datasample", wrote: [out])
    }

    /// Runs `body`, naming the flag and file of a ``DataSampleError`` (`--meta meta.yaml: field `classes`: …`):
    /// dataset metadata is not a data sample, so its field errors lose the library's "data sample field" wording.
    /// Other errors name their file already, or are about the image or the output.
    @discardableResult
    private func naming<Result>(_ flag: String, _ path: String, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as DataSampleError {
            switch error {
            case .unreadableFile:
                throw CommandFailure("\(flag): \(CommandFailure.message(for: error))")
            case let .invalidField(field, expected, actual) where flag == "--meta":
                throw CommandFailure("\(flag) \(path): field `\(field)`: expected \(expected), got \(actual)")
            default:
                throw CommandFailure("\(flag) \(path): \(CommandFailure.message(for: error))")
            }
        }
    }
}
