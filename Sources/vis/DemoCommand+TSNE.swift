import Foundation
import VisCore
import VisEmbedding
import VisTools

extension DemoCommand {
    /// The demo's class names, one per synthetic cluster.
    static let tsneClassNames = ["airplane", "bird", "cat", "dog", "ship", "truck"]

    /// Makes synthetic backbone features (six overlapping Gaussian clusters of 60 samples in 32 dimensions, with
    /// their labels and class names) under `DIR/tsne/`, embeds them with `vis tsne`'s default settings (MMSelfSup's)
    /// and draws MMSelfSup's picture, with a legend, to `DIR/tsne.png`.
    ///
    /// - Returns: The printed lines: where the picture went and the `vis tsne` command that draws it again.
    static func tsnePicture(in out: String) throws -> [String] {
        let directory = (out as NSString).appendingPathComponent("tsne")
        try CommandFailure.naming("--out") {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let (features, labels) = try tsneFeatures()
        let featuresPath = (directory as NSString).appendingPathComponent("features.npy")
        let labelsPath = (directory as NSString).appendingPathComponent("labels.npy")
        let classesPath = (directory as NSString).appendingPathComponent("classes.txt")
        try features.writeNPY(to: featuresPath)
        try NDArray(labels.map(Int64.init), shape: [labels.count]).writeNPY(to: labelsPath)
        try CommandFailure.naming(classesPath) {
            try Data((tsneClassNames.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: classesPath))
        }
        // `vis tsne`'s defaults, so that the printed command draws the same picture (the fit is deterministic for
        // a seed, whatever the thread count).
        let tsne = TSNE(
            components: 2, perplexity: 30, earlyExaggeration: 12, learningRate: .value(200), iterations: 1000,
            iterationsWithoutProgress: 300, initialization: .random, seed: 0)
        let embedding = try tsne.fit(features)
        let picturePath = (out as NSString).appendingPathComponent("tsne.png")
        try TSNEPicture(embedding: embedding.points, labels: labels, classNames: tsneClassNames).write(to: picturePath)
        let workDir = (directory as NSString).appendingPathComponent("work_dirs")
        return [
            "t-SNE picture:   \(picturePath)",
            "  again with `vis tsne \(featuresPath) --labels \(labelsPath) --classes \(classesPath) --work-dir \(workDir)`",
        ]
    }

    /// Six clusters of 60 samples in 32 dimensions: centres about 16 apart, samples spread 2.5 per dimension
    /// (about 20 apart within a cluster), so that the clusters are clear but not perfectly clean, as real classes.
    static func tsneFeatures() throws -> (features: NDArray, labels: [Int]) {
        let (classes, perClass, dimensions) = (tsneClassNames.count, 60, 32)
        var random = SplitMix64(seed: 2024)
        func normal() -> Double {
            (-2 * log(1 - random.nextUnit())).squareRoot() * cos(2 * Double.pi * random.nextUnit())
        }
        let centers = (0..<(classes * dimensions)).map { _ in 2 * normal() }
        var values: [Float] = []
        var labels: [Int] = []
        values.reserveCapacity(classes * perClass * dimensions)
        for sample in 0..<(classes * perClass) {
            let label = sample % classes
            for d in 0..<dimensions { values.append(Float(centers[label * dimensions + d] + 2.5 * normal())) }
            labels.append(label)
        }
        return (try NDArray(values, shape: [labels.count, dimensions]), labels)
    }
}
