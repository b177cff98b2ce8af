import ArgumentParser
import Foundation
import VisEmbedding
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
            embeddings/<key>.npy (N x n_components, float32) and tsne.log (settings, KL divergence, seconds per \
            phase). The defaults are MMSelfSup's; with --method auto the engine uses exact gradients below 500 \
            samples, Barnes-Hut up to 5000 and FFT-interpolated repulsion (FIt-SNE; 1 or 2 components) from there, \
            and approximate nearest neighbours from 10000 samples.
            """)

    @Argument(help: "The features: a .npy file of shape (N, D) or a .npz with one such member per stage.")
    var features: String

    @Option(help: "N integer class labels (.npy); with --max-num-class, only samples of label < K are kept.")
    var labels: String?

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
    }

    func run() throws {
        let stem = URL(fileURLWithPath: features).deletingPathExtension().lastPathComponent
        let stages: [(key: String, array: NDArray)]
        do {
            if features.lowercased().hasSuffix(".npz") {
                stages = try NDArray.loadNPZ(from: features).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            } else {
                stages = [(stem, try NDArray(npyFile: features))]
            }
        } catch {
            throw TsneCommandError("\(features): \(error)")
        }
        guard !stages.isEmpty else { throw TsneCommandError("\(features): the archive holds no arrays") }
        let keep = try keptSamples(count: stages[0].array.shape.first ?? 0)

        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd_HHmmss"
        let runDirectory = URL(fileURLWithPath: workDir).appendingPathComponent("tsne_\(formatter.string(from: Date()))")
        let featureDirectory = runDirectory.appendingPathComponent("features")
        let embeddingDirectory = runDirectory.appendingPathComponent("embeddings")
        for directory in [featureDirectory, embeddingDirectory] {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
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
        let showProgress = isatty(STDERR_FILENO) == 1
        for (key, array) in stages {
            guard array.rank == 2 else {
                throw TsneCommandError("\(features): `\(key)` must have shape (N, D), got \(array.shape)")
            }
            guard keep == nil || array.shape[0] == stages[0].array.shape[0] else {
                throw TsneCommandError(
                    "\(features): `\(key)` has \(array.shape[0]) samples but the labels have \(stages[0].array.shape[0])")
            }
            let selected = try Self.rows(of: array.converted(to: .float32), keeping: keep)
            let featurePath = featureDirectory.appendingPathComponent("\(stem)_\(key).npy").path
            try selected.writeNPY(to: featurePath)
            let embedding: TSNE.Embedding
            do {
                embedding = try tsne.fit(selected) { progress in
                    guard showProgress else { return }
                    let kl = progress.klDivergence.map { String(format: " KL %.4f", $0) } ?? ""
                    FileHandle.standardError.write(
                        Data("\r\(key): \(progress.phase) \(progress.completed)/\(progress.total)\(kl)   ".utf8))
                }
            } catch let error as TSNEError {
                throw TsneCommandError("\(features): `\(key)`: \(error.localizedDescription)")
            }
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            let embeddingPath = embeddingDirectory.appendingPathComponent("\(key).npy").path
            try embedding.points.writeNPY(to: embeddingPath)
            log += "[\(key)] samples: \(selected.shape[0]) features: \(selected.shape[1]) method: \(embedding.method) "
            log += "KL divergence: \(embedding.klDivergence) iterations: \(embedding.iterationsRun)\n"
            for (phase, seconds) in embedding.phaseSeconds {
                log += "[\(key)]   \(phase): \(String(format: "%.3f", seconds)) s\n"
            }
            print("\(key): features \(featurePath), embedding \(embeddingPath)")
        }
        let logPath = runDirectory.appendingPathComponent("tsne.log").path
        try Data(log.utf8).write(to: URL(fileURLWithPath: logPath))
        print("log: \(logPath)")
    }

    /// The sample indices kept by --max-num-class, or nil to keep all (no --labels).
    private func keptSamples(count: Int) throws -> [Int]? {
        guard let labels else { return nil }
        let array: NDArray
        do {
            array = try NDArray(npyFile: labels)
        } catch {
            throw TsneCommandError("--labels \(labels): \(error)")
        }
        guard !array.dtype.isFloatingPoint, array.dtype != .bool, array.count == count, array.rank <= 2 else {
            throw TsneCommandError(
                "--labels \(labels): expected \(count) integer labels (one per sample), got \(array.dtype) of shape "
                    + "\(array.shape)")
        }
        let values = array.converted(to: .int64).values(as: Int64.self) ?? []
        return values.indices.filter { values[$0] < Int64(maxNumClass) }
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

/// A `vis tsne` failure, printed as `Error: <description>`.
struct TsneCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
