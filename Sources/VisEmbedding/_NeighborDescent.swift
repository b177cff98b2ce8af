import Foundation
import VisCore

/// Approximate k-nearest neighbours for large N: a forest of random-projection trees gives every point a first
/// candidate list (the other points of its leaves), then rounds of nearest-neighbour descent (Dong, Moses & Li
/// 2011) improve the lists by trying the neighbours of neighbours, forward and reverse, until a round changes fewer
/// than 1 % of the entries. The kept neighbours are re-measured in float64, as in the exact search.
///
/// Every round first fixes each point's candidate lists from the previous round (with deterministic pseudo-random
/// sampling keyed by the seed), then each point updates only its own list from them: the result depends on the seed
/// and on nothing else, the thread count included. Memory O(N · (k + candidates) + trees · N).
enum _NeighborDescent {
    /// Random-projection trees of the starting lists.
    static func treeCount(_ n: Int) -> Int { min(12, 4 + Int(Foundation.pow(Double(n), 0.2).rounded())) }
    /// New (and, separately, old) candidates sampled per point and round, forward and reverse each.
    static let sampledCandidates = 12
    static let maxRounds = 12
    /// A round that changes fewer than this fraction of the N·k entries is the last.
    static let convergence = 0.01

    static func search(
        data: [Double], count n: Int, dimensions d: Int, k: Int, seed: UInt64, threads: Int
    ) throws -> _NeighborGraph {
        // Below a few leaves' worth of points the exact search is simpler and as fast.
        if n <= 4 * (k + 1) {
            return _NearestNeighbors.search(data: data, count: n, dimensions: d, k: k, threads: threads)
        }
        // The points reordered along the leaves of one random-projection tree: a point's neighbours then mostly sit
        // near it in memory, and the descent's distance evaluations (random rows of a matrix larger than the
        // caches) become mostly cache hits. Everything below runs on the new order; the lists are mapped back at
        // the end.
        let original = data.map { Float($0) }
        let order = original.withUnsafeBufferPointer { original in
            buildTree(
                x: original.baseAddress!, n: n, d: d, leafSize: max(k + 1, 64),
                seed: seed ^ 0x2545_F491_4F6C_DD1D
            ).0
        }
        var rows = [Float](repeating: 0, count: n * d)
        for (position, point) in order.enumerated() {
            let from = Int(point) * d
            for f in 0..<d { rows[position * d + f] = original[from + f] }
        }
        var heaps = _NeighborHeaps(count: n, k: k)
        try rows.withUnsafeBufferPointer { rows in
            let x = rows.baseAddress!
            try initialize(&heaps, x: x, n: n, d: d, seed: seed, threads: threads)
            for round in 0..<maxRounds {
                try Task.checkCancellation()
                let changed = descend(&heaps, x: x, n: n, d: d, round: round, seed: seed, threads: threads)
                if Double(changed) < convergence * Double(n * k) { break }
            }
        }
        // Back to the input's numbering; re-measure in float64 and order by (distance, index), as the exact search
        // returns them.
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Double](repeating: 0, count: n * k)
        data.withUnsafeBufferPointer { exact in
            indices.withUnsafeMutableBufferPointer { indexOut in
                distances.withUnsafeMutableBufferPointer { distanceOut in
                    _parallelBlocks(count: n, blockSize: 256, threads: threads) { range in
                        for position in range {
                            let i = Int(order[position])
                            var found = (0..<k).map { r -> (Double, Int32) in
                                let j = order[Int(heaps.index[position * k + r])]
                                return (_squaredDistance(exact, i, Int(j), width: d), j)
                            }
                            found.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                            for (r, item) in found.enumerated() {
                                indexOut[i * k + r] = item.1
                                distanceOut[i * k + r] = item.0
                            }
                        }
                    }
                }
            }
        }
        return _NeighborGraph(count: n, k: k, indices: indices, squaredDistances: distances)
    }

    /// Candidate lists from the leaves of random-projection trees (hyperplanes bisecting two random points of the
    /// node), topped up with seeded random points where the leaves hold fewer than k others.
    private static func initialize(
        _ heaps: inout _NeighborHeaps, x: UnsafePointer<Float>, n: Int, d: Int, seed: UInt64, threads: Int
    ) throws {
        let trees = treeCount(n)
        let leafSize = max(heaps.k + 1, 64)
        // order[t] is a permutation of the points whose leaves are contiguous; leafOf[t][i] is i's leaf range.
        var orders = [[Int32]](repeating: [], count: trees)
        var leafStart = [[Int32]](repeating: [], count: trees)
        var leafEnd = [[Int32]](repeating: [], count: trees)
        let lock = LockedValue(())
        _parallelBlocks(count: trees, blockSize: 1, threads: threads) { range in
            for t in range {
                let (order, start, end) = buildTree(
                    x: x, n: n, d: d, leafSize: leafSize, seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(t + 1))
                lock.withLock { _ in
                    orders[t] = order
                    leafStart[t] = start
                    leafEnd[t] = end
                }
            }
        }
        try Task.checkCancellation()
        let k = heaps.k
        heaps.withBuffers { distance, index, isNew in
            _parallelBlocks(count: n, blockSize: 256, threads: threads) { range in
                var heap = _PointHeap(k: k)
                var rng = SplitMix64(seed: seed ^ 0xD1B5_4A32_D192_ED03 &+ UInt64(range.lowerBound))
                // visited[j] == i: j was already offered to i (leaves of different trees overlap).
                var visited = [Int32](repeating: -1, count: n)
                for i in range {
                    heap.load(distance + i * k, index + i * k, isNew + i * k, fill: false)
                    visited[i] = Int32(i)
                    for t in 0..<trees {
                        let from = Int(leafStart[t][i]), to = Int(leafEnd[t][i])
                        for e in from..<to {
                            let j = Int(orders[t][e])
                            if visited[j] == Int32(i) { continue }
                            visited[j] = Int32(i)
                            heap.pushNew(_distance(x, i, j, d), Int32(j))
                        }
                    }
                    while heap.size < k {
                        let j = Int(rng.next() % UInt64(n))
                        if j != i { heap.push(_distance(x, i, j, d), Int32(j)) }
                    }
                    heap.store(distance + i * k, index + i * k, isNew + i * k)
                }
            }
        }
    }

    /// One tree: a permutation of 0..<n whose leaves (at most `leafSize` points) are contiguous, and each point's
    /// leaf as a range of the permutation.
    private static func buildTree(x: UnsafePointer<Float>, n: Int, d: Int, leafSize: Int, seed: UInt64)
        -> ([Int32], [Int32], [Int32])
    {
        var rng = SplitMix64(seed: seed)
        var order = (0..<Int32(n)).map { $0 }
        var start = [Int32](repeating: 0, count: n)
        var end = [Int32](repeating: 0, count: n)
        var pending: [(Int, Int)] = [(0, n)]
        var normal = [Float](repeating: 0, count: d)
        var side = [Bool](repeating: false, count: n)
        while let (lo, hi) = pending.popLast() {
            if hi - lo <= leafSize {
                for e in lo..<hi {
                    start[Int(order[e])] = Int32(lo)
                    end[Int(order[e])] = Int32(hi)
                }
                continue
            }
            let a = Int(order[lo + Int(rng.next() % UInt64(hi - lo))])
            var b = Int(order[lo + Int(rng.next() % UInt64(hi - lo - 1))])
            if b == a { b = Int(order[hi - 1]) }
            var offset: Float = 0
            for f in 0..<d {
                let va = x[a * d + f], vb = x[b * d + f]
                normal[f] = va - vb
                offset += normal[f] * (va + vb) * 0.5
            }
            var left = 0
            for e in lo..<hi {
                let p = x + Int(order[e]) * d
                var dot: Float = 0
                for f in 0..<d { dot += normal[f] * p[f] }
                side[e] = dot < offset
                if side[e] { left += 1 }
            }
            if left == 0 || left == hi - lo {
                // Coincident points: split by a coin per point.
                left = 0
                for e in lo..<hi {
                    side[e] = rng.next() & 1 == 0
                    if side[e] { left += 1 }
                }
                if left == 0 || left == hi - lo {
                    for e in lo..<hi { side[e] = e < lo + (hi - lo) / 2 }
                    left = (hi - lo) / 2
                }
            }
            // Stable partition: left side first.
            var partitioned = [Int32]()
            partitioned.reserveCapacity(hi - lo)
            for e in lo..<hi where side[e] { partitioned.append(order[e]) }
            for e in lo..<hi where !side[e] { partitioned.append(order[e]) }
            for e in lo..<hi { order[e] = partitioned[e - lo] }
            pending.append((lo, lo + left))
            pending.append((lo + left, hi))
        }
        return (order, start, end)
    }

    /// A pseudo-random priority of candidate j for point i in a round: sampling without a shared generator.
    @inline(__always)
    private static func priority(_ seed: UInt64, _ round: Int, _ i: Int, _ j: Int32) -> UInt64 {
        var z = seed &+ UInt64(round) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(i) &* 0xBF58_476D_1CE4_E5B9
            &+ UInt64(UInt32(bitPattern: j)) &* 0x94D0_49BB_1331_11EB
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// One round of neighbour descent; returns the number of list entries that changed.
    private static func descend(
        _ heaps: inout _NeighborHeaps, x: UnsafePointer<Float>, n: Int, d: Int, round: Int, seed: UInt64,
        threads: Int
    ) -> Int {
        let k = heaps.k
        let s = sampledCandidates
        // Forward samples: up to s new and s old neighbours of each point, by priority; sampled new ones become old.
        var forwardNew = [Int32](repeating: -1, count: n * s)
        var forwardOld = [Int32](repeating: -1, count: n * s)
        heaps.withBuffers { _, index, isNew in
            forwardNew.withUnsafeMutableBufferPointer { fNew in
                forwardOld.withUnsafeMutableBufferPointer { fOld in
                    _parallelBlocks(count: n, blockSize: 512, threads: threads) { range in
                        var newOnes: [(UInt64, Int)] = []
                        var oldOnes: [(UInt64, Int)] = []
                        for i in range {
                            newOnes.removeAll(keepingCapacity: true)
                            oldOnes.removeAll(keepingCapacity: true)
                            for r in 0..<k {
                                let entry = (priority(seed, round, i, index[i * k + r]), r)
                                if isNew[i * k + r] { newOnes.append(entry) } else { oldOnes.append(entry) }
                            }
                            if newOnes.count > s { newOnes.sort { $0.0 < $1.0 } }
                            if oldOnes.count > s { oldOnes.sort { $0.0 < $1.0 } }
                            for (c, entry) in newOnes.prefix(s).enumerated() {
                                fNew[i * s + c] = index[i * k + entry.1]
                                isNew[i * k + entry.1] = false
                            }
                            for (c, entry) in oldOnes.prefix(s).enumerated() { fOld[i * s + c] = index[i * k + entry.1] }
                        }
                    }
                }
            }
        }
        // Candidates: forward plus reverse (i is a reverse candidate of j when j is in i's forward sample), the
        // reverse ones capped at s by priority. Serial: it is O(N s) and keeps the order fixed.
        let candidates = 2 * s
        var newCandidates = [Int32](repeating: -1, count: n * candidates)
        var oldCandidates = [Int32](repeating: -1, count: n * candidates)
        func gather(_ forward: [Int32], into out: inout [Int32]) {
            var reverseCount = [Int32](repeating: 0, count: n + 1)
            for e in 0..<(n * s) where forward[e] >= 0 { reverseCount[Int(forward[e]) + 1] += 1 }
            var start = [Int](repeating: 0, count: n + 1)
            for j in 0..<n { start[j + 1] = start[j] + Int(reverseCount[j + 1]) }
            var fill = Array(start[0..<n])
            var reverse = [Int32](repeating: 0, count: start[n])
            for i in 0..<n {
                for c in 0..<s {
                    let j = forward[i * s + c]
                    if j < 0 { break }
                    reverse[fill[Int(j)]] = Int32(i)
                    fill[Int(j)] += 1
                }
            }
            out.withUnsafeMutableBufferPointer { out in
                reverse.withUnsafeBufferPointer { reverse in
                    _parallelBlocks(count: n, blockSize: 512, threads: threads) { range in
                        var picked: [(UInt64, Int32)] = []
                        for j in range {
                            var c = 0
                            for e in 0..<s {
                                let f = forward[j * s + e]
                                if f < 0 { break }
                                out[j * candidates + c] = f
                                c += 1
                            }
                            picked.removeAll(keepingCapacity: true)
                            for e in start[j]..<start[j + 1] {
                                let i = reverse[e]
                                picked.append((priority(seed ^ 0x5851_F42D_4C95_7F2D, round, j, i), i))
                            }
                            if picked.count > s { picked.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) } }
                            for (_, i) in picked.prefix(s) {
                                out[j * candidates + c] = i
                                c += 1
                            }
                        }
                    }
                }
            }
        }
        gather(forwardNew, into: &newCandidates)
        gather(forwardOld, into: &oldCandidates)

        // Each point tries the candidates of its candidates (pairs of two old ones were tried in an earlier round)
        // and updates only its own list.
        let blockSize = 256
        var changedParts = [Int]((0..<((n + blockSize - 1) / blockSize)).map { _ in 0 })
        heaps.withBuffers { distance, index, isNew in
            newCandidates.withUnsafeBufferPointer { newC in
                oldCandidates.withUnsafeBufferPointer { oldC in
                    changedParts.withUnsafeMutableBufferPointer { changedOut in
                        _parallelBlocks(count: n, blockSize: blockSize, threads: threads) { range in
                            var heap = _PointHeap(k: k)
                            // visited[l] == i: l was already tried for i this round (or is kept).
                            var visited = [Int32](repeating: -1, count: n)
                            var changed = 0
                            for i in range {
                                heap.load(distance + i * k, index + i * k, isNew + i * k, fill: true)
                                visited[i] = Int32(i)
                                for r in 0..<k { visited[Int(index[i * k + r])] = Int32(i) }
                                let stamp = Int32(i)
                                for side in 0..<2 {
                                    let mine = side == 0 ? newC : oldC
                                    for a in 0..<candidates {
                                        let j = mine[i * candidates + a]
                                        if j < 0 { break }
                                        let jj = Int(j)
                                        // j itself, then j's new candidates, then (for a new j) its old ones.
                                        for b in -1..<(side == 0 ? 2 * candidates : candidates) {
                                            let l: Int32
                                            if b < 0 {
                                                l = j
                                            } else if b < candidates {
                                                l = newC[jj * candidates + b]
                                            } else {
                                                l = oldC[jj * candidates + b - candidates]
                                            }
                                            if l < 0 { continue }
                                            let li = Int(l)
                                            if visited[li] == stamp { continue }
                                            visited[li] = stamp
                                            let dist = _distance(x, i, li, d)
                                            if dist < heap.worst {
                                                heap.replaceWorst(dist, l)
                                                changed += 1
                                            }
                                        }
                                    }
                                }
                                heap.store(distance + i * k, index + i * k, isNew + i * k)
                            }
                            changedOut[range.lowerBound / blockSize] = changed
                        }
                    }
                }
            }
        }
        return changedParts.reduce(0, +)
    }

    @inline(__always)
    static func _distance(_ x: UnsafePointer<Float>, _ i: Int, _ j: Int, _ d: Int) -> Float {
        let a = x + i * d
        let b = x + j * d
        var acc = SIMD8<Float>()
        var f = 0
        while f + 8 <= d {
            let diff = UnsafeRawPointer(a + f).loadUnaligned(as: SIMD8<Float>.self)
                - UnsafeRawPointer(b + f).loadUnaligned(as: SIMD8<Float>.self)
            acc += diff * diff  // not `addProduct`: without FMA in the target it is a libm call per lane
            f += 8
        }
        var s = acc.sum()
        while f < d {
            let diff = a[f] - b[f]
            s += diff * diff
            f += 1
        }
        return s
    }
}

/// Every point's current k neighbours: distances (float32), indices and "new" flags (not yet used as candidates),
/// each list a max-heap on distance.
struct _NeighborHeaps {
    let count: Int
    let k: Int
    var distance: [Float]
    var index: [Int32]
    var isNew: [Bool]

    init(count: Int, k: Int) {
        self.count = count
        self.k = k
        distance = [Float](repeating: .infinity, count: count * k)
        index = [Int32](repeating: -1, count: count * k)
        isNew = [Bool](repeating: true, count: count * k)
    }

    /// The three arrays as pointers for workers that each touch their own points' lists.
    mutating func withBuffers(
        _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Bool>) -> Void
    ) {
        distance.withUnsafeMutableBufferPointer { distance in
            index.withUnsafeMutableBufferPointer { index in
                isNew.withUnsafeMutableBufferPointer { isNew in
                    body(distance.baseAddress!, index.baseAddress!, isNew.baseAddress!)
                }
            }
        }
    }
}

/// One point's neighbour list being updated: a max-heap on (distance, index) of at most k entries.
struct _PointHeap {
    let k: Int
    var distance: [Float]
    var index: [Int32]
    var isNew: [Bool]
    var size = 0

    init(k: Int) {
        self.k = k
        distance = [Float](repeating: 0, count: k)
        index = [Int32](repeating: 0, count: k)
        isNew = [Bool](repeating: false, count: k)
    }

    /// The largest distance kept, or +∞ while fewer than k are kept.
    var worst: Float { size == k ? distance[0] : .infinity }

    /// Loads a stored list (`fill`: the list is full and already a heap) or starts empty.
    mutating func load(
        _ d: UnsafeMutablePointer<Float>, _ i: UnsafeMutablePointer<Int32>, _ f: UnsafeMutablePointer<Bool>,
        fill: Bool
    ) {
        size = 0
        guard fill else { return }
        for r in 0..<k {
            distance[r] = d[r]
            index[r] = i[r]
            isNew[r] = f[r]
        }
        size = k
    }

    func store(_ d: UnsafeMutablePointer<Float>, _ i: UnsafeMutablePointer<Int32>, _ f: UnsafeMutablePointer<Bool>) {
        for r in 0..<size {
            d[r] = distance[r]
            i[r] = index[r]
            f[r] = isNew[r]
        }
    }

    @inline(__always)
    private func before(_ a: Int, _ b: Int) -> Bool {
        distance[a] < distance[b] || (distance[a] == distance[b] && index[a] < index[b])
    }

    @inline(__always)
    private mutating func swapEntries(_ a: Int, _ b: Int) {
        distance.swapAt(a, b)
        index.swapAt(a, b)
        isNew.swapAt(a, b)
    }

    /// Adds j unless it is already kept (a linear check, for the few random top-ups).
    mutating func push(_ dist: Float, _ j: Int32) {
        for r in 0..<size where index[r] == j { return }
        pushNew(dist, j)
    }

    /// Adds j, which the caller knows is not kept, if it is among the k nearest so far.
    mutating func pushNew(_ dist: Float, _ j: Int32) {
        if size < k {
            distance[size] = dist
            index[size] = j
            isNew[size] = true
            var c = size
            size += 1
            while c > 0 {
                let parent = (c - 1) / 2
                guard before(parent, c) else { break }
                swapEntries(parent, c)
                c = parent
            }
        } else if dist < distance[0] || (dist == distance[0] && j < index[0]) {
            replaceWorst(dist, j)
        }
    }

    /// Replaces the farthest kept neighbour by j (the caller knows j is not kept and is nearer).
    @inline(__always)
    mutating func replaceWorst(_ dist: Float, _ j: Int32) {
        distance[0] = dist
        index[0] = j
        isNew[0] = true
        var c = 0
        while true {
            let l = 2 * c + 1
            guard l < size else { break }
            var m = l
            if l + 1 < size && before(l, l + 1) { m = l + 1 }
            guard before(c, m) else { break }
            swapEntries(c, m)
            c = m
        }
    }
}
