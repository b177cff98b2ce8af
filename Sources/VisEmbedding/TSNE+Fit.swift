import Foundation
import VisCore

extension TSNE {
    /// Embeds the rows of `x` (N × D, float32 or float64).
    ///
    /// Checks for cancellation of the current task between rows of work and every iteration, throwing
    /// `CancellationError`.
    ///
    /// - Parameters:
    ///   - x: The features, N×D `float32` or `float64` (N ≥ 2 points, D ≥ 1, all finite).
    ///   - progress: Called from the calling thread at each phase start and every 10 iterations.
    /// - Throws: ``TSNEError`` for bad input or settings.
    public func fit(_ x: NDArray, progress: ((Progress) -> Void)? = nil) throws -> Embedding {
        let (data, n, d) = try validated(x)
        let threads = _workerCount(self.threads)
        let method = resolvedMethod(count: n)
        if method == .barnesHut && components > 3 { throw TSNEError.barnesHutComponents(components) }
        if method == .fft && components > 2 { throw TSNEError.fftComponents(components) }
        var timings: [(phase: Progress.Phase, seconds: Double)] = []
        var clock = ContinuousClock.now
        func lap(_ phase: Progress.Phase) {
            let now = ContinuousClock.now
            let elapsed = now - clock
            timings.append((phase, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18))
            clock = now
        }

        // Centre once: distances are unchanged and PCA needs it.
        var centered = data
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for f in 0..<d { mean[f] += data[i * d + f] } }
        for f in 0..<d { mean[f] /= Double(n) }
        for i in 0..<n { for f in 0..<d { centered[i * d + f] -= mean[f] } }

        var features = centered
        var width = d
        if let target = pcaDimensions, d > target {
            progress?(Progress(phase: .pca, completed: 0, total: n, klDivergence: nil))
            features = _PCA.scores(centered: centered, count: n, dimensions: d, components: target, seed: seed,
                threads: threads)
            width = target
            lap(.pca)
        }
        try Task.checkCancellation()

        let k = method == .exact ? n - 1 : neighborCount(count: n)
        progress?(Progress(phase: .neighbors, completed: 0, total: n, klDivergence: nil))
        let graph: _NeighborGraph
        if method == .exact {
            graph = Self.allPairs(features, count: n, dimensions: width)
        } else {
            if usesApproximateNeighbors(count: n) {
                graph = try _NeighborDescent.search(
                    data: features, count: n, dimensions: width, k: k, seed: seed, threads: threads)
            } else {
                graph = _NearestNeighbors.search(data: features, count: n, dimensions: width, k: k, threads: threads)
            }
        }
        lap(.neighbors)
        try Task.checkCancellation()

        progress?(Progress(phase: .affinities, completed: 0, total: n, klDivergence: nil))
        let conditional = _Affinities.conditional(
            squaredDistances: graph.squaredDistances, rows: n, k: k, perplexity: perplexity, threads: threads)
        let p = _Affinities.symmetrize(graph: graph, conditional: conditional)
        lap(.affinities)
        try Task.checkCancellation()

        let start = initialEmbedding(features: features, count: n, dimensions: width, threads: threads)
        let gradient: any _GradientMethod
        switch method {
        case .exact: gradient = _ExactGradient(p: p, dims: components, threads: threads)
        case .fft: gradient = _FFTGradient(p: p, dims: components, threads: threads)
        case .auto, .barnesHut: gradient = _BarnesHutGradient(p: p, dims: components, threads: threads, theta: theta)
        }
        let optimizer = _Optimizer(
            gradient: gradient, count: n, dims: components, learningRate: resolvedLearningRate(count: n),
            earlyExaggeration: earlyExaggeration, iterations: iterations,
            iterationsWithoutProgress: iterationsWithoutProgress)
        let result = try optimizer.run(from: start, progress: progress) { phase in lap(phase) }
        let points = try NDArray(result.y.map { Float($0) }, shape: [n, components])
        return Embedding(
            points: points, klDivergence: result.kl, iterationsRun: result.iterations, method: method,
            phaseSeconds: timings)
    }

    /// The input as row-major float64, after every check of shape, type, values and settings.
    func validated(_ x: NDArray) throws -> ([Double], Int, Int) {
        guard x.rank == 2 else { throw TSNEError.wrongRank(shape: x.shape) }
        guard x.dtype.isFloatingPoint else { throw TSNEError.unsupportedType(x.dtype.rawValue) }
        let n = x.shape[0]
        let d = x.shape[1]
        guard n >= 2 else { throw TSNEError.tooFewSamples(n) }
        guard d >= 1 else { throw TSNEError.noFeatures }
        try validateSettings(count: n)
        let data = x.toDouble()
        if let bad = data.firstIndex(where: { !$0.isFinite }) {
            throw TSNEError.nonFiniteFeature(row: bad / d, column: bad % d)
        }
        return (data, n, d)
    }

    func validateSettings(count n: Int) throws {
        guard perplexity > 0, perplexity < Double(n) else {
            throw TSNEError.perplexityOutOfRange(perplexity: perplexity, samples: n)
        }
        guard components >= 1 else {
            throw TSNEError.invalidSetting(name: "components", expected: "at least 1", got: "\(components)")
        }
        guard earlyExaggeration.isFinite, earlyExaggeration >= 1 else {
            throw TSNEError.invalidSetting(
                name: "earlyExaggeration", expected: "a finite number ≥ 1", got: "\(earlyExaggeration)")
        }
        if case .value(let rate) = learningRate, !(rate.isFinite && rate > 0) {
            throw TSNEError.invalidSetting(name: "learningRate", expected: "a positive finite number", got: "\(rate)")
        }
        guard iterations >= _Optimizer.explorationIterations else {
            throw TSNEError.invalidSetting(
                name: "iterations", expected: "at least \(_Optimizer.explorationIterations)", got: "\(iterations)")
        }
        guard iterationsWithoutProgress >= 0 else {
            throw TSNEError.invalidSetting(
                name: "iterationsWithoutProgress", expected: "≥ 0", got: "\(iterationsWithoutProgress)")
        }
        if let threads, threads < 1 {
            throw TSNEError.invalidSetting(name: "threads", expected: "at least 1 (or nil for every core)", got: "\(threads)")
        }
        if let target = pcaDimensions, target < components {
            throw TSNEError.invalidSetting(
                name: "pcaDimensions", expected: "at least components (\(components))", got: "\(target)")
        }
        guard theta.isFinite, theta >= 0 else {
            throw TSNEError.invalidSetting(name: "theta", expected: "a finite number ≥ 0", got: "\(theta)")
        }
    }

    /// Every other point as a neighbour (the exact method's affinities), squared distances in float64.
    static func allPairs(_ x: [Double], count n: Int, dimensions d: Int) -> _NeighborGraph {
        let k = n - 1
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Double](repeating: 0, count: n * k)
        x.withUnsafeBufferPointer { x in
            for i in 0..<n {
                var r = 0
                for j in 0..<n where j != i {
                    indices[i * k + r] = Int32(j)
                    distances[i * k + r] = _squaredDistance(x, i, j, width: d)
                    r += 1
                }
            }
        }
        return _NeighborGraph(count: n, k: k, indices: indices, squaredDistances: distances)
    }

    /// PCA scores scaled so the first column has standard deviation 1e-4, or N(0, 1e-4²) draws.
    func initialEmbedding(features: [Double], count n: Int, dimensions d: Int, threads: Int) -> [Double] {
        switch initialization {
        case .random:
            var rng = SplitMix64(seed: seed)
            return (0..<(n * components)).map { _ in 1e-4 * rng.nextNormal() }
        case .pca:
            var scores = _PCA.scores(
                centered: features, count: n, dimensions: d, components: components, seed: seed, threads: threads)
            if scores.count != n * components {
                // Fewer features than components: pad with zeros.
                let c = scores.count / n
                var padded = [Double](repeating: 0, count: n * components)
                for i in 0..<n { for a in 0..<c { padded[i * components + a] = scores[i * c + a] } }
                scores = padded
            }
            var mean = 0.0
            for i in 0..<n { mean += scores[i * components] }
            mean /= Double(n)
            var variance = 0.0
            for i in 0..<n { variance += (scores[i * components] - mean) * (scores[i * components] - mean) }
            let std = (variance / Double(n)).squareRoot()
            let scale = std > 0 ? 1e-4 / std : 0
            if scale == 0 {
                var rng = SplitMix64(seed: seed)
                return (0..<(n * components)).map { _ in 1e-4 * rng.nextNormal() }
            }
            return scores.map { $0 * scale }
        }
    }
}
