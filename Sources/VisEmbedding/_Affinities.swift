import Foundation

/// A symmetric sparse matrix in compressed rows: the joint probabilities P.
struct _SparseAffinities: Sendable {
    var count: Int
    /// Row i's entries are `rowStart[i]..<rowStart[i + 1]`.
    var rowStart: [Int]
    var columns: [Int32]
    var values: [Double]
    /// `values` rounded to float32, which the 2-D attractive forces stream every iteration: a third less memory
    /// traffic on the largest array of the loop (scikit-learn keeps its P in float32 throughout).
    var singleValues: [Float]

    init(count: Int, rowStart: [Int], columns: [Int32], values: [Double]) {
        self.count = count
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        singleValues = values.map { Float($0) }
    }
}

enum _Affinities {
    static let maxSteps = 100
    /// scikit-learn keeps these as float32 constants; the same values, so the searches stop at the same step.
    static let tolerance = Double(Float(1e-5))
    static let emptyRowSum = Double(Float(1e-8))

    /// Conditional probabilities p_{j|i} over each row's neighbours: a Gaussian exp(−β d²) per row with β found by
    /// bisection (doubling or halving until bracketed) so that its entropy is log(perplexity), within 1e-5 nats, in at
    /// most 100 steps — scikit-learn's `_binary_search_perplexity`.
    ///
    /// - Parameter squaredDistances: rows × k, row-major.
    static func conditional(
        squaredDistances: [Double], rows: Int, k: Int, perplexity: Double, threads: Int
    ) -> [Double] {
        var p = [Double](repeating: 0, count: rows * k)
        let desiredEntropy = Foundation.log(perplexity)
        squaredDistances.withUnsafeBufferPointer { dist in
            p.withUnsafeMutableBufferPointer { out in
                _parallelBlocks(count: rows, blockSize: 256, threads: threads) { range in
                    for i in range {
                        calibrateRow(
                            dist.baseAddress! + i * k, out.baseAddress! + i * k, k: k,
                            desiredEntropy: desiredEntropy)
                    }
                }
            }
        }
        return p
    }

    @inline(__always)
    static func calibrateRow(
        _ d: UnsafePointer<Double>, _ p: UnsafeMutablePointer<Double>, k: Int, desiredEntropy: Double
    ) {
        var beta = 1.0
        var betaMin = -Double.infinity
        var betaMax = Double.infinity
        for _ in 0..<maxSteps {
            var sum = 0.0
            for j in 0..<k {
                p[j] = Foundation.exp(-d[j] * beta)
                sum += p[j]
            }
            if sum == 0 { sum = emptyRowSum }
            var weighted = 0.0
            for j in 0..<k {
                p[j] /= sum
                weighted += d[j] * p[j]
            }
            let entropyDiff = Foundation.log(sum) + beta * weighted - desiredEntropy
            if abs(entropyDiff) <= tolerance { break }
            if entropyDiff > 0 {
                betaMin = beta
                beta = betaMax == .infinity ? beta * 2 : (beta + betaMax) / 2
            } else {
                betaMax = beta
                beta = betaMin == -.infinity ? beta / 2 : (beta + betaMin) / 2
            }
        }
    }

    /// P = (C + Cᵀ) / sum, the symmetrised conditional probabilities C normalised to sum 1 (the sum is 2N when every
    /// row of C sums to 1), with each row's columns ascending.
    static func symmetrize(graph: _NeighborGraph, conditional c: [Double]) -> _SparseAffinities {
        let n = graph.count
        let k = graph.k
        var counts = [Int](repeating: 0, count: n + 1)
        for i in 0..<n {
            for r in 0..<k {
                counts[i] += 1
                counts[Int(graph.indices[i * k + r])] += 1
            }
        }
        var start = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { start[i + 1] = start[i] + counts[i] }
        var fill = Array(start[0..<n])
        var columns = [Int32](repeating: 0, count: start[n])
        var values = [Double](repeating: 0, count: start[n])
        for i in 0..<n {
            for r in 0..<k {
                let j = Int(graph.indices[i * k + r])
                let v = c[i * k + r]
                columns[fill[i]] = Int32(j)
                values[fill[i]] = v
                fill[i] += 1
                columns[fill[j]] = Int32(i)
                values[fill[j]] = v
                fill[j] += 1
            }
        }
        // Merge duplicates (i→j and j→i both present) row by row, in ascending column order.
        var outStart = [Int](repeating: 0, count: n + 1)
        var outColumns = [Int32]()
        var outValues = [Double]()
        outColumns.reserveCapacity(columns.count)
        outValues.reserveCapacity(columns.count)
        var total = 0.0
        var order = [Int]()
        for i in 0..<n {
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: start[i]..<start[i + 1])
            order.sort { columns[$0] < columns[$1] || (columns[$0] == columns[$1] && $0 < $1) }
            var last: Int32 = -1
            for e in order {
                if columns[e] == last {
                    outValues[outValues.count - 1] += values[e]
                } else {
                    outColumns.append(columns[e])
                    outValues.append(values[e])
                    last = columns[e]
                }
            }
            outStart[i + 1] = outColumns.count
        }
        for v in outValues { total += v }
        let scale = 1 / max(total, Double.leastNormalMagnitude)
        for e in outValues.indices { outValues[e] *= scale }
        return _SparseAffinities(count: n, rowStart: outStart, columns: outColumns, values: outValues)
    }
}
