import Foundation
import VisCore
import VisTestSupport

@testable import VisEmbedding

/// Small helpers of the t-SNE tests.
enum TSNEFixtures {
    /// `clusters` Gaussian blobs in `dimensions` dimensions, `perCluster` points each, labels 0..<clusters.
    static func blobs(clusters: Int, perCluster: Int, dimensions: Int, spread: Double = 1, seed: UInt64 = 7)
        -> (x: NDArray, labels: [Int])
    {
        var rng = SplitMix64(seed: seed)
        var centers = [Double]()
        for _ in 0..<(clusters * dimensions) { centers.append(4 * rng.nextNormal()) }
        var values = [Double]()
        var labels = [Int]()
        for c in 0..<clusters {
            for _ in 0..<perCluster {
                for f in 0..<dimensions { values.append(centers[c * dimensions + f] + spread * rng.nextNormal()) }
                labels.append(c)
            }
        }
        let x = try! NDArray(values, shape: [clusters * perCluster, dimensions])  // test data of known shape
        return (x, labels)
    }

    /// Leave-one-out k-NN classification accuracy of an embedding (n × dims float32), majority vote, ties to the
    /// smallest label.
    static func knnAccuracy(_ embedding: NDArray, labels: [Int], k: Int = 10) -> Double {
        let n = embedding.shape[0]
        let dims = embedding.shape[1]
        let y = embedding.toDouble()
        var correct = 0
        for i in 0..<n {
            var distances: [(Double, Int)] = []
            for j in 0..<n where j != i {
                var s = 0.0
                for c in 0..<dims { s += (y[i * dims + c] - y[j * dims + c]) * (y[i * dims + c] - y[j * dims + c]) }
                distances.append((s, j))
            }
            distances.sort { $0.0 < $1.0 }
            var votes: [Int: Int] = [:]
            for (_, j) in distances.prefix(k) { votes[labels[j], default: 0] += 1 }
            let best = votes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
            if best?.key == labels[i] { correct += 1 }
        }
        return Double(correct) / Double(n)
    }
}
