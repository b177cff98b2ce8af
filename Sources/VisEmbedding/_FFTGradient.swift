import Foundation

/// FFT-accelerated interpolation of the repulsive forces (FIt-SNE), for 1 or 2 components.
///
/// Both repulsive sums are sums of one kernel, K(y_i, y_j) = w_ij² with w = 1 / (1 + ‖y_i − y_j‖²), against a few
/// per-point charges: rep_i = y_i Σ_j K − Σ_j K y_j and, since w = w² (1 + ‖y_i‖² − 2 y_i·y_j + ‖y_j‖²),
/// z + N = Σ_i [(1 + ‖y_i‖²) Σ_j K − 2 y_i · Σ_j K y_j + Σ_j K ‖y_j‖²]. The charges (1, y_j, ‖y_j‖²) are spread
/// on an equispaced grid by Lagrange interpolation (``nodesPerInterval`` nodes per interval), the kernel sums
/// between grid nodes are one discrete convolution done by FFT, and the node potentials are interpolated back to the
/// points. Cost per iteration O(N + G log G) for G grid nodes, against O(N log N) for Barnes-Hut with a larger
/// constant; the grid covers the embedding with intervals of width at most ``intervalWidth`` and at least
/// ``minIntervals`` of them per axis.
struct _FFTGradient: _GradientMethod {
    /// Three: the self-term below is written out for it.
    static let nodesPerInterval = 3
    static let minIntervals = 50
    static let intervalWidth = 1.0

    var p: _SparseAffinities
    /// 1 or 2 (``TSNE/fit(_:progress:)`` checks).
    var dims: Int
    var threads: Int

    func gradient(y: [Double], into gradient: inout [Double], exaggeration: Double, computeError: Bool) -> Double? {
        let (repulsion, z) = repulsiveForces(y: y)
        return _Gradient.finish(
            p: p, y: y, dims: dims, repulsion: repulsion, z: z, exaggeration: exaggeration, threads: threads,
            gradient: &gradient, computeError: computeError)
    }

    /// rep_i = Σ_j w_ij² (y_i − y_j) and z = Σ_{i≠j} w_ij, interpolated.
    func repulsiveForces(y: [Double]) -> (repulsion: [Double], z: Double) {
        let n = p.count
        let dims = self.dims
        let order = Self.nodesPerInterval
        var low = Double.infinity
        var high = -Double.infinity
        for v in y {
            low = min(low, v)
            high = max(high, v)
        }
        // A square grid over the bounding box, its side sized for the FFT: L = 2 · intervals · order (the
        // convolution of M = intervals · order nodes needs a circulant of at least 2M − 1), using every interval
        // that fits the chosen transform length.
        let extent = max(high - low, 1e-9)
        let neededIntervals = max(Self.minIntervals, Int((extent / Self.intervalWidth).rounded(.up)))
        let side = _FFTPlan.size(atLeast: 2 * order * neededIntervals)
        let intervals = side / (2 * order)
        guard let plan = _FFTPlan(count: side) else { return ([Double](repeating: 0, count: n * dims), 0) }
        let nodes = intervals * order
        let boxWidth = extent / Double(intervals)
        let spacing = boxWidth / Double(order)

        // Per point and axis: the first node of its interval and the Lagrange weights of the interval's nodes.
        var firstNode = [Int32](repeating: 0, count: n * dims)
        var weights = [Double](repeating: 0, count: n * dims * order)
        y.withUnsafeBufferPointer { y in
            firstNode.withUnsafeMutableBufferPointer { first in
                weights.withUnsafeMutableBufferPointer { weights in
                    _parallelBlocks(count: n * dims, blockSize: 4096, threads: threads) { range in
                        for e in range {
                            let scaled = (y[e] - low) / boxWidth
                            let box = min(intervals - 1, max(0, Int(scaled)))
                            first[e] = Int32(box * order)
                            // Position within the interval in node spacings; nodes sit at 0.5, 1.5, … .
                            let t = (scaled - Double(box)) * Double(order)
                            for a in 0..<order {
                                var w = 1.0
                                for b in 0..<order where b != a { w *= (t - Double(b) - 0.5) / Double(a - b) }
                                weights[e * order + a] = w
                            }
                        }
                    }
                }
            }
        }

        // Charges: 1, y_j (per axis), ‖y_j‖²: at most four (dims ≤ 2). They are spread per node side by side (one
        // cache line holds two nodes, not one per charge), node (u, v) at u · nodes + v, then laid out for the FFT
        // as planes packed two per complex grid — the kernel's transform is real (the kernel is even), so real and
        // imaginary parts convolve independently: planes 0, 1 are grid 0's real and imaginary parts, planes 2, 3
        // grid 1's.
        var nodeValues = [SIMD4<Double>](repeating: .zero, count: dims == 1 ? nodes : nodes * nodes)
        // Spreading is serial: points share nodes, and a fixed order keeps the sums reproducible.
        nodeValues.withUnsafeMutableBufferPointer { values in
            for i in 0..<n {
                let charge: SIMD4<Double>
                if dims == 1 {
                    charge = SIMD4(1, y[i], y[i] * y[i], 0)
                } else {
                    let vx = y[2 * i], vy = y[2 * i + 1]
                    charge = SIMD4(1, vx, vy, vx * vx + vy * vy)
                }
                Self.forEachNode(of: i, dims: dims, nodes: nodes, firstNode: firstNode, weights: weights) { node, w in
                    values[node] += w * charge
                }
            }
        }
        let cells = dims == 1 ? side : side * side
        // The grid cell of node `node`.
        func cell(_ node: Int) -> Int { dims == 1 ? node : (node / nodes) * side + node % nodes }
        var plane0 = [Double](repeating: 0, count: cells), plane1 = plane0, plane2 = plane0, plane3 = plane0
        for (node, value) in nodeValues.enumerated() {
            let c = cell(node)
            (plane0[c], plane1[c], plane2[c], plane3[c]) = (value[0], value[1], value[2], value[3])
        }

        // The kernel at every node offset, laid out circulantly (offset −d at index L − d).
        let fft = _GridFFT(plan: plan, dims: dims)
        var kernelRe = [Double](repeating: 0, count: cells)
        var kernelIm = [Double](repeating: 0, count: cells)
        func offset(_ index: Int) -> Double? {
            if index < nodes { return Double(index) * spacing }
            if index > side - nodes { return Double(index - side) * spacing }
            return nil
        }
        if dims == 1 {
            for u in 0..<side {
                if let d = offset(u) {
                    let w = 1 / (1 + d * d)
                    kernelRe[u] = w * w
                }
            }
        } else {
            // One quadrant evaluated, four written: offsets ±u, ±v give the same value.
            kernelRe.withUnsafeMutableBufferPointer { kernel in
                for u in 0..<nodes {
                    let dx = Double(u) * spacing
                    let rows = u == 0 ? [0] : [u, side - u]
                    for v in 0..<nodes {
                        let dy = Double(v) * spacing
                        let w = 1 / (1 + dx * dx + dy * dy)
                        for row in rows {
                            kernel[row * side + v] = w * w
                            if v > 0 { kernel[row * side + side - v] = w * w }
                        }
                    }
                }
            }
        }
        fft.forwardEven(re: &kernelRe, im: &kernelIm, threads: threads)
        let scale = 1 / Double(cells)
        for index in 0..<cells { kernelRe[index] *= scale }
        func convolve(_ re: inout [Double], _ im: inout [Double]) {
            fft.forwardPadded(re: &re, im: &im, nonzero: nodes, threads: threads)
            re.withUnsafeMutableBufferPointer { re in
                im.withUnsafeMutableBufferPointer { im in
                    kernelRe.withUnsafeBufferPointer { kernel in
                        for e in 0..<cells {
                            re[e] *= kernel[e]
                            im[e] *= kernel[e]
                        }
                    }
                }
            }
            // Only the nodes' potentials are read back.
            fft.inversePadded(re: &re, im: &im, needed: nodes, threads: threads)
        }
        convolve(&plane0, &plane1)
        convolve(&plane2, &plane3)

        // The kernel between the nodes of one interval (offsets −(order − 1)…(order − 1) per axis): one SIMD8 per x
        // offset, lanes past `span` zero (1-D: the x offsets alone, in lane 0).
        let span = 2 * order - 1
        var nearKernelRows = [SIMD8<Double>](repeating: .zero, count: span)
        for u in 0..<span {
            let dx = Double(u - order + 1) * spacing
            for v in 0..<(dims == 1 ? 1 : span) {
                let dy = dims == 1 ? 0 : Double(v - order + 1) * spacing
                let w = 1 / (1 + dx * dx + dy * dy)
                nearKernelRows[u][v] = w * w
            }
        }

        // Interpolate the potentials back and combine them into forces and per-point parts of z.
        var repulsion = [Double](repeating: 0, count: n * dims)
        var zParts = [Double](repeating: 0, count: n)
        // The nodes' potentials side by side again for the gathering, as the charges were for the spreading.
        for node in nodeValues.indices {
            let c = cell(node)
            nodeValues[node] = SIMD4(plane0[c], plane1[c], plane2[c], plane3[c])
        }
        y.withUnsafeBufferPointer { y in
            repulsion.withUnsafeMutableBufferPointer { rep in
                zParts.withUnsafeMutableBufferPointer { zOut in
                    nodeValues.withUnsafeBufferPointer { potentials in
                    _parallelBlocks(count: n, blockSize: 1024, threads: threads) { range in
                        for i in range {
                            var phi = SIMD4<Double>.zero
                            Self.forEachNode(of: i, dims: dims, nodes: nodes, firstNode: firstNode, weights: weights) {
                                node, w in phi += w * potentials[node]
                            }
                            var norm = 0.0
                            var dot = 0.0
                            for c in 0..<dims {
                                let v = y[i * dims + c]
                                rep[i * dims + c] = v * phi[0] - phi[1 + c]
                                norm += v * v
                                dot += v * phi[1 + c]
                            }
                            // Minus the point's own term, K̃_ii: the interpolated kernel at distance 0 is not exactly
                            // 1, and for sparse embeddings that error would dominate z.
                            var own = 0.0
                            if dims == 1 {
                                for a in 0..<order {
                                    for a2 in 0..<order {
                                        own += weights[i * order + a] * weights[i * order + a2]
                                            * nearKernelRows[a - a2 + order - 1][0]
                                    }
                                }
                            } else {
                                // K̃_ii = Σ over node pairs of w_a w_a' w_b w_b' K(a − a', b − b'), grouped by the
                                // offsets: the weight products per axis summed per offset first (5 + 5 values), then
                                // 25 kernel terms instead of 81. Written out for three nodes per interval, so that
                                // every SIMD lane is a constant (a lane chosen at run time goes through memory).
                                let w = (2 * i) * order
                                let (x0, x1, x2) = (weights[w], weights[w + 1], weights[w + 2])
                                let (y0, y1, y2) = (weights[w + 3], weights[w + 4], weights[w + 5])
                                let ax = SIMD8(
                                    x0 * x2, x0 * x1 + x1 * x2, x0 * x0 + x1 * x1 + x2 * x2, x0 * x1 + x1 * x2, x0 * x2,
                                    0, 0, 0)
                                let ay = SIMD8(
                                    y0 * y2, y0 * y1 + y1 * y2, y0 * y0 + y1 * y1 + y2 * y2, y0 * y1 + y1 * y2, y0 * y2,
                                    0, 0, 0)
                                for dx in 0..<span { own += ax[dx] * (ay * nearKernelRows[dx]).sum() }
                            }
                            zOut[i] = (1 + norm) * phi[0] - 2 * dot + phi[dims + 1] - own
                        }
                    }
                    }
                }
            }
        }
        return (repulsion, zParts.reduce(0, +))
    }

    /// Calls `body(node, weight)` for the nodes of point i's interval (`nodesPerInterval` per axis, x-major) with
    /// their interpolation weights, in a fixed order: the stencil shared by spreading and gathering. Nodes are
    /// numbered u · nodes + v in 2-D.
    @inline(__always)
    private static func forEachNode(
        of i: Int, dims: Int, nodes: Int, firstNode: [Int32], weights: [Double], _ body: (Int, Double) -> Void
    ) {
        let order = nodesPerInterval
        if dims == 1 {
            let f = Int(firstNode[i])
            for a in 0..<order { body(f + a, weights[i * order + a]) }
            return
        }
        let fx = Int(firstNode[2 * i]), fy = Int(firstNode[2 * i + 1])
        for a in 0..<order {
            let wx = weights[(2 * i) * order + a]
            let row = (fx + a) * nodes + fy
            for b in 0..<order { body(row + b, wx * weights[(2 * i + 1) * order + b]) }
        }
    }
}
