import Dispatch
import Foundation
import VisCore

/// Runs `body` over `0..<count` in fixed blocks of `blockSize` spread over `threads` workers (block b goes to worker
/// b mod threads). Callers write per-index or per-block results only, so the output never depends on the thread
/// count.
func _parallelBlocks(count: Int, blockSize: Int, threads: Int, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let blocks = (count + blockSize - 1) / blockSize
    let workers = max(1, min(threads, blocks))
    if workers == 1 {
        for b in 0..<blocks { body(b * blockSize..<min(count, (b + 1) * blockSize)) }
        return
    }
    // The workers touch disjoint outputs (the callers' contract), so handing `body` to them is safe.
    withoutActuallyEscaping(body) { body in
        let shared = _SharedBody(body: body)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var b = worker
            while b < blocks {
                shared.body(b * blockSize..<min(count, (b + 1) * blockSize))
                b += workers
            }
        }
    }
}

/// The loop body shared by the workers of `_parallelBlocks`.
private struct _SharedBody: @unchecked Sendable {
    let body: (Range<Int>) -> Void
}

/// The worker count for a `threads` setting: every active core when `nil`.
func _workerCount(_ threads: Int?) -> Int {
    max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
}

/// The squared Euclidean distance between rows i and j of a row-major matrix of `width` columns.
@inline(__always)
func _squaredDistance(_ m: UnsafeBufferPointer<Double>, _ i: Int, _ j: Int, width: Int) -> Double {
    var s = 0.0
    for c in 0..<width {
        let diff = m[i * width + c] - m[j * width + c]
        s += diff * diff
    }
    return s
}

extension SplitMix64 {
    /// A uniform draw in (0, 1] (never 0, so its logarithm is finite).
    mutating func nextPositiveUnit() -> Double { (Double(next() >> 11) + 1) * 0x1p-53 }

    /// A standard normal draw (Box–Muller; the second value is discarded so a draw is always two outputs).
    mutating func nextNormal() -> Double {
        let u = nextPositiveUnit()
        let v = nextPositiveUnit()
        return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
    }
}
