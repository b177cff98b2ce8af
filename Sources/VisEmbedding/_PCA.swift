import Foundation
import VisCore

/// Principal-component scores of centred data (n × d, row-major): exact (covariance eigen-decomposition) for narrow
/// data, randomised subspace iteration (Halko, Martinsson & Tropp) with 10 extra directions and 4 power iterations
/// for wide data.
enum _PCA {
    /// n × components scores, components in decreasing variance (signs are arbitrary but fixed by the seed).
    static func scores(
        centered x: [Double], count n: Int, dimensions d: Int, components: Int, seed: UInt64, threads: Int
    ) -> [Double] {
        let c = min(components, d)
        if d <= max(64, c + 10) {
            let cov = transposeTimes(x, n: n, d: d, y: x, l: d, threads: threads)
            let (values, vectors) = symmetricEigen(cov, size: d)
            let top = topIndices(values, c)
            var w = [Double](repeating: 0, count: d * c)
            for (r, e) in top.enumerated() { for f in 0..<d { w[f * c + r] = vectors[f * d + e] } }
            return times(x, n: n, d: d, w: w, l: c, threads: threads)
        }
        let l = min(d, c + 10)
        var rng = SplitMix64(seed: seed ^ 0x5CA1_AB1E)
        var omega = [Double](repeating: 0, count: d * l)
        for e in omega.indices { omega[e] = rng.nextNormal() }
        var y = times(x, n: n, d: d, w: omega, l: l, threads: threads)
        orthonormalize(&y, rows: n, columns: l)
        for _ in 0..<4 {
            var z = transposeTimes(x, n: n, d: d, y: y, l: l, threads: threads)
            orthonormalize(&z, rows: d, columns: l)
            y = times(x, n: n, d: d, w: z, l: l, threads: threads)
            orthonormalize(&y, rows: n, columns: l)
        }
        // B = Yᵀ X (l × d); B Bᵀ = U Λ Uᵀ gives X ≈ Y U √Λ Vᵀ, so the scores are Y U √Λ.
        let bt = transposeTimes(x, n: n, d: d, y: y, l: l, threads: threads)  // d × l = Bᵀ
        let gram = transposeTimes(bt, n: d, d: l, y: bt, l: l, threads: 1)
        let (values, vectors) = symmetricEigen(gram, size: l)
        let top = topIndices(values, c)
        var u = [Double](repeating: 0, count: l * c)
        for (r, e) in top.enumerated() {
            let s = max(values[e], 0).squareRoot()
            for a in 0..<l { u[a * c + r] = vectors[a * l + e] * s }
        }
        return times(y, n: n, d: l, w: u, l: c, threads: threads)
    }

    static func topIndices(_ values: [Double], _ c: Int) -> [Int] {
        Array(values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(c))
    }

    /// x (n × d) · w (d × l).
    static func times(_ x: [Double], n: Int, d: Int, w: [Double], l: Int, threads: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * l)
        x.withUnsafeBufferPointer { x in
            w.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { out in
                    _parallelBlocks(count: n, blockSize: 256, threads: threads) { range in
                        for i in range {
                            for f in 0..<d {
                                let v = x[i * d + f]
                                if v == 0 { continue }
                                for a in 0..<l { out[i * l + a] += v * w[f * l + a] }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// xᵀ (d × n) · y (n × l), summed over fixed row blocks in order.
    static func transposeTimes(_ x: [Double], n: Int, d: Int, y: [Double], l: Int, threads: Int) -> [Double] {
        let blockSize = 1024
        let blocks = (n + blockSize - 1) / blockSize
        var partial = [Double](repeating: 0, count: blocks * d * l)
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                partial.withUnsafeMutableBufferPointer { partial in
                    _parallelBlocks(count: n, blockSize: blockSize, threads: threads) { range in
                        let out = partial.baseAddress! + (range.lowerBound / blockSize) * d * l
                        for i in range {
                            for f in 0..<d {
                                let v = x[i * d + f]
                                if v == 0 { continue }
                                for a in 0..<l { out[f * l + a] += v * y[i * l + a] }
                            }
                        }
                    }
                }
            }
        }
        var out = [Double](repeating: 0, count: d * l)
        for b in 0..<blocks { for e in 0..<(d * l) { out[e] += partial[b * d * l + e] } }
        return out
    }

    /// Modified Gram–Schmidt, twice, on the columns of a rows × columns matrix; a column that vanishes stays 0.
    static func orthonormalize(_ m: inout [Double], rows: Int, columns: Int) {
        for _ in 0..<2 {
            for a in 0..<columns {
                for b in 0..<a {
                    var dot = 0.0
                    for r in 0..<rows { dot += m[r * columns + a] * m[r * columns + b] }
                    for r in 0..<rows { m[r * columns + a] -= dot * m[r * columns + b] }
                }
                var norm = 0.0
                for r in 0..<rows { norm += m[r * columns + a] * m[r * columns + a] }
                norm = norm.squareRoot()
                let scale = norm > 1e-300 ? 1 / norm : 0
                for r in 0..<rows { m[r * columns + a] *= scale }
            }
        }
    }

    /// Eigenvalues and eigenvectors (columns of a size × size row-major matrix) of a symmetric matrix, by cyclic
    /// Jacobi rotations.
    static func symmetricEigen(_ matrix: [Double], size m: Int) -> ([Double], [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: m * m)
        for i in 0..<m { v[i * m + i] = 1 }
        var scale = 0.0
        for e in a { scale += e * e }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<m { for j in 0..<m where i != j { off += a[i * m + j] * a[i * m + j] } }
            if off <= 1e-30 * max(scale, 1e-300) { break }
            for p in 0..<m {
                for q in (p + 1)..<max(p + 1, m) {
                    let apq = a[p * m + q]
                    if abs(apq) < 1e-300 { continue }
                    let theta = (a[q * m + q] - a[p * m + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let cs = 1 / (t * t + 1).squareRoot()
                    let sn = t * cs
                    for k in 0..<m {
                        let akp = a[k * m + p]
                        let akq = a[k * m + q]
                        a[k * m + p] = cs * akp - sn * akq
                        a[k * m + q] = sn * akp + cs * akq
                    }
                    for k in 0..<m {
                        let apk = a[p * m + k]
                        let aqk = a[q * m + k]
                        a[p * m + k] = cs * apk - sn * aqk
                        a[q * m + k] = sn * apk + cs * aqk
                    }
                    for k in 0..<m {
                        let vkp = v[k * m + p]
                        let vkq = v[k * m + q]
                        v[k * m + p] = cs * vkp - sn * vkq
                        v[k * m + q] = sn * vkp + cs * vkq
                    }
                }
            }
        }
        return ((0..<m).map { a[$0 * m + $0] }, v)
    }
}
