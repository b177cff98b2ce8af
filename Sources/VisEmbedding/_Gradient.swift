import CVisKernels
import Foundation

/// One way to compute the t-SNE gradient: the exact twin or an approximation of the repulsive forces. All share
/// the attractive forces over the sparse P (``_Gradient/finish``).
protocol _GradientMethod {
    /// Writes ∂KL/∂y for the embedding `y` (n × dims, row-major) with P scaled by `exaggeration` into `gradient`;
    /// returns KL(P ‖ Q) of the unscaled P when `computeError`.
    func gradient(y: [Double], into gradient: inout [Double], exaggeration: Double, computeError: Bool) -> Double?
}

enum _Gradient {
    /// The gradient from the repulsive sums: rep_i = Σ_j w_ij² (y_i − y_j) and z = Σ_{i≠j} w_ij, with
    /// w = 1 / (1 + ‖y_i − y_j‖²). ∂KL/∂y_i = 4 (exaggeration · Σ_j p_ij w_ij (y_i − y_j) − rep_i / z).
    static func finish(
        p: _SparseAffinities, y: [Double], dims: Int, repulsion: [Double], z: Double, exaggeration: Double,
        threads: Int, gradient: inout [Double], computeError: Bool
    ) -> Double? {
        let n = p.count
        let blockSize = 512
        let blocks = (n + blockSize - 1) / blockSize
        var klParts = [Double](repeating: 0, count: blocks)
        let logZ = Foundation.log(z)
        let tiny = Double(Float.leastNormalMagnitude)
        p.rowStart.withUnsafeBufferPointer { rowStart in
            p.columns.withUnsafeBufferPointer { columns in
                p.values.withUnsafeBufferPointer { values in
                p.singleValues.withUnsafeBufferPointer { singleValues in
                    y.withUnsafeBufferPointer { y in
                        repulsion.withUnsafeBufferPointer { rep in
                            gradient.withUnsafeMutableBufferPointer { grad in
                                klParts.withUnsafeMutableBufferPointer { kl in
                                    _parallelBlocks(count: n, blockSize: blockSize, threads: threads) { range in
                                        var klSum = 0.0
                                        // Per-pair KL term: log(p / q) with q = w / z, both floored as scikit-learn
                                        // does.
                                        @inline(__always) func klTerm(_ pij: Double, _ w: Double) -> Double {
                                            pij * (Foundation.log(max(pij, tiny)) - Foundation.log(max(w, tiny)) + logZ)
                                        }
                                        // Two components (every picture) through the vector kernel; the generic
                                        // loop for the rest.
                                        switch dims {
                                        case 2:
                                            // The attractive sums in C (4-lane vectors); the KL terms, when asked
                                            // for, in a second pass over the row.
                                            rowStart.withMemoryRebound(to: Int64.self) { rowStart64 in
                                                vis_tsne_attraction_2d(
                                                    rowStart64.baseAddress!, columns.baseAddress!, singleValues.baseAddress!,
                                                    y.baseAddress!, range.lowerBound, range.upperBound,
                                                    grad.baseAddress!)
                                            }
                                            for i in range {
                                                grad[2 * i] = 4 * (exaggeration * grad[2 * i] - rep[2 * i] / z)
                                                grad[2 * i + 1] = 4 * (exaggeration * grad[2 * i + 1] - rep[2 * i + 1] / z)
                                                guard computeError else { continue }
                                                let yx = y[2 * i], yy = y[2 * i + 1]
                                                for e in rowStart[i]..<rowStart[i + 1] {
                                                    let j = Int(columns[e])
                                                    let dx = yx - y[2 * j], dy = yy - y[2 * j + 1]
                                                    klSum += klTerm(values[e], 1 / (1 + (dx * dx + dy * dy)))
                                                }
                                            }
                                        default:
                                            var attr = [Double](repeating: 0, count: dims)
                                            for i in range {
                                                for c in 0..<dims { attr[c] = 0 }
                                                for e in rowStart[i]..<rowStart[i + 1] {
                                                    let j = Int(columns[e])
                                                    let w = 1 / (1 + _squaredDistance(y, i, j, width: dims))
                                                    let pw = values[e] * w
                                                    for c in 0..<dims { attr[c] += pw * (y[i * dims + c] - y[j * dims + c]) }
                                                    if computeError { klSum += klTerm(values[e], w) }
                                                }
                                                for c in 0..<dims {
                                                    grad[i * dims + c] = 4 * (exaggeration * attr[c] - rep[i * dims + c] / z)
                                                }
                                            }
                                        }
                                        kl[range.lowerBound / blockSize] = klSum
                                    }
                                }
                            }
                        }
                    }
                }
                }
            }
        }
        guard computeError else { return nil }
        return klParts.reduce(0, +)
    }
}

/// The exact gradient: every pair every iteration, O(N²). The reference the approximations are tested against.
struct _ExactGradient: _GradientMethod {
    var p: _SparseAffinities
    var dims: Int
    var threads: Int

    func gradient(y: [Double], into gradient: inout [Double], exaggeration: Double, computeError: Bool) -> Double? {
        let n = p.count
        let dims = self.dims
        var repulsion = [Double](repeating: 0, count: n * dims)
        var zParts = [Double](repeating: 0, count: n)
        y.withUnsafeBufferPointer { y in
            repulsion.withUnsafeMutableBufferPointer { rep in
                zParts.withUnsafeMutableBufferPointer { zOut in
                    _parallelBlocks(count: n, blockSize: 64, threads: threads) { range in
                        for i in range {
                            var z = 0.0
                            for j in 0..<n where j != i {
                                let w = 1 / (1 + _squaredDistance(y, i, j, width: dims))
                                z += w
                                let w2 = w * w
                                for c in 0..<dims { rep[i * dims + c] += w2 * (y[i * dims + c] - y[j * dims + c]) }
                            }
                            zOut[i] = z
                        }
                    }
                }
            }
        }
        let z = zParts.reduce(0, +)
        return _Gradient.finish(
            p: p, y: y, dims: dims, repulsion: repulsion, z: z, exaggeration: exaggeration, threads: threads,
            gradient: &gradient, computeError: computeError)
    }
}
