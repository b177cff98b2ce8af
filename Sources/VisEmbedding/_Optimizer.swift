/// Gradient descent with momentum and per-parameter gains, in two phases (exaggerated, then not), as
/// scikit-learn's `_gradient_descent` runs it: each phase starts with zero velocity and unit gains, the divergence is
/// computed every 50 iterations (and at the last), and a phase stops early when it has not improved for the phase's
/// patience or the gradient norm falls below 1e-7.
struct _Optimizer {
    static let explorationIterations = 250
    static let checkInterval = 50
    static let minGain = 0.01
    static let minGradientNorm = 1e-7

    var gradient: any _GradientMethod
    var count: Int
    var dims: Int
    var learningRate: Double
    var earlyExaggeration: Double
    var iterations: Int
    var iterationsWithoutProgress: Int

    struct Result {
        var y: [Double]
        var kl: Double
        var iterations: Int
    }

    func run(
        from start: [Double], progress: ((TSNE.Progress) -> Void)?, lap: (TSNE.Progress.Phase) -> Void
    ) throws -> Result {
        var y = start
        var grad = [Double](repeating: 0, count: y.count)
        var (last, _) = try phase(
            .earlyExaggeration, y: &y, grad: &grad, from: 0, to: Self.explorationIterations, momentum: 0.5,
            exaggeration: earlyExaggeration, patience: Self.explorationIterations, progress: progress)
        lap(.earlyExaggeration)
        var kl: Double? = nil
        if iterations > Self.explorationIterations {
            (last, kl) = try phase(
                .optimization, y: &y, grad: &grad, from: last + 1, to: iterations, momentum: 0.8, exaggeration: 1,
                patience: iterationsWithoutProgress, progress: progress)
            lap(.optimization)
        }
        let finalKL = kl ?? gradient.gradient(y: y, into: &grad, exaggeration: 1, computeError: true) ?? .nan
        return Result(y: y, kl: finalKL, iterations: last + 1)
    }

    /// Iterations `from..<to`; returns the last iteration run and the divergence at the last check.
    private func phase(
        _ phase: TSNE.Progress.Phase, y: inout [Double], grad: inout [Double], from: Int, to: Int, momentum: Double,
        exaggeration: Double, patience: Int, progress: ((TSNE.Progress) -> Void)?
    ) throws -> (Int, Double?) {
        var update = [Double](repeating: 0, count: y.count)
        var gains = [Double](repeating: 1, count: y.count)
        var bestError = Double.greatestFiniteMagnitude
        var bestIteration = from
        var lastError: Double? = nil
        var i = from
        progress?(TSNE.Progress(phase: phase, completed: 0, total: to - from, klDivergence: nil))
        while i < to {
            try Task.checkCancellation()
            let check = (i + 1) % Self.checkInterval == 0
            let error = gradient.gradient(
                y: y, into: &grad, exaggeration: exaggeration, computeError: check || i == to - 1)
            var normSquared = 0.0
            for e in y.indices {
                let g = grad[e]
                if update[e] * g < 0 { gains[e] += 0.2 } else { gains[e] *= 0.8 }
                if gains[e] < Self.minGain { gains[e] = Self.minGain }
                let scaled = g * gains[e]
                normSquared += scaled * scaled
                update[e] = momentum * update[e] - learningRate * scaled
                y[e] += update[e]
            }
            if let error { lastError = error }
            if (i - from + 1) % 10 == 0 || i == to - 1 {
                progress?(TSNE.Progress(phase: phase, completed: i - from + 1, total: to - from, klDivergence: lastError))
            }
            if check, let error {
                if error < bestError {
                    bestError = error
                    bestIteration = i
                } else if i - bestIteration > patience {
                    break
                }
                if normSquared.squareRoot() <= Self.minGradientNorm { break }
            }
            i += 1
        }
        return (min(i, to - 1), lastError)
    }
}
