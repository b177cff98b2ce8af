/// The version of swift-visualization.
public enum VisualizationVersion {
    /// Semantic version string, printed by `vis --version`.
    public static let string = "0.1.0"
}
