import CVisKernels
import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisEmbedding

/// The large-N paths: FFT-interpolated repulsion and approximate nearest neighbours, against their exact twins.
@Suite("t-SNE fast paths")
struct TSNEFastPathTests {
    @Test("The mixed-radix FFT equals a direct DFT", arguments: [1, 2, 3, 4, 5, 6, 8, 10, 12, 25, 30, 48, 96, 128, 300, 384, 600])
    func fftMatchesDFT(length: Int) throws {
        let plan = try #require(_FFTPlan(count: length))
        var rng = SplitMix64(seed: UInt64(length))
        // Three lanes side by side, to cover the batched layout.
        let lanes = 3
        let re0 = (0..<(length * lanes)).map { _ in rng.nextNormal() }
        let im0 = (0..<(length * lanes)).map { _ in rng.nextNormal() }
        for inverse in [false, true] {
            var re = re0
            var im = im0
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 4 * length * lanes)
            defer { scratch.deallocate() }
            re.withUnsafeMutableBufferPointer { re in
                im.withUnsafeMutableBufferPointer { im in
                    plan.transform(
                        re: re.baseAddress!, im: im.baseAddress!, stride: lanes, lanes: 0..<lanes, inverse: inverse,
                        scratchRe: scratch, scratchIm: scratch + 2 * length * lanes)
                }
            }
            let sign: Double = inverse ? 1 : -1
            var worst = 0.0
            for c in 0..<lanes {
                for r in 0..<length {
                    var sr = 0.0
                    var si = 0.0
                    for t in 0..<length {
                        let angle = sign * 2 * Double.pi * Double(r * t % length) / Double(length)
                        let xr = re0[t * lanes + c], xi = im0[t * lanes + c]
                        sr += xr * Foundation.cos(angle) - xi * Foundation.sin(angle)
                        si += xr * Foundation.sin(angle) + xi * Foundation.cos(angle)
                    }
                    worst = max(worst, abs(sr - re[r * lanes + c]), abs(si - im[r * lanes + c]))
                }
            }
            #expect(worst < 1e-10 * Double(length), "length \(length) inverse \(inverse): \(worst)")
        }
        #expect(_FFTPlan(count: 14) == nil)
        #expect(_FFTPlan.size(atLeast: 300) == 300)
        #expect(_FFTPlan.size(atLeast: 301) == 324)
        #expect(_FFTPlan.size(atLeast: 601) == 648)
    }

    /// A seeded complex grid; `corner` > 0 zeroes everything outside the first `corner` elements per axis, `even`
    /// makes it real and even along both axes (x[u][v] = x[L − u][v] = x[u][L − v]).
    private func grid(side: Int, seed: UInt64, corner: Int = 0, even: Bool = false) -> ([Double], [Double]) {
        var rng = SplitMix64(seed: seed)
        var re = (0..<(side * side)).map { _ in rng.nextNormal() }
        var im = even ? [Double](repeating: 0, count: side * side) : (0..<(side * side)).map { _ in rng.nextNormal() }
        for u in 0..<side {
            for v in 0..<side {
                if corner > 0, u >= corner || v >= corner {
                    re[u * side + v] = 0
                    im[u * side + v] = 0
                }
                if even { re[u * side + v] = re[min(u, (side - u) % side) * side + min(v, (side - v) % side)] }
            }
        }
        return (re, im)
    }

    @Test("The pruned 2-D transforms of a zero-padded grid and the half transform of an even grid equal the full ones",
        arguments: [30, 96, 120])
    func prunedGridTransforms(side: Int) throws {
        let fft = _GridFFT(plan: try #require(_FFTPlan(count: side)), dims: 2)
        let corner = side / 2
        // Forward: zero outside the corner.
        let (re0, im0) = grid(side: side, seed: UInt64(side), corner: corner)
        var (fullRe, fullIm) = (re0, im0)
        fft.transform(re: &fullRe, im: &fullIm, inverse: false, threads: 2)
        var (re, im) = (re0, im0)
        fft.forwardPadded(re: &re, im: &im, nonzero: corner, threads: 2)
        #expect(zip(re, fullRe).allSatisfy { abs($0 - $1) <= 1e-9 } && zip(im, fullIm).allSatisfy { abs($0 - $1) <= 1e-9 })
        // Inverse: only the corner is needed.
        fft.transform(re: &fullRe, im: &fullIm, inverse: true, threads: 2)
        fft.inversePadded(re: &re, im: &im, needed: corner, threads: 3)
        var worst = 0.0
        for u in 0..<corner {
            for v in 0..<corner {
                worst = max(worst, abs(re[u * side + v] - fullRe[u * side + v]), abs(im[u * side + v] - fullIm[u * side + v]))
                // And the round trip restores the input, scaled by L².
                worst = max(worst, abs(re[u * side + v] / Double(side * side) - re0[u * side + v]))
            }
        }
        #expect(worst <= 1e-9, "side \(side): \(worst)")
        // Even: half the lanes, the rest mirrored.
        let (evenRe, evenIm) = grid(side: side, seed: UInt64(side) + 1, even: true)
        var (expectRe, expectIm) = (evenRe, evenIm)
        fft.transform(re: &expectRe, im: &expectIm, inverse: false, threads: 2)
        var (gotRe, gotIm) = (evenRe, evenIm)
        fft.forwardEven(re: &gotRe, im: &gotIm, threads: 2)
        let evenWorst = zip(gotRe + gotIm, expectRe + expectIm).map { abs($0 - $1) }.max() ?? .infinity
        #expect(evenWorst <= 1e-9 * Double(side), "side \(side): \(evenWorst)")
    }

    /// The sparse P of a small clustered set and an embedding of the given spread.
    private func fixture(count perCluster: Int, dims: Int, spread: Double) throws -> (_SparseAffinities, [Double]) {
        let (x, _) = TSNEFixtures.blobs(clusters: 4, perCluster: perCluster, dimensions: 6)
        let (data, n, d) = try TSNE(perplexity: 10).validated(x)
        let graph = _NearestNeighbors.search(data: data, count: n, dimensions: d, k: 30, threads: 2)
        let c = _Affinities.conditional(
            squaredDistances: graph.squaredDistances, rows: n, k: 30, perplexity: 10, threads: 2)
        var rng = SplitMix64(seed: UInt64(dims * 10 + Int(spread)))
        return (_Affinities.symmetrize(graph: graph, conditional: c), (0..<(n * dims)).map { _ in spread * rng.nextNormal() })
    }

    // Three equispaced nodes per interval of width 3h interpolate the kernel 1/(1 + r²)² with an error of order
    // h³ · |K'''| / 6: for pairs closer than about one unit that is up to a few per cent of K at the intervals' edges,
    // for distant pairs far less. A dense embedding (spread ≤ 3: the at least 50 intervals over its extent make
    // h ≤ 0.12) is therefore within 1e-3; a wide, sparse one (240 points over 100+ units, h ≈ 0.25–0.33), whose
    // gradient is carried by its few close pairs, within 5 % — the bound the Barnes-Hut test allows θ = 0.5. z, a
    // sum of positive terms dominated by distant pairs, stays within 1 %. Indexing mistakes give errors of order 1.
    @Test("FFT repulsion equals the exact gradient within the interpolation error",
        arguments: [(1, 0.5), (1, 20.0), (2, 0.01), (2, 3.0), (2, 30.0)])
    func fftMatchesExactGradient(dims: Int, spread: Double) throws {
        let (p, y) = try fixture(count: 60, dims: dims, spread: spread)
        let n = p.count
        var exact = [Double](repeating: 0, count: n * dims)
        var fast = exact
        let klExact = _ExactGradient(p: p, dims: dims, threads: 2)
            .gradient(y: y, into: &exact, exaggeration: 1, computeError: true) ?? .nan
        let klFast = _FFTGradient(p: p, dims: dims, threads: 2)
            .gradient(y: y, into: &fast, exaggeration: 1, computeError: true) ?? .nan
        let norm = exact.map { $0 * $0 }.reduce(0, +).squareRoot()
        let error = zip(exact, fast).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
        let bound = spread <= 3 ? 1e-3 : 0.05
        #expect(error <= bound * norm, "dims \(dims) spread \(spread): relative error \(error / norm)")
        #expect(abs(klFast - klExact) <= 0.1 * bound * abs(klExact), "KL \(klFast) vs \(klExact)")
        // z alone: the normalisation of Q.
        var exactZ = 0.0
        for i in 0..<n {
            for j in 0..<n where j != i {
                var s = 0.0
                for c in 0..<dims { s += (y[i * dims + c] - y[j * dims + c]) * (y[i * dims + c] - y[j * dims + c]) }
                exactZ += 1 / (1 + s)
            }
        }
        let fastZ = _FFTGradient(p: p, dims: dims, threads: 1).repulsiveForces(y: y).z
        #expect(abs(fastZ - exactZ) <= 0.2 * bound * exactZ, "z \(fastZ) vs \(exactZ)")
    }
}

extension TSNEFastPathTests {
    /// The fraction of the exact k nearest neighbours that `graph` found.
    private func recall(_ graph: _NeighborGraph, exact: _NeighborGraph) -> Double {
        let n = graph.count
        let k = graph.k
        var found = 0
        for i in 0..<n {
            let truth = Set(exact.indices[(i * k)..<((i + 1) * k)])
            for r in 0..<k where truth.contains(graph.indices[i * k + r]) { found += 1 }
        }
        return Double(found) / Double(n * k)
    }

    @Test("Approximate neighbours: recall ≥ 0.95 at k = 90 on 5000 × 50 clustered points, the same for any thread count")
    func approximateNeighborsRecall() throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 10, perCluster: 500, dimensions: 50, spread: 1.5)
        let (data, n, d) = try TSNE().validated(x)
        let k = 90
        let exact = _NearestNeighbors.search(data: data, count: n, dimensions: d, k: k, threads: 2)
        let approximate = try _NeighborDescent.search(data: data, count: n, dimensions: d, k: k, seed: 3, threads: 2)
        let found = recall(approximate, exact: exact)
        print("approximate neighbours, 5000 × 50, k = 90: recall \(found)")
        #expect(found >= 0.95, "recall \(found)")
        // Rows are sorted by distance and the distances are the exact ones of the listed neighbours.
        for i in stride(from: 0, to: n, by: 97) {
            for r in 0..<k {
                let j = Int(approximate.indices[i * k + r])
                #expect(j != i)
                var s = 0.0
                for f in 0..<d { s += (data[i * d + f] - data[j * d + f]) * (data[i * d + f] - data[j * d + f]) }
                #expect(abs(approximate.squaredDistances[i * k + r] - s) <= 1e-9 * max(1, s))
                if r > 0 { #expect(approximate.squaredDistances[i * k + r - 1] <= approximate.squaredDistances[i * k + r]) }
            }
        }
        let single = try _NeighborDescent.search(data: data, count: n, dimensions: d, k: k, seed: 3, threads: 1)
        #expect(single.indices == approximate.indices)
        #expect(single.squaredDistances == approximate.squaredDistances)
    }
}

extension TSNEFastPathTests {
    @Test("FFT with approximate neighbours embeds clusters as well as Barnes-Hut, identically for 1 and 2 threads")
    func fftFitQuality() throws {
        let (x, labels) = TSNEFixtures.blobs(clusters: 6, perCluster: 300, dimensions: 10, spread: 2)
        let barnesHut = try TSNE(iterations: 500, seed: 1, method: .barnesHut, neighbors: .exact, threads: 2).fit(x)
        let fft = try TSNE(iterations: 500, seed: 1, method: .fft, neighbors: .approximate, threads: 2).fit(x)
        let fftSingle = try TSNE(iterations: 500, seed: 1, method: .fft, neighbors: .approximate, threads: 1).fit(x)
        #expect(fft.method == .fft)
        #expect(fft.points.toDouble() == fftSingle.points.toDouble())
        let accuracyBH = TSNEFixtures.knnAccuracy(barnesHut.points, labels: labels)
        let accuracyFFT = TSNEFixtures.knnAccuracy(fft.points, labels: labels)
        #expect(accuracyFFT >= accuracyBH - 0.01, "10-NN accuracy FFT \(accuracyFFT) vs Barnes-Hut \(accuracyBH)")
        #expect(abs(fft.klDivergence - barnesHut.klDivergence) <= 0.05 * barnesHut.klDivergence,
            "KL FFT \(fft.klDivergence) vs Barnes-Hut \(barnesHut.klDivergence)")
        #expect(throws: TSNEError.fftComponents(3)) { try TSNE(components: 3, method: .fft).fit(x) }
    }
}

/// The C kernels' vector paths (AVX2 where the CPU has it) against their portable paths, bit for bit.
@Suite("t-SNE kernels")
struct TSNEKernelTests {
    @Test("Vector FFT passes give the portable path's bits", arguments: [2, 3, 4, 5])
    func fftPassesMatchPortable(radix: Int32) {
        var rng = SplitMix64(seed: UInt64(radix))
        for (m, s, width) in [(1, 1, 1), (3, 2, 5), (8, 4, 32), (5, 3, 7), (16, 1, 13)] {
            let count = Int(radix) * m * s * width
            let xRe = (0..<count).map { _ in rng.nextNormal() }
            let xIm = (0..<count).map { _ in rng.nextNormal() }
            let twRe = (0..<(Int(radix - 1) * m)).map { _ in rng.nextNormal() }
            let twIm = (0..<(Int(radix - 1) * m)).map { _ in rng.nextNormal() }
            for sign in [1.0, -1.0] {
                var vectorRe = [Double](repeating: 0, count: count), vectorIm = vectorRe
                var portableRe = vectorRe, portableIm = vectorRe
                vis_fft_pass_f64(radix, m, s, width, xRe, xIm, &vectorRe, &vectorIm, twRe, twIm, sign)
                vis_fft_pass_f64_portable(radix, m, s, width, xRe, xIm, &portableRe, &portableIm, twRe, twIm, sign)
                #expect(vectorRe.map(\.bitPattern) == portableRe.map(\.bitPattern), "radix \(radix) m \(m) s \(s)")
                #expect(vectorIm.map(\.bitPattern) == portableIm.map(\.bitPattern), "radix \(radix) m \(m) s \(s)")
            }
        }
    }

    @Test("Vector attractive forces give the portable path's bits and the direct sums")
    func attractionMatchesPortable() {
        var rng = SplitMix64(seed: 17)
        let n = 300
        // Row lengths 0…13 cover empty rows and every tail length of the 4-lane loop.
        var rowStart = [Int64(0)]
        var columns: [Int32] = []
        var values: [Float] = []
        for i in 0..<n {
            for _ in 0..<(i % 14) {
                columns.append(Int32(rng.next() % UInt64(n)))
                values.append(Float(rng.nextPositiveUnit() * 1e-3))
            }
            rowStart.append(Int64(columns.count))
        }
        let y = (0..<(2 * n)).map { _ in 20 * rng.nextNormal() }
        var vector = [Double](repeating: 0, count: 2 * n), portable = vector
        vis_tsne_attraction_2d(rowStart, columns, values, y, 0, n, &vector)
        vis_tsne_attraction_2d_portable(rowStart, columns, values, y, 0, n, &portable)
        #expect(vector.map(\.bitPattern) == portable.map(\.bitPattern))
        var worst = 0.0
        for i in 0..<n {
            var ax = 0.0, ay = 0.0
            for e in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                let j = Int(columns[e])
                let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
                let pw = Double(values[e]) / (1 + dx * dx + dy * dy)
                ax += pw * dx
                ay += pw * dy
            }
            worst = max(worst, abs(ax - vector[2 * i]), abs(ay - vector[2 * i + 1]))
        }
        #expect(worst <= 1e-15, "largest difference from the direct sums: \(worst)")
    }

    // The C walk must be the Swift one, bit for bit: same tree (including the depth cap that coincident points reach),
    // same cell test, same summation order; any slip in the quadrant split or the self-exclusion shows as a difference.
    @Test("The two-dimensional C Barnes-Hut walk gives the generic Swift walk's bits", arguments: [0.0, 0.5, 1.2])
    func barnesHut2DMatchesGeneric(theta: Double) throws {
        let (x, _) = TSNEFixtures.blobs(clusters: 4, perCluster: 90, dimensions: 6)
        let (data, n, d) = try TSNE(perplexity: 10).validated(x)
        let graph = _NearestNeighbors.search(data: data, count: n, dimensions: d, k: 30, threads: 2)
        let c = _Affinities.conditional(
            squaredDistances: graph.squaredDistances, rows: n, k: 30, perplexity: 10, threads: 2)
        let p = _Affinities.symmetrize(graph: graph, conditional: c)
        var rng = SplitMix64(seed: 5)
        for spread in [1e-3, 1.0, 40.0] {
            var y = (0..<(2 * n)).map { _ in spread * rng.nextNormal() }
            // Coincident and nearly coincident points: cells split down to the depth cap.
            for i in 0..<20 {
                y[2 * (i + 20)] = y[2 * i]
                y[2 * (i + 20) + 1] = y[2 * i + 1] + (i.isMultiple(of: 2) ? 0 : 1e-13)
            }
            for threads in [1, 2] {
                let method = _BarnesHutGradient(p: p, dims: 2, threads: threads, theta: theta)
                var fast = [Double](repeating: 0, count: 2 * n)
                var generic = fast
                let klFast = method.gradient(y: y, into: &fast, exaggeration: 4, computeError: true)
                let klGeneric = method.genericGradient(y: y, into: &generic, exaggeration: 4, computeError: true)
                #expect(fast.map(\.bitPattern) == generic.map(\.bitPattern), "spread \(spread), \(threads) threads")
                #expect(klFast?.bitPattern == klGeneric?.bitPattern)
            }
        }
    }
}
