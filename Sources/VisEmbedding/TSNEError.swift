import Foundation

/// Why ``TSNE`` refused its input or settings.
public enum TSNEError: LocalizedError, Equatable, Sendable {
    /// The input is not a 2-D array.
    case wrongRank(shape: [Int])
    /// The input is not float32 or float64.
    case unsupportedType(String)
    /// Fewer than two samples.
    case tooFewSamples(Int)
    /// No features per sample.
    case noFeatures
    /// A feature is NaN or infinite.
    case nonFiniteFeature(row: Int, column: Int)
    /// perplexity must be positive and below N.
    case perplexityOutOfRange(perplexity: Double, samples: Int)
    /// A setting out of its range.
    case invalidSetting(name: String, expected: String, got: String)
    /// Barnes-Hut was asked for more than 3 components.
    case barnesHutComponents(Int)
    /// FFT-interpolated repulsion was asked for more than 2 components.
    case fftComponents(Int)

    public var errorDescription: String? {
        switch self {
        case .wrongRank(let shape):
            return "t-SNE input must be a 2-D array of shape (samples, features); got shape \(shape)"
        case .unsupportedType(let type):
            return "t-SNE input must be float32 or float64; got \(type)"
        case .tooFewSamples(let n):
            return "t-SNE needs at least 2 samples; got \(n)"
        case .noFeatures:
            return "t-SNE input has 0 features per sample; expected at least 1 column"
        case .nonFiniteFeature(let row, let column):
            return "t-SNE input has a NaN or infinite feature at [\(row), \(column)]; all features must be finite"
        case .perplexityOutOfRange(let perplexity, let samples):
            return "perplexity must be > 0 and less than the number of samples (\(samples)); got \(perplexity)"
        case .invalidSetting(let name, let expected, let got):
            return "\(name) must be \(expected); got \(got)"
        case .barnesHutComponents(let c):
            return "the Barnes-Hut method supports 1 to 3 components; got \(c) (use the exact method)"
        case .fftComponents(let c):
            return "the FFT method supports 1 or 2 components; got \(c) (use Barnes-Hut or the exact method)"
        }
    }
}
