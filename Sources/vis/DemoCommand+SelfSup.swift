import Foundation
import VisCore
import VisTools
import Visualization

/// The self-supervised part of `vis demo`: a `vis browse` grid of two-view crops of the scene and a
/// `vis reconstruct` figure of the scene with a stand-in predictor, each with the command that draws it again.
/// The views come from the `mocov2` preset, MMSelfSup's MoCo v2 pipeline.
extension DemoCommand {
    /// The crops' side and the views' side.
    static let selfSupCropSide = 300
    /// Writes `DIR/browse.png` (one row of two views per crop) and `DIR/reconstruction_standin.png`, with their
    /// inputs under `DIR/selfsup`, and returns the lines to print.
    static func drawSelfSupervised(_ scene: DemoScene, out: String) throws -> [String] {
        let directory = (out as NSString).appendingPathComponent("selfsup")
        let imageDirectory = (directory as NSString).appendingPathComponent("images")
        try CommandFailure.naming("--out") {
            try FileManager.default.createDirectory(atPath: imageDirectory, withIntermediateDirectories: true)
        }
        // Four square crops along the scene, named so that a folder listing keeps their order.
        var entries: [BrowseSamples.Entry] = []
        for (index, x) in [0, 220, 440, 660].enumerated() {
            let path = (imageDirectory as NSString).appendingPathComponent("crop_\(index).png")
            try scene.image.cropped(x: x, y: 150, width: selfSupCropSide, height: selfSupCropSide).writePNG(to: path)
            entries.append(BrowseSamples.Entry(path: path, label: nil))
        }
        let samples = BrowseSamples(images: entries, pipeline: try SelfSupPipeline.preset(named: "mocov2"))
        let seeds = BrowseSamples.sampleSeeds(seed: 0, count: samples.count)
        let visualizer = try Visualizer(name: "vis-demo-browse-\(UUID().uuidString)", rank: 0)
        var rows: [Image] = []
        for index in 0..<samples.count {
            let sample = try samples.sample(at: index, seed: seeds[index])
            if let row = try visualizer.addSelfSupSample(name: samples.outputName(at: index), sample: sample) {
                rows.append(row)
            }
        }
        visualizer.close()
        let browsePath = (out as NSString).appendingPathComponent("browse.png")
        try Image.vconcat(rows, spacing: 6, fill: Color(red: 255, green: 255, blue: 255)).writePNG(to: browsePath)

        // Reconstruction: MAE's 75 % random mask over the scene at 224 px, and a stand-in predictor in place of a
        // model, labelled as such in the file names.
        let (inputSize, patchSize) = (224, 16)
        let grid = inputSize / patchSize
        let scenePath = (directory as NSString).appendingPathComponent("scene.png")
        try scene.image.writePNG(to: scenePath)
        let resized = try scene.image.pillowResized(width: inputSize, height: inputSize, filter: .bilinear)
        let mask = try ReconstructionPanels.randomMask(patches: grid * grid, ratio: 0.75, seed: 0)
        let prediction = try NDArray(
            standInPrediction(ReconstructionPanels.normalized(resized), mask: mask, size: inputSize, patchSize: patchSize),
            shape: [3, inputSize, inputSize])
        let maskArray = try NDArray(mask, shape: [grid, grid])
        let predictionPath = (directory as NSString).appendingPathComponent("pred_standin.npy")
        let maskPath = (directory as NSString).appendingPathComponent("mask.npy")
        try prediction.writeNPY(to: predictionPath)
        try maskArray.writeNPY(to: maskPath)
        let panels = try ReconstructionPanels.make(
            image: resized, prediction: prediction, mask: maskArray, patchSize: patchSize)
        let reconstructionPath = (out as NSString).appendingPathComponent("reconstruction_standin.png")
        try panels.figure().savefig(reconstructionPath)
        return [
            "browse grid:     \(browsePath) (MoCo v2 views of \(samples.count) crops, one row each)",
            "  each row again with `vis browse \(imageDirectory) --pipeline mocov2 --output-dir "
                + "\((directory as NSString).appendingPathComponent("browse")) --not-show --seed 0`",
            "reconstruction:  \(reconstructionPath) (stand-in predictor, not a model: each patch is the mean of its "
                + "visible neighbours)",
            "  again with `vis reconstruct --image \(scenePath) --pred \(predictionPath) --mask \(maskPath) "
                + "--input-size \(inputSize) --patch-size \(patchSize) --out \(reconstructionPath)`",
        ]
    }

    /// A stand-in for a masked-image model's output, in the normalised space (3×size×size): every patch is the
    /// mean colour of its visible 4-neighbour patches, or of all visible patches when none of them is visible.
    static func standInPrediction(_ input: [Float], mask: [Float], size: Int, patchSize: Int) -> [Float] {
        let grid = size / patchSize
        let plane = size * size
        var means = [Float](repeating: 0, count: grid * grid * 3)
        for row in 0..<grid {
            for column in 0..<grid {
                for channel in 0..<3 {
                    var sum: Float = 0
                    for y in (row * patchSize)..<((row + 1) * patchSize) {
                        for x in (column * patchSize)..<((column + 1) * patchSize) { sum += input[channel * plane + y * size + x] }
                    }
                    means[(row * grid + column) * 3 + channel] = sum / Float(patchSize * patchSize)
                }
            }
        }
        let visible = (0..<(grid * grid)).filter { mask[$0] == 0 }
        func average(_ patches: [Int], channel: Int) -> Float {
            patches.isEmpty ? 0 : patches.reduce(0) { $0 + means[$1 * 3 + channel] } / Float(patches.count)
        }
        var output = [Float](repeating: 0, count: 3 * plane)
        for row in 0..<grid {
            for column in 0..<grid {
                let neighbours = [(row - 1, column), (row + 1, column), (row, column - 1), (row, column + 1)]
                    .filter { $0.0 >= 0 && $0.0 < grid && $0.1 >= 0 && $0.1 < grid }
                    .map { $0.0 * grid + $0.1 }
                    .filter { mask[$0] == 0 }
                for channel in 0..<3 {
                    let value = average(neighbours.isEmpty ? visible : neighbours, channel: channel)
                    for y in (row * patchSize)..<((row + 1) * patchSize) {
                        for x in (column * patchSize)..<((column + 1) * patchSize) {
                            output[channel * plane + y * size + x] = value
                        }
                    }
                }
            }
        }
        return output
    }
}
