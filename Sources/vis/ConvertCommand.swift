import ArgumentParser
import Visualization

/// `vis convert IN OUT`: re-encodes an image as PNG or JPEG.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert an image between PNG and JPEG.",
        discussion: """
            The input format is read from the file's signature; the output format comes from OUT's extension \
            (.png, .jpg or .jpeg). JPEG has no alpha channel, so an RGBA input written as JPEG is composited \
            over white first. The output is written to a temporary file beside OUT and renamed into place, so \
            a failed conversion never leaves a partial file.
            """)

    @Argument(help: "The input image (PNG or JPEG).")
    var input: String

    @Argument(help: "The output image; its extension (.png, .jpg, .jpeg) selects the format.")
    var output: String

    @Option(parsing: .unconditional, help: "JPEG quality, 1-100 (JPEG output only; default 95).")
    var quality: Int?

    @Option(
        name: .customLong("compression-level"), parsing: .unconditional,
        help: "PNG compression level, 0-9, with zlib (PNG output only; default: the fast encoder).")
    var compressionLevel: Int?

    /// The background an RGBA image is composited over when written as JPEG.
    static let jpegBackground = Color(red: 255, green: 255, blue: 255)

    func validate() throws {
        let format: ImageFormat
        do {
            format = try ImageFormat(pathExtensionOf: output)
        } catch {
            throw ValidationError("OUT `\(output)` must end in .png, .jpg or .jpeg")
        }
        if let quality {
            guard format == .jpeg else { throw ValidationError("--quality applies to JPEG output only; `\(output)` is PNG") }
            guard (1...100).contains(quality) else { throw ValidationError("--quality must be in 1...100, got \(quality)") }
        }
        if let compressionLevel {
            guard format == .png else {
                throw ValidationError("--compression-level applies to PNG output only; `\(output)` is JPEG")
            }
            guard (0...9).contains(compressionLevel) else {
                throw ValidationError("--compression-level must be in 0...9, got \(compressionLevel)")
            }
        }
    }

    func run() throws {
        let format = try ImageFormat(pathExtensionOf: output)
        let image = try Image(contentsOfFile: input)
        switch format {
        case .png:
            try image.writePNG(to: output, compression: compressionLevel.map { .level($0) } ?? .fast)
        case .jpeg:
            try image.flattened(over: Self.jpegBackground).writeJPEG(to: output, quality: quality ?? 95)
        }
        CommandOutput.report("convert", wrote: [output])
    }
}
