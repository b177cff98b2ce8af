/// How ``Visualizer/drawFeatmap(_:overlaidImage:channelReduction:topk:arrangement:resizeShape:alpha:colormap:warningHandler:)``
/// turns a C×H×W feature map into pictures (MMEngine's `channel_reduction`).
public enum ChannelReduction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The mean over the channels, one heatmap (MMEngine's `"squeeze_mean"`, the default).
    case squeezeMean = "squeeze_mean"
    /// The single channel with the largest spatial sum, one heatmap (`"select_max"`).
    case selectMax = "select_max"
    /// No reduction (MMEngine's `None`): with `topk > 0` a grid of the `topk` channels with the largest sums;
    /// with `topk <= 0` a 1- or 3-channel map drawn as one heatmap.
    case none = "none"

    /// Parses MMEngine's spelling: `"squeeze_mean"`, `"select_max"`, or `nil` / `"none"` for no reduction.
    ///
    /// - Throws: ``FeatmapError/unsupportedReduction(_:)`` for any other string, with MMEngine's message.
    public init(parsing name: String?) throws {
        guard let name else {
            self = .none
            return
        }
        guard let reduction = ChannelReduction(rawValue: name) else { throw FeatmapError.unsupportedReduction(name) }
        self = reduction
    }

    /// MMEngine's spelling (`"squeeze_mean"`, `"select_max"`, `"none"`).
    public var description: String { rawValue }
}
