import VisCore

extension TestSupport {
    /// The mean absolute difference per sample (0...255) of two images of the same size, compared as RGB; 255 when
    /// their sizes differ or they are empty.
    public static func meanDifference(_ a: Image, _ b: Image) -> Double {
        let x = a.converted(to: .rgb).pixels
        let y = b.converted(to: .rgb).pixels
        guard x.count == y.count, !x.isEmpty else { return 255 }
        var total = 0
        for index in x.indices { total += abs(Int(x[index]) - Int(y[index])) }
        return Double(total) / Double(x.count)
    }

    /// A Python snippet (for ``runPython(_:arguments:)``) scoring embeddings as the t-SNE quality tests do: given
    /// `X`, `y` (features and integer labels) and `E` (an N × 2 embedding), `accuracy(E)` is the leave-one-out 10-NN
    /// classification accuracy (majority vote, ties to the smallest label) and `trust(E)` scikit-learn's
    /// trustworthiness with k = 10.
    public static let embeddingQualityFunctions = """
        import numpy as np
        from sklearn.manifold import trustworthiness
        from sklearn.neighbors import NearestNeighbors
        def accuracy(E):
            idx = NearestNeighbors(n_neighbors=11).fit(E).kneighbors(E, return_distance=False)[:, 1:]
            votes = np.array([np.bincount(y[row], minlength=y.max() + 1).argmax() for row in idx])
            return float((votes == y).mean())
        def trust(E):
            return float(trustworthiness(X, E, n_neighbors=10))
        """
}
