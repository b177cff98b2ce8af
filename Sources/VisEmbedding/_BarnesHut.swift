import CVisKernels
import Foundation

/// A 2^dims-ary space-partitioning tree (binary tree, quad-tree or octree) over the embedding, with each cell's
/// point count and centre of mass: the Barnes-Hut summary of the repulsive forces.
struct _SpaceTree {
    struct Node {
        /// Centre of mass of the cell's points (unused lanes are 0).
        var centerOfMass: SIMD4<Double>
        /// The squared width of the (cubic) cell.
        var widthSquared: Double
        var count: Int32
        /// Index of the first of the 2^dims children, or −1 for a leaf.
        var firstChild: Int32
        /// The cell's points are `order[start..<end]`.
        var start: Int32
        var end: Int32
    }

    /// Cells deeper than this are leaves even with several points (only coincident points get there).
    static let maxDepth = 48

    var nodes: [Node] = []
    var order: [Int32]
    var positions: [SIMD4<Double>]

    init(y: [Double], count n: Int, dims: Int) {
        var positions = [SIMD4<Double>](repeating: .zero, count: n)
        var low = SIMD4<Double>(repeating: .infinity)
        var high = SIMD4<Double>(repeating: -.infinity)
        for i in 0..<n {
            var v = SIMD4<Double>.zero
            for c in 0..<dims { v[c] = y[i * dims + c] }
            positions[i] = v
            low = pointwiseMin(low, v)
            high = pointwiseMax(high, v)
        }
        for c in dims..<4 {
            low[c] = 0
            high[c] = 0
        }
        self.positions = positions
        order = (0..<Int32(n)).map { $0 }
        var extent = 0.0
        for c in 0..<dims { extent = max(extent, high[c] - low[c]) }
        // A little margin so the maximum falls inside the last cell.
        let half = max(extent, 1e-12) * 0.5 * (1 + 1e-9)
        build(center: (low + high) * 0.5, half: half, dims: dims)
    }

    private mutating func build(center rootCenter: SIMD4<Double>, half rootHalf: Double, dims: Int) {
        let n = order.count
        let fanout = 1 << dims
        nodes.reserveCapacity(2 * n + 1)
        nodes.append(makeNode(start: 0, end: n, half: rootHalf))
        // (node, centre, half width, depth) still to split.
        var pending: [(Int, SIMD4<Double>, Double, Int)] = [(0, rootCenter, rootHalf, 0)]
        var scratch = [Int32](repeating: 0, count: n)
        var childOf = [UInt8](repeating: 0, count: n)
        while let (index, center, half, depth) = pending.popLast() {
            let node = nodes[index]
            let start = Int(node.start)
            let end = Int(node.end)
            guard end - start > 1, depth < Self.maxDepth else { continue }
            var counts = [Int](repeating: 0, count: fanout)
            for e in start..<end {
                let v = positions[Int(order[e])]
                var child = 0
                for c in 0..<dims where v[c] >= center[c] { child |= 1 << c }
                childOf[e] = UInt8(child)
                counts[child] += 1
            }
            var offsets = [Int](repeating: 0, count: fanout + 1)
            for c in 0..<fanout { offsets[c + 1] = offsets[c] + counts[c] }
            var fill = offsets
            for e in start..<end {
                let child = Int(childOf[e])
                scratch[start + fill[child]] = order[e]
                fill[child] += 1
            }
            for e in start..<end { order[e] = scratch[e] }
            let first = nodes.count
            nodes[index].firstChild = Int32(first)
            let childHalf = half * 0.5
            for child in 0..<fanout {
                var childCenter = center
                for c in 0..<dims { childCenter[c] += (child >> c) & 1 == 1 ? childHalf : -childHalf }
                nodes.append(makeNode(start: start + offsets[child], end: start + offsets[child + 1], half: childHalf))
                if counts[child] > 1 { pending.append((first + child, childCenter, childHalf, depth + 1)) }
            }
        }
    }

    private func makeNode(start: Int, end: Int, half: Double) -> Node {
        var sum = SIMD4<Double>.zero
        for e in start..<end { sum += positions[Int(order[e])] }
        let count = end - start
        return Node(
            centerOfMass: count > 0 ? sum / Double(count) : .zero, widthSquared: 4 * half * half,
            count: Int32(count), firstChild: -1, start: Int32(start), end: Int32(end))
    }
}

/// Barnes-Hut repulsion: a cell whose width / distance to its centre of mass is below θ stands for all its points.
struct _BarnesHutGradient: _GradientMethod {
    var p: _SparseAffinities
    var dims: Int
    var threads: Int
    var theta: Double

    func gradient(y: [Double], into gradient: inout [Double], exaggeration: Double, computeError: Bool) -> Double? {
        let (repulsion, z) = (dims == 2 ? repulsion2D(y: y) : nil) ?? genericRepulsion(y: y)
        return _Gradient.finish(
            p: p, y: y, dims: dims, repulsion: repulsion, z: z, exaggeration: exaggeration, threads: threads,
            gradient: &gradient, computeError: computeError)
    }

    /// ``gradient(y:into:exaggeration:computeError:)`` through the Swift walk whatever the dimension count: the
    /// naive twin the tests compare the two-dimensional C walk with.
    func genericGradient(y: [Double], into gradient: inout [Double], exaggeration: Double, computeError: Bool)
        -> Double?
    {
        let (repulsion, z) = genericRepulsion(y: y)
        return _Gradient.finish(
            p: p, y: y, dims: dims, repulsion: repulsion, z: z, exaggeration: exaggeration, threads: threads,
            gradient: &gradient, computeError: computeError)
    }

    /// The repulsive sums Σ w² (y_i − y_j) per point and Z = Σ w over all pairs, by the Swift walk of `_SpaceTree`.
    private func genericRepulsion(y: [Double]) -> (repulsion: [Double], z: Double) {
        let n = p.count
        let dims = self.dims
        let tree = _SpaceTree(y: y, count: n, dims: dims)
        let theta2 = theta * theta
        let fanout = Int32(1 << dims)
        var repulsion = [Double](repeating: 0, count: n * dims)
        var zParts = [Double](repeating: 0, count: n)
        tree.nodes.withUnsafeBufferPointer { nodes in
            tree.order.withUnsafeBufferPointer { order in
                tree.positions.withUnsafeBufferPointer { positions in
                    repulsion.withUnsafeMutableBufferPointer { rep in
                        zParts.withUnsafeMutableBufferPointer { zOut in
                            _parallelBlocks(count: n, blockSize: 256, threads: threads) { range in
                                var stack = [Int32]()
                                stack.reserveCapacity(Int(fanout) * (_SpaceTree.maxDepth + 2))
                                for i in range {
                                    let yi = positions[i]
                                    var force = SIMD4<Double>.zero
                                    var z = 0.0
                                    stack.append(0)
                                    while let top = stack.popLast() {
                                        let node = nodes[Int(top)]
                                        if node.count == 0 { continue }
                                        if node.firstChild < 0 {
                                            for e in Int(node.start)..<Int(node.end) {
                                                let j = Int(order[e])
                                                if j == i { continue }
                                                let diff = yi - positions[j]
                                                let w = 1 / (1 + (diff * diff).sum())
                                                z += w
                                                force += (w * w) * diff
                                            }
                                            continue
                                        }
                                        let diff = yi - node.centerOfMass
                                        let d2 = (diff * diff).sum()
                                        if node.widthSquared < theta2 * d2 {
                                            let w = 1 / (1 + d2)
                                            let m = Double(node.count)
                                            z += m * w
                                            force += (m * w * w) * diff
                                        } else {
                                            for c in 0..<fanout { stack.append(node.firstChild + c) }
                                        }
                                    }
                                    for c in 0..<dims { rep[i * dims + c] = force[c] }
                                    zOut[i] = z
                                }
                            }
                        }
                    }
                }
            }
        }
        return (repulsion, zParts.reduce(0, +))
    }

    /// The same sums for two dimensions, the common case, in C (`vis_bh_build_2d`, `vis_bh_repulsion_2d`): the same
    /// tree, walk and summation order as the Swift walk, so the same bits, several times faster. `nil` when the
    /// tree's memory could not be had (the caller then takes the Swift walk).
    private func repulsion2D(y: [Double]) -> (repulsion: [Double], z: Double)? {
        let n = p.count
        var order = [Int32](repeating: 0, count: n)
        var sorted = [Double](repeating: 0, count: 2 * n)
        var repulsion = [Double](repeating: 0, count: 2 * n)
        var zParts = [Double](repeating: 0, count: n)
        let maxDepth = Int32(_SpaceTree.maxDepth)
        let theta2 = theta * theta
        var nodes: UnsafeMutablePointer<vis_bh_node2>? = nil
        let nodeCount = y.withUnsafeBufferPointer { yb in
            order.withUnsafeMutableBufferPointer { ob in
                sorted.withUnsafeMutableBufferPointer { sb in
                    vis_bh_build_2d(yb.baseAddress, n, maxDepth, ob.baseAddress, sb.baseAddress, &nodes)
                }
            }
        }
        defer { free(nodes) }
        guard nodeCount > 0, let nodes else { return nil }
        order.withUnsafeBufferPointer { ob in
            sorted.withUnsafeBufferPointer { sb in
                repulsion.withUnsafeMutableBufferPointer { rb in
                    zParts.withUnsafeMutableBufferPointer { zb in
                        _parallelBlocks(count: n, blockSize: 128, threads: threads) { range in
                            vis_bh_repulsion_2d(
                                nodes, ob.baseAddress, sb.baseAddress, maxDepth, theta2, range.lowerBound,
                                range.upperBound, rb.baseAddress, zb.baseAddress)
                        }
                    }
                }
            }
        }
        return (repulsion, zParts.reduce(0, +))
    }
}
