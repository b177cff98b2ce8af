/// Exact k-nearest neighbours under the Euclidean distance, by a blocked all-pairs kernel.
///
/// Distances are ‖x‖² + ‖y‖² − 2 x·y in float32 over panels of 8 points (stored feature-major so the inner loop is one
/// 8-lane multiply-add per feature and query row); the k kept per row are then re-measured directly in float64 so
/// cancellation in the expanded form never reaches the affinities.
struct _NeighborGraph {
    /// Samples.
    var count: Int
    /// Neighbours per sample.
    var k: Int
    /// `count × k` neighbour indices, nearest first.
    var indices: [Int32]
    /// `count × k` squared Euclidean distances, matching `indices`.
    var squaredDistances: [Double]
}

enum _NearestNeighbors {
    static let panelWidth = 8
    static let queryTile = 4

    /// The k nearest other samples of every row of `data` (n × d, row-major).
    static func search(
        data: [Double], count n: Int, dimensions d: Int, k: Int, threads: Int,
        progress: ((Int) -> Void)? = nil
    ) -> _NeighborGraph {
        let panels = (n + panelWidth - 1) / panelWidth
        // Feature-major panels: panel p, feature f holds the 8 values of points 8p..8p+7 (padding far away).
        var packed = [Float](repeating: 0, count: panels * d * panelWidth)
        var norms = [Float](repeating: .infinity, count: panels * panelWidth)
        var rows = [Float](repeating: 0, count: n * d)
        for i in 0..<n {
            var s: Float = 0
            for f in 0..<d {
                let v = Float(data[i * d + f])
                rows[i * d + f] = v
                packed[(i / panelWidth) * d * panelWidth + f * panelWidth + i % panelWidth] = v
                s += v * v
            }
            norms[i] = s
        }
        var indices = [Int32](repeating: 0, count: n * k)
        var distances = [Double](repeating: 0, count: n * k)
        let tileRows = queryTile
        packed.withUnsafeBufferPointer { packedBuffer in
            norms.withUnsafeBufferPointer { normBuffer in
                rows.withUnsafeBufferPointer { rowBuffer in
                    indices.withUnsafeMutableBufferPointer { indexOut in
                        distances.withUnsafeMutableBufferPointer { distanceOut in
                            data.withUnsafeBufferPointer { exact in
                                let packedBase = packedBuffer.baseAddress!
                                let rowBase = rowBuffer.baseAddress!
                                _parallelBlocks(count: n, blockSize: 32, threads: threads) { block in
                                    var heaps = [_TopK](repeating: _TopK(k: k), count: tileRows)
                                    var start = block.lowerBound
                                    while start < block.upperBound {
                                        let tile = min(tileRows, block.upperBound - start)
                                        for t in 0..<tileRows { heaps[t].reset() }
                                        for p in 0..<panels {
                                            let panel = packedBase + p * d * panelWidth
                                            var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
                                            var acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
                                            let q0 = rowBase + start * d
                                            let q1 = rowBase + min(start + 1, n - 1) * d
                                            let q2 = rowBase + min(start + 2, n - 1) * d
                                            let q3 = rowBase + min(start + 3, n - 1) * d
                                            // Multiply then add: `addProduct` would be a libm `fmaf` call per lane
                                            // on x86-64 targets without FMA.
                                            for f in 0..<d {
                                                let v = UnsafeRawPointer(panel + f * panelWidth)
                                                    .loadUnaligned(as: SIMD8<Float>.self)
                                                acc0 += q0[f] * v
                                                acc1 += q1[f] * v
                                                acc2 += q2[f] * v
                                                acc3 += q3[f] * v
                                            }
                                            let pn = UnsafeRawPointer(normBuffer.baseAddress! + p * panelWidth)
                                                .loadUnaligned(as: SIMD8<Float>.self)
                                            for t in 0..<tile {
                                                let qi = start + t
                                                let acc = t == 0 ? acc0 : (t == 1 ? acc1 : (t == 2 ? acc2 : acc3))
                                                let dist = pn + normBuffer[qi] - 2 * acc
                                                if let worst = heaps[t].worst,
                                                    !any(dist .< SIMD8(repeating: worst))
                                                {
                                                    continue
                                                }
                                                for lane in 0..<panelWidth {
                                                    let j = p * panelWidth + lane
                                                    guard j < n, j != qi else { continue }
                                                    heaps[t].offer(max(0, dist[lane]), Int32(j))
                                                }
                                            }
                                        }
                                        for t in 0..<tile {
                                            let qi = start + t
                                            // Re-measure in float64 and order by (distance, index).
                                            var found = heaps[t].items.map { item -> (Double, Int32) in
                                                let s = _squaredDistance(exact, qi, Int(item.index), width: d)
                                                return (s, item.index)
                                            }
                                            found.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                                            for (r, item) in found.enumerated() {
                                                indexOut[qi * k + r] = item.1
                                                distanceOut[qi * k + r] = item.0
                                            }
                                        }
                                        start += tile
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        progress?(n)
        return _NeighborGraph(count: n, k: k, indices: indices, squaredDistances: distances)
    }
}

/// The k smallest (distance, index) pairs seen, as a max-heap on distance (ties broken towards the smaller index).
struct _TopK {
    struct Item { var distance: Float; var index: Int32 }
    let k: Int
    var items: [Item]

    init(k: Int) {
        self.k = k
        items = []
        items.reserveCapacity(k)
    }

    mutating func reset() { items.removeAll(keepingCapacity: true) }

    /// The largest distance kept, once k are kept.
    var worst: Float? { items.count == k ? items[0].distance : nil }

    @inline(__always)
    static func before(_ a: Item, _ b: Item) -> Bool {
        a.distance < b.distance || (a.distance == b.distance && a.index < b.index)
    }

    @inline(__always)
    mutating func offer(_ distance: Float, _ index: Int32) {
        let item = Item(distance: distance, index: index)
        if items.count < k {
            items.append(item)
            var c = items.count - 1
            while c > 0 {
                let parent = (c - 1) / 2
                guard Self.before(items[parent], items[c]) else { break }
                items.swapAt(parent, c)
                c = parent
            }
        } else if Self.before(item, items[0]) {
            items[0] = item
            var c = 0
            while true {
                let l = 2 * c + 1
                guard l < items.count else { break }
                var m = l
                if l + 1 < items.count && Self.before(items[l], items[l + 1]) { m = l + 1 }
                guard Self.before(items[c], items[m]) else { break }
                items.swapAt(c, m)
                c = m
            }
        }
    }
}
