import ArgumentParser
import Foundation
import Visualization

/// `vis featmap FEAT.npy --out OUT.png`: draws a feature map saved as `.npy` the way MMEngine's `draw_featmap`
/// does.
struct FeatmapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "featmap",
        abstract: "Draw a feature map (.npy) as a heatmap, alone or over an image, like MMEngine's draw_featmap.",
        discussion: """
            FEAT.npy holds a (C, H, W) array, or (1, C, H, W) with the batch dimension dropped, of any numeric \
            dtype (e.g. `np.save("feat.npy", tensor.cpu().numpy())`). The pixels match MMEngine's: the map is \
            resized to --resize or to the image's size, reduced (--reduction), min-max normalised, coloured \
            (OpenCV JET by default) and blended over the image with weight --alpha. With --reduction none and \
            --topk > 0 the output is a grid of the top-k channels by activation sum (--arrangement cells); with \
            --topk <= 0 (MMEngine's topk=-1: `--topk -1`) the map must have 1 or 3 channels. The output is \
            written atomically: a failure leaves no file.
            """)

    @Argument(help: "The feature map: a .npy file of shape (C, H, W) or (1, C, H, W).")
    var featmap: String

    @Option(help: "An image (PNG or JPEG, RGB or gray) to draw the heatmap over.")
    var image: String?

    @Option(help: "squeeze_mean (default), select_max or none.")
    var reduction: String = ChannelReduction.squeezeMean.rawValue

    @Option(
        parsing: .unconditional,
        help: "With --reduction none: channels in the grid (> 0), or <= 0 (e.g. -1) for a 1- or 3-channel map.")
    var topk: Int = 20

    @Option(parsing: .unconditional, help: "With --reduction none and --topk > 0: the grid's ROWS,COLS.")
    var arrangement: String = "4,5"

    @Option(parsing: .unconditional, help: "Resize each heatmap to H,W (the image too).")
    var resize: String?

    @Option(parsing: .unconditional, help: "The heatmap's weight over the image.")
    var alpha: Double = 0.5

    @Option(help: "jet (OpenCV's, the default), viridis, magma or gray.")
    var colormap: String = "jet"

    @Option(help: "The output image (.png, .jpg or .jpeg).")
    var out: String

    func validate() throws {
        _ = try parsedReduction()
        _ = try FeatmapCommand.pair(arrangement, option: "--arrangement", names: "ROWS,COLS")
        if let resize { _ = try FeatmapCommand.pair(resize, option: "--resize", names: "H,W") }
        guard alpha.isFinite, abs(alpha) <= 1e30 else {
            throw ValidationError("--alpha must be a finite number of magnitude at most 1e30, got \(alpha)")
        }
        _ = try parsedColormap()
        guard (try? ImageFormat(pathExtensionOf: out)) != nil else {
            throw ValidationError("--out `\(out)` must end in .png, .jpg or .jpeg")
        }
    }

    func run() throws {
        let array = try NDArray(npyFile: featmap)
        let map: NDArray
        switch array.shape.count {
        case 3: map = array
        case 4 where array.shape[0] == 1: map = try array.reshaped(Array(array.shape.dropFirst()))
        default:
            throw CommandFailure(
                "\(featmap): expected a feature map of shape (C, H, W) or (1, C, H, W), got shape "
                    + "(\(array.shape.map(String.init).joined(separator: ", ")))")
        }
        let overlaid = try image.map { path in
            try CommandFailure.naming("--image") { try Image(contentsOfFile: path) }
        }
        let arrangement = try FeatmapCommand.pair(arrangement, option: "--arrangement", names: "ROWS,COLS")
        let resizeShape = try resize.map { try FeatmapCommand.pair($0, option: "--resize", names: "H,W") }
        let drawn: Image
        do {
            drawn = try Visualizer.drawFeatmap(
                map, overlaidImage: overlaid, channelReduction: try parsedReduction(), topk: topk,
                arrangement: (arrangement.0, arrangement.1), resizeShape: resizeShape.map { ($0.0, $0.1) },
                alpha: alpha, colormap: try parsedColormap(),
                warningHandler: { FileHandle.standardError.write(Data("warning: \($0)\n".utf8)) })
        } catch let error as FeatmapError {
            throw CommandFailure(message(for: error))
        }
        try CommandFailure.naming("--out") { try drawn.write(to: out) }
        CommandOutput.report("featmap", wrote: [out])
    }

    /// A library error in the command line's terms: the flag at fault (`--image`, `--resize`), or the feature-map
    /// file, instead of `drawFeatmap`'s argument names.
    func message(for error: FeatmapError) -> String {
        let subjects = [
            "overlaidImage": "--image \(image ?? "")", "resizeShape": "--resize \(resize ?? "")",
            "arrangement": "--arrangement \(arrangement)", "alpha": "--alpha \(alpha)", "topk": "--topk \(topk)",
        ]
        switch error {
        case .unsupportedOverlaidImage(let layout):
            return "\(subjects["overlaidImage"] ?? ""): expected an RGB or gray image, got \(layout)"
        case .unsupportedReduction(let name):
            return "--reduction: expected squeeze_mean, select_max or none, got `\(name)`"
        case let .arrangementTooSmall(rows, columns, topk):
            return "--arrangement \(rows),\(columns): \(rows * columns) cells are fewer than --topk \(topk); "
                + "give a grid that holds --topk cells"
        case .channelCountNotOneOrThree(let channels):
            return "\(featmap): with --reduction none and --topk <= 0 the map must have 1 or 3 channels, got "
                + "\(channels); use --reduction squeeze_mean or select_max, or --topk > 0"
        case let .nonFiniteValues(argument, index):
            let place = index.map { " (first at flat index \($0))" } ?? " (after averaging or resizing)"
            return "\(subjects[argument] ?? featmap): expected finite values, got NaN or infinity\(place)"
        case let .invalidArgument(argument, expected, actual):
            return "\(subjects[argument] ?? featmap): expected \(expected), got \(actual)"
        case .invalidRank(let shape):
            return "\(featmap): expected 3 dimensions (C, H, W), got shape \(shape)"
        }
    }

    private func parsedReduction() throws -> ChannelReduction {
        do {
            return try ChannelReduction(parsing: reduction)
        } catch {
            throw ValidationError("--reduction must be squeeze_mean, select_max or none, got `\(reduction)`")
        }
    }

    private func parsedColormap() throws -> Colormap {
        do {
            return try Colormap(named: colormap)
        } catch {
            let names = Colormap.builtIn.map(\.name).joined(separator: ", ")
            throw ValidationError("--colormap must be one of \(names), got `\(colormap)`")
        }
    }

    /// Two comma-separated integers, e.g. `4,5`.
    static func pair(_ text: String, option: String, names: String) throws -> (Int, Int) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let first = parts[0], let second = parts[1], first > 0, second > 0 else {
            throw ValidationError("\(option) must be two positive integers \(names), e.g. \(option) 4,5; got `\(text)`")
        }
        return (first, second)
    }
}
