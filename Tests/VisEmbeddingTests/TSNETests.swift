import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisEmbedding

@Suite("t-SNE engine")
struct TSNETests {
    @Test("Barnes-Hut with θ = 0 equals the exact gradient; θ = 0.5 stays close")
    func barnesHutMatchesExactGradient() throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 3, perCluster: 40, dimensions: 5)
        let tsne = TSNE(perplexity: 10)
        let (data, n, d) = try tsne.validated(x)
        let graph = _NearestNeighbors.search(data: data, count: n, dimensions: d, k: 30, threads: 2)
        let c = _Affinities.conditional(
            squaredDistances: graph.squaredDistances, rows: n, k: 30, perplexity: 10, threads: 2)
        let p = _Affinities.symmetrize(graph: graph, conditional: c)
        for dims in 1...3 {
            var rng = SplitMix64(seed: UInt64(dims))
            let y = (0..<(n * dims)).map { _ in 3 * rng.nextNormal() }
            var exact = [Double](repeating: 0, count: n * dims)
            var bh0 = exact
            var bh = exact
            let klExact = _ExactGradient(p: p, dims: dims, threads: 2)
                .gradient(y: y, into: &exact, exaggeration: 12, computeError: true)
            let kl0 = _BarnesHutGradient(p: p, dims: dims, threads: 2, theta: 0)
                .gradient(y: y, into: &bh0, exaggeration: 12, computeError: true)
            let klHalf = _BarnesHutGradient(p: p, dims: dims, threads: 1, theta: 0.5)
                .gradient(y: y, into: &bh, exaggeration: 12, computeError: true)
            let norm = exact.map { $0 * $0 }.reduce(0, +).squareRoot()
            let error0 = zip(exact, bh0).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            let errorHalf = zip(exact, bh).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
            #expect(error0 <= 1e-12 * norm, "dims \(dims)")
            #expect(errorHalf <= 0.05 * norm, "dims \(dims): relative error \(errorHalf / norm)")
            #expect(abs((kl0 ?? 0) - (klExact ?? 1)) < 1e-10)
            #expect(abs((klHalf ?? 0) - (klExact ?? 1)) < 0.02 * (klExact ?? 1))
        }
    }

    @Test("The exact gradient is the derivative of the KL divergence (finite differences)")
    func exactGradientIsTheDerivative() throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 2, perCluster: 10, dimensions: 3)
        let (data, n, d) = try TSNE(perplexity: 5).validated(x)
        let graph = TSNE.allPairs(data, count: n, dimensions: d)
        let c = _Affinities.conditional(
            squaredDistances: graph.squaredDistances, rows: n, k: n - 1, perplexity: 5, threads: 1)
        let p = _Affinities.symmetrize(graph: graph, conditional: c)
        let method = _ExactGradient(p: p, dims: 2, threads: 1)
        var rng = SplitMix64(seed: 3)
        let y = (0..<(n * 2)).map { _ in rng.nextNormal() }
        var grad = [Double](repeating: 0, count: n * 2)
        _ = method.gradient(y: y, into: &grad, exaggeration: 1, computeError: false)
        var scratch = grad
        for e in [0, 5, 17, 39] {
            let h = 1e-6
            var plus = y
            var minus = y
            plus[e] += h
            minus[e] -= h
            let up = method.gradient(y: plus, into: &scratch, exaggeration: 1, computeError: true) ?? .nan
            let down = method.gradient(y: minus, into: &scratch, exaggeration: 1, computeError: true) ?? .nan
            let numeric = (up - down) / (2 * h)
            #expect(abs(numeric - grad[e]) < 1e-5 * max(1, abs(grad[e])), "component \(e): \(numeric) vs \(grad[e])")
        }
    }

    @Test("Nearest neighbours equal a brute-force search")
    func nearestNeighborsAreExact() throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 4, perCluster: 53, dimensions: 13)
        let (data, n, d) = try TSNE().validated(x)
        let k = 15
        let graph = _NearestNeighbors.search(data: data, count: n, dimensions: d, k: k, threads: 2)
        let all = TSNE.allPairs(data, count: n, dimensions: d)
        for i in 0..<n {
            var row: [(distance: Double, index: Int32)] = []
            for r in 0..<(n - 1) { row.append((all.squaredDistances[i * (n - 1) + r], all.indices[i * (n - 1) + r])) }
            row.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }
            let expected: [Int32] = row.prefix(k).map { $0.index }
            let found = Array(graph.indices[(i * k)..<((i + 1) * k)])
            #expect(found == expected, "row \(i)")
            for r in 0..<k { #expect(abs(graph.squaredDistances[i * k + r] - row[r].distance) < 1e-9) }
        }
    }

    @Test("Symmetrised affinities sum to 1 and are symmetric")
    func affinitiesAreSymmetric() throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 3, perCluster: 30, dimensions: 4)
        let (data, n, d) = try TSNE().validated(x)
        let graph = _NearestNeighbors.search(data: data, count: n, dimensions: d, k: 20, threads: 2)
        let c = _Affinities.conditional(
            squaredDistances: graph.squaredDistances, rows: n, k: 20, perplexity: 7, threads: 2)
        let p = _Affinities.symmetrize(graph: graph, conditional: c)
        var dense = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for e in p.rowStart[i]..<p.rowStart[i + 1] { dense[i * n + Int(p.columns[e])] = p.values[e] } }
        #expect(abs(dense.reduce(0, +) - 1) < 1e-12)
        for i in 0..<n {
            #expect(dense[i * n + i] == 0)
            for j in 0..<i { #expect(abs(dense[i * n + j] - dense[j * n + i]) < 1e-15) }
        }
        // Each conditional row has perplexity 7: exp(entropy) = 7.
        for i in 0..<n {
            let row = c[(i * 20)..<((i + 1) * 20)]
            let entropy = -row.filter { $0 > 0 }.map { $0 * Foundation.log($0) }.reduce(0, +)
            #expect(abs(Foundation.exp(entropy) - 7) < 1e-3)
        }
    }

    @Test("PCA scores carry the leading variances")
    func pcaScores() throws {
        // Data with known principal axes: variances 9, 4, 1 along rotated axes, plus 70 tiny dimensions.
        var rng = SplitMix64(seed: 11)
        let n = 2000
        for d in [3, 73] {
            var values = [Double](repeating: 0, count: n * d)
            for i in 0..<n {
                let a = 3 * rng.nextNormal(), b = 2 * rng.nextNormal(), c = rng.nextNormal()
                values[i * d + 0] = (a + b) / 2.0.squareRoot()
                values[i * d + 1] = (a - b) / 2.0.squareRoot()
                values[i * d + 2] = c
                for f in 3..<d { values[i * d + f] = 1e-3 * rng.nextNormal() }
            }
            var mean = [Double](repeating: 0, count: d)
            for i in 0..<n { for f in 0..<d { mean[f] += values[i * d + f] / Double(n) } }
            for i in 0..<n { for f in 0..<d { values[i * d + f] -= mean[f] } }
            let scores = _PCA.scores(centered: values, count: n, dimensions: d, components: 2, seed: 0, threads: 2)
            var total = 0.0
            for e in values { total += e * e }
            for comp in 0..<2 {
                let variance = (0..<n).map { scores[$0 * 2 + comp] * scores[$0 * 2 + comp] }.reduce(0, +) / Double(n)
                #expect(abs(variance - [9.0, 4.0][comp]) < 0.6, "d \(d) component \(comp): \(variance)")
            }
            let cross = (0..<n).map { scores[$0 * 2] * scores[$0 * 2 + 1] }.reduce(0, +) / Double(n)
            #expect(abs(cross) < 1e-6)
        }
    }

    @Test("Same seed, same embedding; the thread count does not change it")
    func determinism() throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 4, perCluster: 150, dimensions: 10)
        for method in [TSNE.Method.exact, .barnesHut] {
            for initialization in [TSNE.Initialization.pca, .random] {
                let a = try TSNE(iterations: 300, initialization: initialization, seed: 5, method: method, threads: 1)
                    .fit(x)
                let b = try TSNE(iterations: 300, initialization: initialization, seed: 5, method: method, threads: 2)
                    .fit(x)
                let c = try TSNE(iterations: 300, initialization: initialization, seed: 5, method: method, threads: 3)
                    .fit(x)
                #expect(a.points == b.points && b.points == c.points)
                #expect(a.klDivergence == b.klDivergence)
            }
        }
        let r1 = try TSNE(iterations: 300, initialization: .random, seed: 1).fit(x)
        let r2 = try TSNE(iterations: 300, initialization: .random, seed: 2).fit(x)
        #expect(r1.points != r2.points)
    }

    @Test("Exact and Barnes-Hut embeddings separate clusters equally well")
    func exactAndBarnesHutQuality() throws {
        let (x, labels) = TSNEFixtures.blobs(clusters: 5, perCluster: 120, dimensions: 20, spread: 3)
        let exact = try TSNE(method: .exact).fit(x)
        let bh = try TSNE(method: .barnesHut).fit(x)
        #expect(exact.method == .exact && bh.method == .barnesHut)
        #expect(exact.points.shape == [600, 2] && exact.points.dtype == .float32)
        let accExact = TSNEFixtures.knnAccuracy(exact.points, labels: labels)
        let accBH = TSNEFixtures.knnAccuracy(bh.points, labels: labels)
        #expect(accExact > 0.95 && accBH > 0.95, "exact \(accExact), Barnes-Hut \(accBH)")
        #expect(abs(accExact - accBH) <= 0.02)
        #expect(exact.klDivergence.isFinite && bh.klDivergence.isFinite && bh.klDivergence > 0)
        #expect(abs(exact.klDivergence - bh.klDivergence) < 0.15 * exact.klDivergence)
    }

    @Test("Progress reports every phase and the early stop counts iterations")
    func progressAndIterations() throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 2, perCluster: 300, dimensions: 8)
        let phases = PhaseRecorder()
        let result = try TSNE(iterations: 400, pcaDimensions: 4).fit(x) { phases.add($0) }
        #expect(phases.seen == [.pca, .neighbors, .affinities, .earlyExaggeration, .optimization])
        #expect(result.iterationsRun <= 400 && result.iterationsRun > 250)
        #expect(result.phaseSeconds.map(\.phase) == [.pca, .neighbors, .affinities, .earlyExaggeration, .optimization])
        // No progress allowed: stops at the first check that does not improve on the best.
        let impatient = try TSNE(iterations: 2000, iterationsWithoutProgress: 0).fit(x)
        #expect(impatient.iterationsRun < 2000)
    }

    @Test("Cancelling the task stops the fit")
    func cancellation() async throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 2, perCluster: 500, dimensions: 8)
        let task = Task.detached { try TSNE(iterations: 100_000, iterationsWithoutProgress: 100_000).fit(x) }
        try await Task.sleep(nanoseconds: 200_000_000)
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }

    @Test("Bad input is a typed error naming the problem")
    func badInput() throws {
        let tsne = TSNE(perplexity: 5)
        #expect(throws: TSNEError.tooFewSamples(1)) { try tsne.fit(try NDArray([[1.0, 2.0]])) }
        #expect(throws: TSNEError.noFeatures) { try tsne.fit(try NDArray([Double](), shape: [10, 0])) }
        var values = [Float](repeating: 1, count: 30)
        values[17] = .nan
        #expect(throws: TSNEError.nonFiniteFeature(row: 5, column: 2)) {
            try tsne.fit(try NDArray(values, shape: [10, 3]))
        }
        values[17] = .infinity
        #expect(throws: TSNEError.nonFiniteFeature(row: 5, column: 2)) {
            try tsne.fit(try NDArray(values, shape: [10, 3]))
        }
        #expect(throws: TSNEError.perplexityOutOfRange(perplexity: 30, samples: 10)) {
            try TSNE().fit(try NDArray([Float](repeating: 1, count: 30), shape: [10, 3]))
        }
        #expect(throws: TSNEError.wrongRank(shape: [30])) {
            try tsne.fit(try NDArray([Float](repeating: 1, count: 30), shape: [30]))
        }
        #expect(throws: TSNEError.unsupportedType("int32")) {
            try tsne.fit(try NDArray([Int32](repeating: 1, count: 30), shape: [10, 3]))
        }
        #expect(throws: TSNEError.barnesHutComponents(4)) {
            try TSNE(components: 4, perplexity: 5, method: .barnesHut).fit(
                try NDArray([Float](repeating: 1, count: 30), shape: [10, 3]))
        }
        let message = TSNEError.nonFiniteFeature(row: 5, column: 2).errorDescription ?? ""
        #expect(message.contains("[5, 2]"))
        #expect(TSNEError.perplexityOutOfRange(perplexity: 30, samples: 10).errorDescription?.contains("10") == true)
    }

    @Test("Identical points and tiny inputs do not break the fit")
    func degenerateInputs() throws {
        let same = try NDArray([Float](repeating: 3, count: 40), shape: [20, 2])
        for method in [TSNE.Method.exact, .barnesHut] {
            let result = try TSNE(perplexity: 5, method: method).fit(same)
            let finite = result.points.toDouble().allSatisfy { $0.isFinite }
            #expect(finite)
        }
        let two = try TSNE(perplexity: 1).fit(try NDArray([[0.0, 1.0], [1.0, 0.0]]))
        let finite = two.points.toDouble().allSatisfy { $0.isFinite }
        #expect(two.points.shape == [2, 2] && finite)
    }
}

/// Collects the distinct phases a fit reports, in order.
final class PhaseRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var phases: [TSNE.Progress.Phase] = []
    func add(_ progress: TSNE.Progress) {
        lock.lock()
        if phases.last != progress.phase { phases.append(progress.phase) }
        lock.unlock()
    }
    var seen: [TSNE.Progress.Phase] {
        lock.lock()
        defer { lock.unlock() }
        return phases
    }
}
