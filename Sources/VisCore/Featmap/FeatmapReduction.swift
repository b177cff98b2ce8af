import Foundation

/// The arithmetic of MMEngine's `draw_featmap` reductions, reproduced to the bit:
///
/// - `torch.mean(F.interpolate(x, size), dim=0)` (`squeeze_mean`) without materialising the C×H'×W' resized map:
///   each resized channel value is computed as PyTorch computes it and added in PyTorch's CPU summation order
///   (ATen's `cascade_sum`, see ``_TorchChannelSum``), so the mean equals PyTorch's even in the last bit.
/// - The spatial sums that rank channels (`select_max`, top-k), computed in `Double` from the bilinear weights
///   (the sum of a resized plane is a weighted sum of the source plane), so no resized plane is needed either.
enum _FeatmapReduction {
    /// `torch.mean(F.interpolate(x[None], (outHeight, outWidth), mode="bilinear", align_corners=False)[0], dim=0)`
    /// for `x` = `channels` row-major `height`×`width` planes; with the same input and output size there is no
    /// interpolation (MMEngine skips it, and PyTorch's identity resize is exact anyway).
    static func channelMean<T: _TorchFloat>(
        _ planes: [T], channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int
    ) -> [T] {
        let resize = _TorchBilinear<T>(
            channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
        let outPlane = outHeight * outWidth
        let divisor = T(channels)
        var mean = [T](repeating: 0, count: outPlane)
        planes.withUnsafeBufferPointer { input in
            mean.withUnsafeMutableBufferPointer { output in
                let (source, target) = (_SharedPointer(input), _SharedPointer(output))
                let groups = resize.rowGroups
                // Row groups are independent: split them over the cores in contiguous runs.
                let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, groups.count,
                    channels * outPlane / (1 << 18)))
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let range = (groups.count * worker / workers)..<(groups.count * (worker + 1) / workers)
                    sumChannels(source.value, resize: resize, groups: groups[range], divisor: divisor, into: target.value)
                }
                // PyTorch sums the last (H'·W' mod block) elements in another order (`row_sum`).
                let block = _TorchChannelSum.blockElements(T.self)
                var column = [T](repeating: 0, count: channels)
                for index in (outPlane / block * block)..<outPlane {
                    column.withUnsafeMutableBufferPointer { resize.values(input, at: index, into: $0) }
                    output[index] = _TorchChannelSum.rowSum(column) / divisor
                }
            }
        }
        return mean
    }

    /// The channel mean at the output size, for a heatmap: a plane whose min-max normalised, truncated
    /// intensities (``NDArray/minMaxNormalizedToUInt8()``) equal those of PyTorch's ``channelMean(_:channels:height:width:outHeight:outWidth:)``
    /// to the last one, at a fraction of the cost when the map is resized to a large image.
    ///
    /// The exact mean of a 256-channel map over an 800×1333 image takes 273 M resized values. But truncation
    /// only depends on which side of an integer each normalised value falls, so: the mean is computed cheaply
    /// (channels averaged first, then resized, in `Double`); a rigorous bound on its distance to PyTorch's float
    /// result (the rounding of the resize, the cascade sum and the division) marks the pixels that could fall on
    /// either side of an integer, and the candidates for the minimum and maximum; only those are computed
    /// exactly. When they are many (a near-constant map), the exact mean is computed everywhere.
    static func channelMeanForHeatmap<T: _TorchFloat>(
        _ planes: [T], channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int
    ) -> [T] {
        let resize = _TorchBilinear<T>(
            channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
        if resize.kernel == .generic, let mean = boundedMean(planes, resize: resize) { return mean }
        return channelMean(planes, channels: channels, height: height, width: width, outHeight: outHeight, outWidth: outWidth)
    }

    /// See ``channelMeanForHeatmap(_:channels:height:width:outHeight:outWidth:)``; `nil` when too many pixels
    /// would need the exact computation.
    ///
    /// The approximation is recomputed row by row in each pass (from the horizontally interpolated rows of the
    /// channel mean and magnitude planes) rather than stored: three passes over two cheap rows cost less than
    /// writing and reading back two `Double` planes of the output's size.
    static func boundedMean<T: _TorchFloat>(_ planes: [T], resize: _TorchBilinear<T>) -> [T]? {
        let (outHeight, outWidth) = (resize.outHeight, resize.outWidth)
        let outPlane = outHeight * outWidth
        guard outPlane > 0 else { return nil }
        let (means, magnitudes) = channelMeansAndMagnitudes(
            planes, channels: resize.channels, plane: resize.height * resize.width)
        let approximation = means.withUnsafeBufferPointer { means in
            magnitudes.withUnsafeBufferPointer { magnitudes in
                _ApproximateBilinearRows(resize: resize, values: means, bounds: magnitudes)
            }
        }
        // Error bound per pixel: every resized value is within 4 roundings of Σ weights·|x|, and in the cascade
        // sum a term meets at most 16 roundings per level (C/4096 at the top level) and 3 to combine levels; so
        // |PyTorch's sum − exact sum| ≤ (56 + C/4096)·u·Σc Σ weights·|xc| (the resized magnitude sums); the
        // division adds u·|mean|. Doubled for the Double approximation and safety.
        let count = Double(resize.channels)
        let unit = Double(T.ulpOfOne) / 2
        let factor = 2 * (56 + count / 4096) * unit / count
        // Runs of output rows on all cores.
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, outHeight, outPlane / (1 << 16)))
        let spans = (0..<workers).map { (outHeight * $0 / workers)..<(outHeight * ($0 + 1) / workers) }

        // The approximation's range and largest error bound, and each row's range.
        var rowRanges = [(minimum: Double, maximum: Double)](repeating: (0, 0), count: outHeight)
        let ranges = rowRanges.withUnsafeMutableBufferPointer { rowRanges in
            let target = _SharedPointer(rowRanges)
            return onAllCores(workers) { worker in
                var (minimum, maximum, largestError, finite) = (Double.infinity, -Double.infinity, -Double.infinity, true)
                for row in spans[worker] {
                    var (rowMinimum, rowMaximum) = (Double.infinity, -Double.infinity)
                    finite = approximation.foldRange(
                        row: row, factor: factor, twoUnit: 2 * unit, minimum: &rowMinimum, maximum: &rowMaximum,
                        largestError: &largestError) && finite
                    target.value[row] = (rowMinimum, rowMaximum)
                    (minimum, maximum) = (Swift.min(minimum, rowMinimum), Swift.max(maximum, rowMaximum))
                }
                return (minimum, maximum, largestError, finite)
            }
        }
        // A NaN (a `Double` map near its limits overflowing) leaves the decision to the exact mean.
        guard ranges.allSatisfy({ $0.3 }) else { return nil }
        let approximateMinimum = ranges.map(\.0).min() ?? .infinity
        let approximateMaximum = ranges.map(\.1).max() ?? -.infinity
        let largestError = ranges.map(\.2).max() ?? -.infinity

        // The candidates for the exact minimum and maximum, in order, from the rows that reach the cuts.
        let limit = outPlane / 10
        let (lowCut, highCut) = (approximateMinimum + 2 * largestError, approximateMaximum - 2 * largestError)
        var extremeIndices = [Int]()
        withUnsafeTemporaryAllocation(of: Double.self, capacity: outWidth) { values in
            for row in 0..<outHeight where rowRanges[row].minimum <= lowCut || rowRanges[row].maximum >= highCut {
                approximation.values(row: row, into: values)
                for column in 0..<outWidth where values[column] <= lowCut || values[column] >= highCut {
                    guard extremeIndices.count <= limit else { return }
                    extremeIndices.append(row * outWidth + column)
                }
            }
        }
        guard extremeIndices.count <= limit else { return nil }
        let extremeValues = exactMeans(planes, resize: resize, at: extremeIndices)
        guard let minimum = extremeValues.min(), let maximum = extremeValues.max(), minimum.isFinite, maximum.isFinite,
            maximum > minimum
        else { return nil }
        let scale = 255 / (Double(maximum) - Double(minimum))
        // Besides the error bound: rounding the approximation to T, and the float evaluation of the normaliser
        // `fma(v, scale, shift)` (the same monotone function for both values) move a level by a few ulps.
        let evaluation = 16 * unit * (abs(Double(minimum)) + abs(Double(maximum))) * scale + 1e-4

        // The clamped approximation with the exact extremes, and the pixels whose level is uncertain, in order.
        var mean = [T](unsafeUninitializedCapacity: outPlane) { $1 = outPlane }
        let uncertainRuns = mean.withUnsafeMutableBufferPointer { mean in
            let target = _SharedPointer(mean)
            return onAllCores(workers) { worker in
                let mean = target.value
                let span = spans[worker]
                var nextExtreme = extremeIndices.partitioningIndex { $0 >= span.lowerBound * outWidth }
                var uncertain = [Int]()
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: outWidth) { flags in
                    for row in span {
                        let base = row * outWidth
                        approximation.meanLevels(
                            row: row, origin: Double(minimum), scale: scale, twoScale: 2 * scale, factor: factor,
                            fourUnit: 4 * unit, evaluation: evaluation, low: minimum, high: maximum,
                            mean: UnsafeMutableBufferPointer(rebasing: mean[base..<(base + outWidth)]), uncertain: flags)
                        while nextExtreme < extremeIndices.count, extremeIndices[nextExtreme] < base + outWidth {
                            let index = extremeIndices[nextExtreme]
                            mean[index] = extremeValues[nextExtreme]
                            flags[index - base] = 0
                            nextExtreme += 1
                        }
                        for column in 0..<outWidth where flags[column] != 0 { uncertain.append(base + column) }
                    }
                }
                return uncertain
            }
        }
        let uncertain = uncertainRuns.flatMap { $0 }
        guard uncertain.count <= limit else { return nil }
        for (index, value) in zip(uncertain, exactMeans(planes, resize: resize, at: uncertain)) { mean[index] = value }
        return mean
    }

    /// Per source pixel, the mean of the channels and the sum of their magnitudes, in `Double`, on all cores.
    private static func channelMeansAndMagnitudes<T: _TorchFloat>(
        _ planes: [T], channels: Int, plane: Int
    ) -> (means: [Double], magnitudes: [Double]) {
        var means = [Double](repeating: 0, count: plane)
        var magnitudes = [Double](repeating: 0, count: plane)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, channels * plane / (1 << 18)))
        planes.withUnsafeBufferPointer { input in
            means.withUnsafeMutableBufferPointer { means in
                magnitudes.withUnsafeMutableBufferPointer { magnitudes in
                    let shared = _SharedPointer((input, means, magnitudes))
                    _ = onAllCores(workers) { worker in
                        let (input, means, magnitudes) = shared.value
                        let span = (plane * worker / workers)..<(plane * (worker + 1) / workers)
                        for channel in 0..<channels {
                            let base = channel * plane
                            for index in span {
                                let value = Double(input[base + index])
                                means[index] += value
                                magnitudes[index] += abs(value)
                            }
                        }
                        for index in span { means[index] /= Double(channels) }
                    }
                }
            }
        }
        return (means, magnitudes)
    }

    /// `body(worker)` for `workers` workers on all cores; the results in worker order.
    static func onAllCores<Result>(_ workers: Int, _ body: (Int) -> Result) -> [Result] {
        var results = [Result?](repeating: nil, count: workers)
        results.withUnsafeMutableBufferPointer { results in
            let target = _SharedPointer(results)
            withoutActuallyEscaping(body) { body in
                let shared = _SharedPointer(body)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    target.value[worker] = shared.value(worker)
                }
            }
        }
        return results.compactMap { $0 }
    }

    /// PyTorch's channel mean of the resized map at the flat output positions `indices`, on all cores.
    private static func exactMeans<T: _TorchFloat>(_ planes: [T], resize: _TorchBilinear<T>, at indices: [Int]) -> [T] {
        let channels = resize.channels
        let tailStart = resize.outHeight * resize.outWidth / _TorchChannelSum.blockElements(T.self)
            * _TorchChannelSum.blockElements(T.self)
        var values = [T](repeating: 0, count: indices.count)
        planes.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { output in
                let (source, target) = (_SharedPointer(input), _SharedPointer(output))
                let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, indices.count * channels / 4096))
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    var column = [T](repeating: 0, count: channels)
                    for position in (indices.count * worker / workers)..<(indices.count * (worker + 1) / workers) {
                        let index = indices[position]
                        column.withUnsafeMutableBufferPointer { resize.values(source.value, at: index, into: $0) }
                        let sum = index >= tailStart
                            ? _TorchChannelSum.rowSum(column) : _TorchChannelSum.cascade(count: channels) { column[$0] }
                        target.value[position] = sum / T(channels)
                    }
                }
            }
        }
        return values
    }

    /// For each run of output rows in `groups`: resizes every channel's rows, sums them over the channels in
    /// PyTorch's order, divides by `divisor` and writes the rows of `output` (an H'×W' plane).
    private static func sumChannels<T: _TorchFloat>(
        _ planes: UnsafeBufferPointer<T>, resize: _TorchBilinear<T>, groups: ArraySlice<Range<Int>>, divisor: T,
        into output: UnsafeMutableBufferPointer<T>
    ) {
        var scratch = _TorchBilinearScratch<T>(width: resize.outWidth)
        var block = [T]()
        for group in groups {
            let elements = group.count * resize.outWidth
            if block.count < elements { block = [T](repeating: 0, count: elements) }
            var accumulator = _CascadeAccumulator<T>(elements: elements, addends: resize.channels)
            block.withUnsafeMutableBufferPointer { block in
                let rows = UnsafeMutableBufferPointer(rebasing: block[0..<elements])
                for channel in 0..<resize.channels {
                    resize.fill(planes, channel: channel, rows: group, into: rows, scratch: &scratch)
                    accumulator.add(UnsafeBufferPointer(rows))
                }
            }
            let start = group.lowerBound * resize.outWidth
            accumulator.total(
                into: UnsafeMutableBufferPointer(rebasing: output[start..<(start + elements)]), dividedBy: divisor)
        }
    }

    /// The spatial sum of every channel after resizing to `outHeight`×`outWidth`, in `Double`: what
    /// `torch.sum(F.interpolate(x, size), dim=(1, 2))` computes in `float32`, without rounding error.
    static func resizedChannelSums<T: _TorchFloat>(
        _ planes: [T], channels: Int, height: Int, width: Int, outHeight: Int, outWidth: Int
    ) -> [Double] {
        let rows = _TorchLinearTaps<T>(input: height, output: outHeight, fusedSourceIndex: true).totalWeights()
        let columns = _TorchLinearTaps<T>(input: width, output: outWidth, fusedSourceIndex: true).totalWeights()
        let plane = height * width
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, channels, channels * plane / (1 << 18)))
        return planes.withUnsafeBufferPointer { input in
            let source = _SharedPointer(input)
            return onAllCores(workers) { worker in
                ((channels * worker / workers)..<(channels * (worker + 1) / workers)).map { channel in
                    var total = 0.0
                    for row in 0..<height {
                        let base = channel * plane + row * width
                        var rowTotal = 0.0
                        for column in 0..<width { rowTotal += Double(source.value[base + column]) * columns[column] }
                        total += rowTotal * rows[row]
                    }
                    return total
                }
            }.flatMap { $0 }
        }
    }

    /// Channel indices by spatial sum, largest first; equal sums keep the lower index first (PyTorch's `topk`
    /// leaves the order of ties unspecified).
    static func ranked(_ sums: [Double]) -> [Int] {
        sums.indices.sorted { sums[$0] > sums[$1] || (sums[$0] == sums[$1] && $0 < $1) }
    }
}

/// PyTorch's CPU order for summing C contiguous planes element-wise (`torch.sum(x, dim=0)`, ATen
/// `SumKernel.cpp`). Float sums depend on the order, and a last-bit difference in a feature-map mean can move a
/// pixel across a truncation boundary of the normalised map (one JET step, up to 4 levels per channel), so the
/// order is reproduced:
///
/// - Elements in whole blocks of four AVX2 vectors (32 `Float`s, 16 `Double`s) go through `multi_row_sum`: a
///   "cascade" of 4 accumulators, adding 16 planes into level 0, then carrying level j−1 into level j while the
///   count's j-th 4-bit digit is 0 (``_CascadeAccumulator``).
/// - The remaining elements go through `row_sum`: four interleaved cascades over channels 4i+k, the leftover
///   channels added to the first, then the four partial sums added in order (``rowSum(_:)``).
///
/// Verified against torch 2.15 (float32 and float64) for C from 3 to 300 and plane sizes with and without a tail.
enum _TorchChannelSum {
    /// Elements per `multi_row_sum` block: 4 vectors of 32 bytes.
    static func blockElements<T>(_: T.Type) -> Int { 4 * (32 / MemoryLayout<T>.size) }

    /// `max(4, CeilLog2(count) / 4)`: the bits per cascade level.
    static func levelPower(count: Int) -> Int {
        let ceilLog2 = count <= 2 ? 1 : Int.bitWidth - (count - 1).leadingZeroBitCount
        return max(4, ceilLog2 / 4)
    }

    /// One element's channel values summed in `row_sum`'s order.
    static func rowSum<T: _TorchFloat>(_ values: [T]) -> T {
        let interleaved = values.count / 4
        var partials = (0..<4).map { lane in
            cascade(count: interleaved) { values[4 * $0 + lane] }
        }
        for index in (interleaved * 4)..<values.count { partials[0] += values[index] }
        for lane in 1..<4 { partials[0] += partials[lane] }
        return partials[0]
    }

    /// `count` values summed by the cascade of one element (`multi_row_sum` with one row); the same steps as
    /// ``_CascadeAccumulator`` with scalars.
    static func cascade<T: _TorchFloat>(count: Int, _ value: (Int) -> T) -> T {
        let power = levelPower(count: count)
        let mask = (1 << power) - 1
        var (level0, level1, level2, level3): (T, T, T, T) = (0, 0, 0, 0)
        for index in 0..<count {
            level0 += value(index)
            let added = index + 1
            guard added & mask == 0 else { continue }
            level1 += level0
            level0 = 0
            guard added & (mask << power) == 0 else { continue }
            level2 += level1
            level1 = 0
            guard added & (mask << (2 * power)) == 0 else { continue }
            level3 += level2
            level2 = 0
        }
        var total = level0
        total += level1
        total += level2
        total += level3
        return total
    }
}

/// ATen's `multi_row_sum` for `elements` sums at once, fed one addend (a plane or part of one) at a time.
struct _CascadeAccumulator<T: _TorchFloat> {
    private let elements: Int
    private let levelPower: Int
    private var added = 0
    /// Four levels of `elements` partial sums, level j at `j·elements`.
    private var levels: [T]

    init(elements: Int, addends: Int) {
        self.elements = elements
        self.levelPower = _TorchChannelSum.levelPower(count: addends)
        self.levels = [T](repeating: 0, count: 4 * elements)
    }

    /// Adds one addend: `values[i]` to sum `i`.
    mutating func add(_ values: UnsafeBufferPointer<T>) {
        let elements = self.elements
        levels.withUnsafeMutableBufferPointer { levels in
            for index in 0..<elements { levels[index] += values[index] }
        }
        added += 1
        let step = 1 << levelPower
        guard added % step == 0 else { return }
        let mask = step - 1
        levels.withUnsafeMutableBufferPointer { levels in
            for level in 1..<4 {
                let (lower, upper) = ((level - 1) * elements, level * elements)
                for index in 0..<elements {
                    levels[upper + index] += levels[lower + index]
                    levels[lower + index] = 0
                }
                if added & (mask << (level * levelPower)) != 0 { break }
            }
        }
    }

    /// The sums: level 0 plus levels 1, 2, 3 in that order.
    func total(into output: UnsafeMutableBufferPointer<T>, dividedBy divisor: T? = nil) {
        let elements = self.elements
        levels.withUnsafeBufferPointer { levels in
            for index in 0..<elements {
                var sum = levels[index]
                sum += levels[elements + index]
                sum += levels[2 * elements + index]
                sum += levels[3 * elements + index]
                output[index] = divisor.map { sum / $0 } ?? sum
            }
        }
    }
}

extension Array where Element == Int {
    /// The first position whose element satisfies `belongs`, for a sorted array partitioned by it (binary search).
    fileprivate func partitioningIndex(where belongs: (Int) -> Bool) -> Int {
        var (low, high) = (0, count)
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// A buffer shared by the workers of `concurrentPerform`: they read the input and write disjoint output rows.
struct _SharedPointer<Pointer>: @unchecked Sendable {
    let value: Pointer
    init(_ value: Pointer) { self.value = value }
}
