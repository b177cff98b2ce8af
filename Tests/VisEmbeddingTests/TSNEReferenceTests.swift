import Foundation
import Testing
import VisCore
import VisTestSupport

@testable import VisEmbedding

/// Checks against scikit-learn in the interop venv (Scripts/requirements-ci.txt pins it).
@Suite("t-SNE against scikit-learn", .serialized)
struct TSNEReferenceTests {
    @Test("Perplexity calibration equals scikit-learn's _binary_search_perplexity")
    func calibrationMatchesScikitLearn() throws {
        let directory = try TestSupport.makeTemporaryDirectory("tsne-calibration")
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = 120
        let k = 45
        var rng = SplitMix64(seed: 21)
        var distances = [Float](repeating: 0, count: rows * k)
        for i in 0..<rows {
            // Scales from tight to spread-out neighbourhoods, sorted as a neighbour search returns them.
            let scale = Foundation.pow(10, Double(i % 7) - 3)
            var row = (0..<k).map { _ in Float(scale * abs(rng.nextNormal()) * Double(1 + i % 5)) }
            if i % 11 == 0 { row[0] = 0; row[1] = 0 }  // duplicates of the point
            if i % 13 == 0 { for r in 0..<k { row[r] = 1 } }  // a flat row
            row.sort()
            for r in 0..<k { distances[i * k + r] = row[r] }
        }
        let input = directory.appendingPathComponent("distances.npy").path
        try NDArray(distances, shape: [rows, k]).writeNPY(to: input)
        for perplexity in [5.0, 30.0] {
            let output = directory.appendingPathComponent("p\(Int(perplexity)).npy").path
            try TestSupport.runPython(
                """
                import sys, numpy as np
                from sklearn.manifold._utils import _binary_search_perplexity
                d = np.load(sys.argv[1]).astype(np.float32)
                np.save(sys.argv[2], np.asarray(_binary_search_perplexity(d, float(sys.argv[3]), 0), np.float64))
                """, arguments: [input, output, "\(perplexity)"])
            let reference = try NDArray(npyFile: output).toDouble()
            let ours = _Affinities.conditional(
                squaredDistances: distances.map(Double.init), rows: rows, k: k, perplexity: perplexity, threads: 2)
            let worst = zip(ours, reference).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= 1e-5, "perplexity \(perplexity): largest difference \(worst)")
        }
    }

    /// Saves a data set made by `generator` (a Python snippet defining X and y), fits ours and scikit-learn's
    /// TSNE (defaults, random_state=0) and returns the 10-NN leave-one-out accuracy and trustworthiness (k = 10)
    /// of both embeddings.
    private func compare(_ label: String, generator: String) throws -> [String: Double] {
        let directory = try TestSupport.makeTemporaryDirectory("tsne-\(label)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let dir = directory.path
        try TestSupport.runPython(
            """
            import sys, numpy as np
            \(generator)
            np.save(sys.argv[1] + "/x.npy", np.asarray(X, np.float32))
            np.save(sys.argv[1] + "/y.npy", np.asarray(y, np.int64))
            from sklearn.manifold import TSNE
            E = TSNE(n_components=2, random_state=0, n_jobs=-1).fit_transform(np.asarray(X, np.float32))
            np.save(sys.argv[1] + "/sklearn.npy", E.astype(np.float32))
            """, arguments: [dir])
        let x = try NDArray(npyFile: dir + "/x.npy")
        let embedding = try TSNE().fit(x)
        #expect(embedding.method == .barnesHut)
        try embedding.points.writeNPY(to: dir + "/ours.npy")
        let report = try TestSupport.runPython(
            """
            import sys, json
            \(TestSupport.embeddingQualityFunctions)
            d = sys.argv[1]
            X, y = np.load(d + "/x.npy"), np.load(d + "/y.npy")
            out = {}
            for name in ("ours", "sklearn"):
                E = np.load(d + "/" + name + ".npy").astype(np.float64)
                out[name + "_accuracy"] = accuracy(E)
                out[name + "_trust"] = trust(E)
            print(json.dumps(out))
            """, arguments: [dir])
        let figures = try JSONDecoder().decode([String: Double].self, from: Data(report.utf8))
        print("t-SNE \(label): \(figures.sorted { $0.key < $1.key }), our KL \(embedding.klDivergence)")
        return figures
    }

    private func expectAsGood(_ figures: [String: Double], _ label: String) {
        let ours = (figures["ours_accuracy"] ?? 0, figures["ours_trust"] ?? 0)
        let reference = (figures["sklearn_accuracy"] ?? 1, figures["sklearn_trust"] ?? 1)
        #expect(ours.0 >= reference.0 - 0.01, "\(label) 10-NN accuracy \(ours.0) vs scikit-learn \(reference.0)")
        #expect(ours.1 >= reference.1 - 0.01, "\(label) trustworthiness \(ours.1) vs scikit-learn \(reference.1)")
    }

    @Test("Digits: 10-NN accuracy and trustworthiness as good as scikit-learn's")
    func digitsQuality() throws {
        let figures = try compare(
            "digits", generator: "from sklearn.datasets import load_digits\nX, y = load_digits(return_X_y=True)")
        expectAsGood(figures, "digits")
    }

    @Test("Clustered 4000 × 50: 10-NN accuracy and trustworthiness as good as scikit-learn's")
    func blobsQuality() throws {
        let figures = try compare(
            "blobs",
            generator: """
                from sklearn.datasets import make_blobs
                X, y = make_blobs(n_samples=4000, n_features=50, centers=10, cluster_std=4.0, random_state=0)
                """)
        expectAsGood(figures, "blobs")
    }
}
