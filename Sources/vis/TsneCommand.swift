import ArgumentParser
import Foundation
import VisEmbedding
import VisTools
import Visualization

/// `vis tsne FEATURES`: t-SNE embeddings of saved backbone features, with MMSelfSup's `visualize_tsne` options.
struct TsneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsne",
        abstract: "Embed features (.npy or multi-stage .npz) with t-SNE, like MMSelfSup's visualize_tsne.",
        discussion: """
            FEATURES is a .npy of shape (N, D), whose key is the file stem, or a .npz with one (N, D) member per \
            stage (e.g. feat1 ... feat5); each key gets its own embedding. Outputs go to \
            DIR/tsne_<YYYYmmdd_HHMMSS>/: features/<stem>_<key>.npy (the features used, float32), \
            saved_pictures/<key>.png (MMSelfSup's picture: 10 x 10 in at 100 dpi, the first two components \
            normalised to [0, 1], dots of 15 pt^2 coloured by label with tab20; a legend of class names with \
            --classes), embeddings/<key>.npy (N x n_components, float32) and tsne.log (settings, KL divergence, \
            seconds per phase). The defaults are MMSelfSup's; with --method auto the engine uses exact gradients \
            below \(TSNE.exactMethodLimit) samples, Barnes-Hut below \(TSNE.fftMethodThreshold) and \
            FFT-interpolated repulsion (FIt-SNE; 1 or 2 components) from there, and approximate nearest neighbours \
            from \(TSNE.approximateNeighborsThreshold) samples.
            """)

    @Argument(help: "The features: a .npy file of shape (N, D) or a .npz with one such member per stage.")
    var features: String

    @Option(help: "N integer class labels (.npy); with --max-num-class, only samples of label < K are kept.")
    var labels: String?

    @Option(help: "Class names, one per line, indexed by label: adds a legend to the pictures (needs --labels).")
    var classes: String?

    @Option(name: .customLong("work-dir"), help: "The directory the run's tsne_<time> folder goes into.")
    var workDir: String = "work_dirs/tsne"

    @Option(name: .customLong("max-num-class"), parsing: .unconditional, help: "Keep the samples whose label is below this (needs --labels).")
    var maxNumClass: Int = 20

    @Option(name: .customLong("n-components"), parsing: .unconditional, help: "Embedding dimensions (1 to 3 for Barnes-Hut).")
    var nComponents: Int = 2

    @Option(parsing: .unconditional, help: "The perplexity (effective neighbours per point); must be below the number of samples.")
    var perplexity: Double = 30

    @Option(name: .customLong("early-exaggeration"), parsing: .unconditional, help: "The factor on the affinities for the first 250 iterations.")
    var earlyExaggeration: Double = 12

    @Option(name: .customLong("learning-rate"), parsing: .unconditional, help: "The step size, or `auto` (max(N / early-exaggeration / 4, 50)).")
    var learningRate: String = "200"

    @Option(name: .customLong("n-iter"), parsing: .unconditional, help: "The maximum number of iterations (at least 250).")
    var nIter: Int = 1000

    @Option(
        name: .customLong("n-iter-without-progress"), parsing: .unconditional,
        help: "Stop after this many iterations without improvement of the KL divergence.")
    var nIterWithoutProgress: Int = 300

    @Option(name: .customLong("init"), help: "The initial embedding: random or pca.")
    var initialization: String = "random"

    @Option(parsing: .unconditional, help: "The random seed.")
    var seed: Int = 0

    @Option(help: "auto, exact, barnes-hut or fft.")
    var method: String = "auto"

    static func parseLearningRate(_ text: String) throws -> TSNE.LearningRate {
        if text == "auto" { return .auto }
        guard let value = Double(text), value.isFinite, value > 0 else {
            throw ValidationError("--learning-rate must be a positive number or `auto`, got `\(text)`")
        }
        return .value(value)
    }

    func validate() throws {
        _ = try Self.parseLearningRate(learningRate)
        guard ["random", "pca"].contains(initialization) else {
            throw ValidationError("--init must be random or pca, got `\(initialization)`")
        }
        guard ["auto", "exact", "barnes-hut", "fft"].contains(method) else {
            throw ValidationError("--method must be auto, exact, barnes-hut or fft, got `\(method)`")
        }
        guard nComponents >= 1 else { throw ValidationError("--n-components must be at least 1, got \(nComponents)") }
        guard perplexity.isFinite, perplexity > 0 else {
            throw ValidationError("--perplexity must be a positive number, got \(perplexity)")
        }
        guard earlyExaggeration.isFinite, earlyExaggeration >= 1 else {
            throw ValidationError("--early-exaggeration must be a number >= 1, got \(earlyExaggeration)")
        }
        guard nIter >= 250 else { throw ValidationError("--n-iter must be at least 250, got \(nIter)") }
        guard nIterWithoutProgress >= 0 else {
            throw ValidationError("--n-iter-without-progress must be >= 0, got \(nIterWithoutProgress)")
        }
        guard seed >= 0 else { throw ValidationError("--seed must be >= 0, got \(seed)") }
        guard maxNumClass >= 1 else { throw ValidationError("--max-num-class must be at least 1, got \(maxNumClass)") }
        guard classes == nil || labels != nil else {
            throw ValidationError("--classes needs --labels (the names are indexed by label)")
        }
    }

    func run() throws {
        let stem = URL(fileURLWithPath: features).deletingPathExtension().lastPathComponent
        let stages: [(key: String, array: NDArray)] = try CommandFailure.naming(features) {
            if features.lowercased().hasSuffix(".npz") {
                return try NDArray.loadNPZ(from: features).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
            return [(stem, try NDArray(npyFile: features))]
        }
        guard !stages.isEmpty else { throw CommandFailure("\(features): the archive holds no arrays") }
        let kept = try keptSamples(count: stages[0].array.shape.first ?? 0)
        let names = try classNames(labels: kept?.labels)

        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd_HHmmss"
        let runDirectory = URL(fileURLWithPath: workDir).appendingPathComponent("tsne_\(formatter.string(from: Date()))")
        let featureDirectory = runDirectory.appendingPathComponent("features")
        let embeddingDirectory = runDirectory.appendingPathComponent("embeddings")
        let pictureDirectory = runDirectory.appendingPathComponent("saved_pictures")
        try CommandFailure.naming("--work-dir") {
            for directory in [featureDirectory, embeddingDirectory, pictureDirectory] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
        }
        let tsne = TSNE(
            components: nComponents, perplexity: perplexity, earlyExaggeration: earlyExaggeration,
            learningRate: try Self.parseLearningRate(learningRate), iterations: nIter,
            iterationsWithoutProgress: nIterWithoutProgress, initialization: initialization == "pca" ? .pca : .random,
            seed: UInt64(seed),
            method: ["exact": .exact, "barnes-hut": .barnesHut, "fft": .fft][method] ?? .auto)
        var log = """
            features: \(features)
            labels: \(labels ?? "none")
            classes: \(classes ?? "none")
            max_num_class: \(maxNumClass)
            n_components: \(nComponents)
            perplexity: \(perplexity)
            early_exaggeration: \(earlyExaggeration)
            learning_rate: \(learningRate)
            n_iter: \(nIter)
            n_iter_without_progress: \(nIterWithoutProgress)
            init: \(initialization)
            seed: \(seed)
            method: \(method)

            """
        var written: [String] = []
        for (key, array) in stages {
            guard array.rank == 2 else {
                throw CommandFailure("\(features): `\(key)` must have shape (N, D), got \(array.shape)")
            }
            guard kept == nil || array.shape[0] == stages[0].array.shape[0] else {
                throw CommandFailure(
                    "\(features): `\(key)` has \(array.shape[0]) samples but the labels have \(stages[0].array.shape[0])")
            }
            let selected = try Self.rows(of: array.converted(to: .float32), keeping: kept?.indices)
            let featurePath = featureDirectory.appendingPathComponent("\(stem)_\(key).npy").path
            try selected.writeNPY(to: featurePath)
            written.append(featurePath)
            let bar = ProgressBar(total: 0, prefix: key)
            let fitted = Result {
                try tsne.fit(selected) { progress in
                    bar.update(
                        completed: progress.completed, total: progress.total, prefix: "\(key) \(progress.phase)",
                        detail: progress.klDivergence.map { String(format: "KL %.4f", $0) } ?? "")
                }
            }
            bar.finish()
            let embedding: TSNE.Embedding
            do {
                embedding = try fitted.get()
            } catch let error as TSNEError {
                throw CommandFailure("\(features): `\(key)`: \(error.localizedDescription)")
            }
            let embeddingPath = embeddingDirectory.appendingPathComponent("\(key).npy").path
            try embedding.points.writeNPY(to: embeddingPath)
            written.append(embeddingPath)
            log += "[\(key)] samples: \(selected.shape[0]) features: \(selected.shape[1]) method: \(embedding.method) "
            log += "KL divergence: \(embedding.klDivergence) iterations: \(embedding.iterationsRun)\n"
            for (phase, seconds) in embedding.phaseSeconds {
                log += "[\(key)]   \(phase): \(String(format: "%.3f", seconds)) s\n"
            }
            if nComponents >= 2 {
                let picturePath = pictureDirectory.appendingPathComponent("\(key).png").path
                let started = ContinuousClock.now
                try CommandFailure.naming(picturePath) {
                    try TSNEPicture(embedding: embedding.points, labels: kept?.labels, classNames: names).write(to: picturePath)
                }
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                log += "[\(key)]   picture: \(String(format: "%.3f", seconds)) s\n"
                written.append(picturePath)
            } else {
                log += "[\(key)] no picture: it needs at least 2 components\n"
            }
        }
        let logPath = runDirectory.appendingPathComponent("tsne.log").path
        try CommandFailure.naming("--work-dir") { try Data(log.utf8).write(to: URL(fileURLWithPath: logPath)) }
        CommandOutput.report("tsne", wrote: written + [logPath])
    }

    /// The sample indices kept by --max-num-class and their labels, or nil to keep all (no --labels).
    private func keptSamples(count: Int) throws -> (indices: [Int], labels: [Int])? {
        guard let labels else { return nil }
        let array = try CommandFailure.naming("--labels \(labels)") { try NDArray(npyFile: labels) }
        guard !array.dtype.isFloatingPoint, array.dtype != .bool, array.count == count, array.rank <= 2 else {
            throw CommandFailure(
                "--labels \(labels): expected \(count) integer labels (one per sample), got \(array.dtype) of shape "
                    + "\(array.shape)")
        }
        let values = array.converted(to: .int64).values(as: Int64.self) ?? []
        let indices = values.indices.filter { values[$0] < Int64(maxNumClass) }
        return (indices, indices.map { Int(values[$0]) })
    }

    /// The names of --classes (one per line), checked against the kept labels before any work; nil without it.
    private func classNames(labels: [Int]?) throws -> [String]? {
        guard let classes else { return nil }
        let text = try CommandFailure.naming("--classes \(classes)") {
            try String(contentsOf: URL(fileURLWithPath: classes), encoding: .utf8)
        }
        // `\r\n` is one Character in Swift, so split on newlines rather than on "\n".
        var names = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if names.last == "" { names.removeLast() }
        let labels = labels ?? []
        if let negative = labels.first(where: { $0 < 0 }) {
            throw CommandFailure("--labels \(self.labels ?? ""): label \(negative) is negative; --classes names labels 0, 1, 2, ...")
        }
        let count = (labels.max() ?? -1) + 1
        guard names.count >= count else {
            throw CommandFailure(
                "--classes \(classes): \(names.count) names for \(count) classes (labels 0...\(count - 1) after "
                    + "--max-num-class); expected one name per line for each class")
        }
        return names
    }

    /// The rows `keep` of a 2-D float32 array (all when nil).
    static func rows(of array: NDArray, keeping keep: [Int]?) throws -> NDArray {
        guard let keep else { return array }
        let d = array.shape[1]
        let values = array.toFloat32()
        var out = [Float]()
        out.reserveCapacity(keep.count * d)
        for i in keep { out.append(contentsOf: values[(i * d)..<((i + 1) * d)]) }
        return try NDArray(out, shape: [keep.count, d])
    }
}

