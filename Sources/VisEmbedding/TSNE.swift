import VisCore

/// t-distributed stochastic neighbour embedding (t-SNE): places N high-dimensional points in a few dimensions so that
/// points that are neighbours in the input stay neighbours in the picture.
///
/// The algorithm is the standard one of scikit-learn and openTSNE:
/// 1. **Affinities.** For every point, its k = min(N − 1, ⌊3 · perplexity⌋) nearest neighbours (Euclidean), a
///    Gaussian over their squared distances whose precision is found by binary search so that its perplexity is
///    `perplexity`, and the symmetrised joint probabilities P = (P + Pᵀ) / (2N).
/// 2. **Optimisation.** Gradient descent on the Kullback–Leibler divergence between P and the Cauchy-kernel
///    similarities Q of the embedding: `earlyExaggeration` × P with momentum 0.5 for the first 250 iterations, then P
///    with momentum 0.8, per-parameter gains (+0.2 when the gradient changes sign, ×0.8 otherwise, at least 0.01),
///    stopping after `iterations` or when the divergence (checked every 50 iterations) has not improved for
///    `iterationsWithoutProgress` iterations.
///
/// The repulsive part of the gradient is computed exactly (O(N²) per iteration), by Barnes-Hut on a
/// space-partitioning tree (O(N log N), θ = 0.5) or by FFT-accelerated interpolation on a grid (FIt-SNE, O(N) plus
/// the grid's transforms); all share the same attractive part over the sparse P. Neighbours are exact up to
/// ``approximateNeighborsThreshold`` points and approximate (random-projection trees + neighbour descent) above.
///
/// Results are deterministic for a given seed, whatever the thread count: every parallel loop writes per-point
/// results and sums them in a fixed order.
public struct TSNE: Sendable {
    /// The learning rate of the gradient descent.
    public enum LearningRate: Sendable, Hashable {
        /// max(N / earlyExaggeration / 4, 50), scikit-learn's `"auto"` (since 1.2).
        case auto
        /// A fixed step size.
        case value(Double)
    }

    /// How the embedding starts.
    public enum Initialization: Sendable, Hashable {
        /// The first principal components of the input, scaled so that the first column has standard deviation
        /// 1e-4 (scikit-learn's `init="pca"`).
        case pca
        /// Independent normal draws with standard deviation 1e-4 from the seeded generator.
        case random
    }

    /// How the gradient's repulsive forces are computed.
    public enum Method: Sendable, Hashable {
        /// ``exact`` below ``TSNE/exactMethodLimit`` points or above 3 components, ``fft`` from
        /// ``TSNE/fftMethodThreshold`` points with 1 or 2 components, ``barnesHut`` otherwise.
        case auto
        /// All pairs every iteration, with affinities over all N − 1 other points (scikit-learn's `"exact"`).
        /// Memory and time O(N²): for a few thousand points at most.
        case exact
        /// Barnes-Hut approximation on a 2^components-ary space-partitioning tree, θ = 0.5. Up to 3 components.
        case barnesHut
        /// FFT-accelerated interpolation (FIt-SNE, as openTSNE computes it): the charges are interpolated on an
        /// equispaced grid (3 nodes per interval, intervals of width ≤ 1 and at least 50 per axis), the kernel
        /// sums between nodes are one convolution by FFT. O(N) per iteration plus the grid's FFTs; 1 or 2
        /// components.
        case fft
    }

    /// How the nearest neighbours of the affinities are found.
    public enum NeighborSearch: Sendable, Hashable {
        /// ``exact`` below ``TSNE/approximateNeighborsThreshold`` points, ``approximate`` from there.
        case auto
        /// Every pair's distance (a blocked, multithreaded distance kernel): O(N² D).
        case exact
        /// Random-projection trees for a start, refined by nearest-neighbour descent (the approach of openTSNE's
        /// pynndescent): about O(N k² D) with a recall of 0.99 or more on clustered data at k = 90. Deterministic
        /// for a seed and thread count.
        case approximate
    }

    /// Where ``fit(_:progress:)`` is.
    public struct Progress: Sendable, Hashable {
        /// The stage of the computation.
        public enum Phase: Sendable, Hashable {
            /// Projecting the input on its principal components (``TSNE/pcaDimensions``, PCA initialisation).
            case pca
            /// Nearest-neighbour search.
            case neighbors
            /// Perplexity calibration and symmetrisation.
            case affinities
            /// The first 250 iterations, with exaggerated affinities.
            case earlyExaggeration
            /// The remaining iterations.
            case optimization
        }

        /// The current phase.
        public var phase: Phase
        /// Work done in the phase (iterations for the optimisation phases, rows for the others).
        public var completed: Int
        /// Work to do in the phase.
        public var total: Int
        /// The Kullback–Leibler divergence at the last check (every 50 iterations), when one was made.
        public var klDivergence: Double?
    }

    /// The output of ``fit(_:progress:)``.
    public struct Embedding: Sendable {
        /// N × components, float32.
        public var points: NDArray
        /// The Kullback–Leibler divergence KL(P ‖ Q) of the final embedding.
        public var klDivergence: Double
        /// Gradient-descent iterations run (fewer than ``TSNE/iterations`` after an early stop).
        public var iterationsRun: Int
        /// The gradient method used.
        public var method: Method
        /// Seconds spent per phase, in the order they ran.
        public var phaseSeconds: [(phase: Progress.Phase, seconds: Double)]
    }

    /// Output dimensions (2 for pictures).
    public var components: Int
    /// The effective number of neighbours each point's Gaussian covers; must be below N.
    public var perplexity: Double
    /// The factor on P during the first 250 iterations.
    public var earlyExaggeration: Double
    /// The gradient step.
    public var learningRate: LearningRate
    /// The maximum number of iterations, early exaggeration included (at least 250).
    public var iterations: Int
    /// Stop when the divergence has not improved for this many iterations (checked every 50).
    public var iterationsWithoutProgress: Int
    /// The starting embedding.
    public var initialization: Initialization
    /// The seed of the random initialisation and of the randomised PCA.
    public var seed: UInt64
    /// The gradient method.
    public var method: Method
    /// The nearest-neighbour search (not used by the exact method, whose affinities cover every pair).
    public var neighbors: NeighborSearch
    /// Worker threads; `nil` uses every core. Results do not depend on it.
    public var threads: Int?
    /// When set and the input has more features than this, the input is first projected on this many principal
    /// components (randomised PCA) before the neighbour search. Worth it for wide features (hundreds to thousands of
    /// dimensions, such as backbone features): it makes the neighbour search D/pcaDimensions times cheaper and
    /// removes noise dimensions, as openTSNE and FIt-SNE recommend (50 is their usual choice). Off by default,
    /// which is what scikit-learn does.
    public var pcaDimensions: Int?
    /// The Barnes-Hut opening angle: a cell is summarised when its width / distance < θ.
    public var theta: Double

    /// Settings with scikit-learn's defaults.
    public init(
        components: Int = 2, perplexity: Double = 30, earlyExaggeration: Double = 12,
        learningRate: LearningRate = .auto, iterations: Int = 1000, iterationsWithoutProgress: Int = 300,
        initialization: Initialization = .pca, seed: UInt64 = 0, method: Method = .auto,
        neighbors: NeighborSearch = .auto, threads: Int? = nil, pcaDimensions: Int? = nil, theta: Double = 0.5
    ) {
        self.components = components
        self.perplexity = perplexity
        self.earlyExaggeration = earlyExaggeration
        self.learningRate = learningRate
        self.iterations = iterations
        self.iterationsWithoutProgress = iterationsWithoutProgress
        self.initialization = initialization
        self.seed = seed
        self.method = method
        self.neighbors = neighbors
        self.threads = threads
        self.pcaDimensions = pcaDimensions
        self.theta = theta
    }

    /// Below this many points `.auto` uses the exact gradient.
    public static let exactMethodLimit = 500
    /// From this many points `.auto` uses FFT-interpolated repulsion (1 or 2 components). The FFT's cost is set by
    /// the grid, which grows with the embedding's extent (at least one interval per unit), Barnes-Hut's by N log N.
    /// Measured on clustered 50-dimensional blobs, 1000 iterations on two cores (wall seconds, Barnes-Hut vs FFT):
    /// 5 000 points 5.1 vs 9.6, 10 000 points 10.5 vs 9.6, 20 000 points 23.9 vs 13.4.
    public static let fftMethodThreshold = 10_000
    /// From this many points `.auto` finds neighbours approximately: at 20 000 × 50 the exact O(N² D) search took
    /// about three times as long as the approximate one (recall 0.999), below a few thousand points it is as fast.
    public static let approximateNeighborsThreshold = 10_000

    /// The method `.auto` resolves to for `count` points.
    public func resolvedMethod(count: Int) -> Method {
        switch method {
        case .auto:
            if count < Self.exactMethodLimit || components > 3 { return .exact }
            if count >= Self.fftMethodThreshold && components <= 2 { return .fft }
            return .barnesHut
        case .exact, .barnesHut, .fft: return method
        }
    }

    /// Whether neighbours are found approximately for `count` points.
    public func usesApproximateNeighbors(count: Int) -> Bool {
        switch neighbors {
        case .auto: return count >= Self.approximateNeighborsThreshold
        case .exact: return false
        case .approximate: return true
        }
    }

    /// The learning rate for `count` points.
    public func resolvedLearningRate(count: Int) -> Double {
        switch learningRate {
        case .auto: return max(Double(count) / earlyExaggeration / 4, 50)
        case .value(let rate): return rate
        }
    }

    /// The number of nearest neighbours the affinities use for `count` points.
    public func neighborCount(count: Int) -> Int {
        min(count - 1, max(1, Int(3 * perplexity)))
    }
}
