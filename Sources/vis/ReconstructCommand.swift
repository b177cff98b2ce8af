import ArgumentParser
import Foundation
import VisTools
import Visualization

/// `vis reconstruct --image IMG --pred PRED.npy --out OUT.png`: MMSelfSup's `visualize_reconstruction.py` without
/// the model, its outputs given as arrays.
struct ReconstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconstruct",
        abstract: "Draw masked-image-modelling reconstruction panels (MMSelfSup's visualize_reconstruction.py).",
        discussion: """
            The image is resized to --input-size squared with Pillow's bilinear filter and normalised with \
            ImageNet's mean and std. PRED.npy is MAE patch predictions (L, p*p*3), laid out (row in patch, column \
            in patch, channel), or an image (3, H, W) or (H, W, 3) (SimMIM, MaskFeat), in the normalised space. \
            MASK.npy holds L values or an h x w grid, 1 = removed; --mask-ratio draws MAE's random mask instead \
            and saves it as OUT_mask.npy. OUT is a 24x6-inch figure at 100 dpi with the panels original, masked, \
            reconstruction and reconstruction + visible; --save-panels DIR also writes them at model resolution. \
            Nothing is written when an input does not fit.
            """)

    @Option(help: "The input image (PNG or JPEG).")
    var image: String

    @Option(help: "The model's prediction (.npy).")
    var pred: String

    @Option(help: "The mask (.npy): L values or an h x w grid, 1 = removed.")
    var mask: String?

    @Option(name: .customLong("mask-ratio"), parsing: .unconditional, help: "Draw MAE's random mask with this ratio.")
    var maskRatio: Double?

    @Option(name: .customLong("patch-size"), parsing: .unconditional, help: "The patch size p.")
    var patchSize: Int = 16

    @Option(name: .customLong("input-size"), parsing: .unconditional, help: "The model's input side in pixels.")
    var inputSize: Int = 224

    @Flag(name: .customLong("norm-pix"), help: "De-normalise each predicted patch (MAE's norm_pix_loss).")
    var normPix = false

    @Option(parsing: .unconditional, help: "The seed of --mask-ratio's random mask.")
    var seed: Int = 0

    @Option(help: "The figure (.png).")
    var out: String

    @Option(name: .customLong("save-panels"), help: "Also write the four panels as PNGs into this directory.")
    var savePanels: String?

    func validate() throws {
        guard (mask == nil) != (maskRatio == nil) else {
            throw ValidationError("give exactly one of --mask MASK.npy and --mask-ratio RATIO")
        }
        if let maskRatio, !(maskRatio >= 0 && maskRatio < 1) {
            throw ValidationError("--mask-ratio must be in [0, 1), got \(maskRatio)")
        }
        guard patchSize > 0 else { throw ValidationError("--patch-size must be positive, got \(patchSize)") }
        guard inputSize > 0, inputSize <= 8192, inputSize % patchSize == 0 else {
            throw ValidationError(
                "--input-size must be a positive multiple of --patch-size \(patchSize) up to 8192, got \(inputSize)")
        }
        guard seed >= 0 else { throw ValidationError("--seed must be non-negative, got \(seed)") }
        guard out.lowercased().hasSuffix(".png") else { throw ValidationError("--out `\(out)` must end in .png") }
    }

    func run() throws {
        let source = try CommandFailure.naming("--image \(image)") { try Image(contentsOfFile: image) }
        let resized = try CommandFailure.naming("--image \(image)") {
            try source.converted(to: .rgb).pillowResized(width: inputSize, height: inputSize, filter: .bilinear)
        }
        let prediction = try CommandFailure.naming("--pred \(pred)") { try NDArray(npyFile: pred) }
        let grid = inputSize / patchSize
        let maskArray: NDArray
        var maskOutput: String?
        if let mask {
            maskArray = try CommandFailure.naming("--mask \(mask)") { try NDArray(npyFile: mask) }
        } else {
            let values = try ReconstructionPanels.randomMask(
                patches: grid * grid, ratio: maskRatio ?? 0, seed: UInt64(seed))
            maskArray = try NDArray(values, shape: [grid * grid])
            maskOutput = (out as NSString).deletingPathExtension + "_mask.npy"
        }
        let panels: ReconstructionPanels
        do {
            panels = try ReconstructionPanels.make(
                image: resized, prediction: prediction, mask: maskArray, patchSize: patchSize, normPix: normPix)
        } catch let error as ReconstructionError {
            switch error {
            case .predictionShape: throw CommandFailure("--pred \(pred): \(error.localizedDescription)")
            case .maskShape: throw CommandFailure("--mask \(mask ?? ""): \(error.localizedDescription)")
            case .invalidArgument: throw CommandFailure(error.localizedDescription)
            }
        }
        // Everything is computed before the first write, so a bad input leaves no file behind.
        let figure = try panels.figure()
        // The panels go first, so that a --save-panels DIR that cannot be written fails before OUT exists; a
        // failure after that removes what this run wrote, so no partial set of outputs is left behind.
        var written: [String] = []
        var panelPaths: [String] = []
        let createdDirectory = savePanels.flatMap(Self.outermostMissingDirectory)
        do {
            if let savePanels {
                try CommandFailure.naming("--save-panels") {
                    try FileManager.default.createDirectory(atPath: savePanels, withIntermediateDirectories: true)
                    for panel in panels.named {
                        let path = (savePanels as NSString).appendingPathComponent(panel.fileName)
                        try panel.image.writePNG(to: path)
                        panelPaths.append(path)
                    }
                }
            }
            try CommandFailure.naming("--out") { try figure.savefig(out) }
            written.append(out)
            if let maskOutput {
                try CommandFailure.naming("--out") { try maskArray.writeNPY(to: maskOutput) }
                written.append(maskOutput)
            }
        } catch {
            for path in written + panelPaths { try? FileManager.default.removeItem(atPath: path) }
            if let createdDirectory { try? FileManager.default.removeItem(atPath: createdDirectory) }
            throw error
        }
        written += panelPaths
        CommandOutput.report("reconstruct", wrote: written)
    }

    /// The outermost directory on the way to `path` that does not exist yet (what creating `path` would add), or
    /// nil when `path` exists.
    static func outermostMissingDirectory(_ path: String) -> String? {
        var missing: String?
        var candidate = (path as NSString).standardizingPath
        while !candidate.isEmpty, candidate != "/", !FileManager.default.fileExists(atPath: candidate) {
            missing = candidate
            candidate = (candidate as NSString).deletingLastPathComponent
        }
        return missing
    }
}
