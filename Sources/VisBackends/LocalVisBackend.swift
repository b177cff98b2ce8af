import Foundation
import Logging
import OrderedCollections
import VisCore

/// The embedded default backend: plain files in MMEngine's layout, readable by MMEngine's tools and any JSON
/// reader.
///
/// ```
/// <saveDir>/vis_image/<name>_<step>.png    images (PNG)
/// <saveDir>/scalars.json                   one JSON object per line: {"loss": 0.25, "step": 100}
/// <saveDir>/<filePath>                     the same lines, for addScalars(_:step:filePath:)
/// <saveDir>/config.yaml | config.json      the config, in the format it was loaded from
/// ```
///
/// What it keeps from MMEngine's `LocalVisBackend`: the layout and file names (configurable with `imgSaveDir`,
/// `configSaveFile`, `scalarSaveFile`), `", "`/`": "` separators, key order, ints written as ints, `"step"`
/// appended last unless the dictionary has its own `"step"` (which wins), the extra copy written before the main
/// line, and an extra file named like the scalar file being rejected.
///
/// What it adds:
/// - **Nothing half-written.** Each line is written with one `write(2)` on the writer thread, so after
///   ``flush()`` — or after the process is killed — every line on disk is complete. Images and configs are
///   written to a temporary file and renamed, so every `.png` on disk decodes.
/// - **Never blocks training.** Scalars are formatted on the caller's thread (microseconds); PNG encoding and all
///   writes happen on a ``BackgroundWriter`` thread with bounded memory.
/// - **Python-readable special values.** NaN and infinities are written as `NaN`, `Infinity`, `-Infinity`, which
///   Python's `json` reads back.
/// - **Names cannot escape the save directory.** Image names and extra scalar files that are absolute or contain
///   `..` throw ``VisBackendError/pathEscapesSaveDir(argument:path:)``; empty names, names ending in `/` and names
///   with a NUL byte throw ``VisBackendError/invalidArgument(argument:expected:actual:)``. Repeated `/` and `.`
///   components are dropped (`a//b` is `a/b`). A `/` in an image name makes subdirectories of the image folder,
///   which are created (MMEngine requires them to exist).
/// - **Configs as YAML or JSON.** MMEngine writes `config.py` (Python syntax); this backend writes the config in
///   its ``Config/sourceFormat`` to `config.yaml` or `config.json` unless `configSaveFile` names a `.json`,
///   `.yaml` or `.yml` file, whose extension then chooses the format. `.py` is rejected.
///
/// ``experiment`` is the backend itself. ``VisBackend/addGraph(_:)`` stores nothing (as in MMEngine).
public final class LocalVisBackend: VisBackend, @unchecked Sendable {
    /// The directory everything is written into.
    public let saveDirectory: String
    /// The image folder, relative to ``saveDirectory``.
    public let imgSaveDir: String
    /// The config file name, relative to ``saveDirectory``; `nil` means `config.<source format>`.
    public let configSaveFile: String?
    /// The scalar file name, relative to ``saveDirectory``.
    public let scalarSaveFile: String
    /// How the PNG files are compressed: `PNGCompression.fast` unless a zlib level was given.
    public let pngCompression: PNGCompression

    private let writer: BackgroundWriter
    private let logger: Logger
    /// The main scalar file once the backend is open, and the `addScalars` files by `filePath`.
    private struct Files {
        var scalar: AppendFile?
        var extra: [String: AppendFile] = [:]
    }

    private let files = LockedValue(Files())

    /// Creates a backend writing into `saveDir`. Nothing is created on disk until the first `add*` call.
    ///
    /// - Parameters:
    ///   - saveDir: The directory (created with its parents when first needed).
    ///   - imgSaveDir: The image folder inside `saveDir` (default `vis_image`).
    ///   - configSaveFile: The config file inside `saveDir`: `nil` (default) for `config.yaml`/`config.json` by
    ///     the config's source format, or a name ending in `.json`, `.yaml` or `.yml`.
    ///   - scalarSaveFile: The scalar file inside `saveDir`, ending in `.json` (default `scalars.json`).
    ///   - pngCompressionLevel: zlib's level for the images, 0...9 (libpng, as OpenCV's `imwrite` and so MMEngine
    ///     use at level 1); `nil` (the default) uses the fast encoder, which writes files of about level 1's
    ///     size several times faster and shares its bytes with other backends logging the same image.
    ///   - maximumPendingBytes: The writer's back-pressure bound (see ``BackgroundWriter``).
    ///   - logger: Receives write failures.
    ///   - errorHandler: Also receives write failures, on the writer thread.
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` for a file name with the wrong
    ///   extension, ``VisBackendError/pathEscapesSaveDir(argument:path:)`` for names that leave `saveDir`.
    public init(
        saveDir: String, imgSaveDir: String = "vis_image", configSaveFile: String? = nil,
        scalarSaveFile: String = "scalars.json", pngCompressionLevel: Int? = nil, maximumPendingBytes: Int = 64 << 20, logger: Logger? = nil,
        errorHandler: VisBackendErrorHandler? = nil
    ) throws {
        guard !saveDir.isEmpty, !saveDir.utf8.contains(0) else {
            throw VisBackendError.invalidArgument(
                argument: "saveDir", expected: "a directory path", actual: saveDir.debugDescription)
        }
        self.saveDirectory = saveDir
        self.imgSaveDir = try SaveDirPath.validated(imgSaveDir, argument: "imgSaveDir")
        if let configSaveFile {
            _ = try SaveDirPath.validated(configSaveFile, argument: "configSaveFile")
            guard Config.Format(path: configSaveFile) != nil else {
                throw VisBackendError.invalidArgument(
                    argument: "configSaveFile",
                    expected: "a file name ending in .json, .yaml or .yml (Python .py configs are not written)",
                    actual: configSaveFile)
            }
        }
        self.configSaveFile = configSaveFile
        self.scalarSaveFile = try SaveDirPath.validated(scalarSaveFile, argument: "scalarSaveFile")
        guard SaveDirPath.fileExtension(scalarSaveFile) == "json" else {
            throw VisBackendError.invalidArgument(
                argument: "scalarSaveFile", expected: "a file name ending in .json", actual: scalarSaveFile)
        }
        if let pngCompressionLevel {
            guard (0...9).contains(pngCompressionLevel) else {
                throw VisBackendError.invalidArgument(
                    argument: "pngCompressionLevel", expected: "0...9", actual: String(pngCompressionLevel))
            }
            self.pngCompression = .level(pngCompressionLevel)
        } else {
            self.pngCompression = .fast
        }
        let logger = logger ?? Logger(label: "VisBackends.LocalVisBackend")
        self.logger = logger
        self.writer = BackgroundWriter(
            label: "LocalVisBackend(\(saveDir))", maximumPendingBytes: maximumPendingBytes, logger: logger,
            errorHandler: errorHandler)
    }

    /// A backend dropped without ``close()`` still writes everything it was given.
    deinit {
        writer.close()
    }

    public var saveDir: String? { saveDirectory }

    /// The writer, for the package's benchmarks (which hold it busy to time the caller alone).
    package var _writer: BackgroundWriter { writer }

    /// The backend itself (MMEngine's `experiment` for the local backend). Accessing it creates the save
    /// directory.
    public var experiment: Any {
        get throws {
            _ = try open()
            return self
        }
    }

    /// The path of a file inside the save directory.
    public func path(_ relative: String) -> String {
        (saveDirectory as NSString).appendingPathComponent(relative)
    }

    /// The path an image of `name` at `step` is written to (`<saveDir>/vis_image/<name>_<step>.png`).
    public func imagePath(name: String, step: Int) -> String {
        path(imgSaveDir + "/" + name + "_" + String(step) + ".png")
    }

    /// Opens the backend on first use: creates the save directory. Returns the main scalar file.
    private func open() throws -> AppendFile {
        try files.withLock { files in
            if let scalar = files.scalar { return scalar }
            if writer.isClosed { throw VisBackendError.closed(backend: "LocalVisBackend(\(saveDirectory))") }
            try BackendFile.createDirectory(saveDirectory)
            logger.debug("LocalVisBackend opened \(saveDirectory)")
            let file = AppendFile(path: path(scalarSaveFile))
            files.scalar = file
            return file
        }
    }

    public func addConfig(_ config: Config) throws {
        let fileName = configSaveFile ?? "config.\(config.sourceFormat.fileExtension)"
        let format = Config.Format(path: fileName) ?? config.sourceFormat
        let bytes = Array(try config.dumped(as: format).utf8)
        _ = try open()
        let target = path(fileName)
        try writer.submit(cost: bytes.count) {
            try BackendFile.write(bytes, to: target)
        }
    }

    public func addImage(name: String, image: Image, step: Int) throws {
        let name = try SaveDirPath.validated(name, argument: "name")
        guard !image.isEmpty else {
            throw VisBackendError.invalidArgument(
                argument: "image", expected: "an image with at least one pixel (PNG cannot store 0 pixels)",
                actual: "\(image.width)×\(image.height)")
        }
        _ = try open()
        let target = imagePath(name: name, step: step)
        let compression = pngCompression
        // Encoding runs on the writer thread; the image's storage is shared (copy-on-write), not copied.
        try writer.submit(cost: image.pixels.count) {
            let data: [UInt8]
            do {
                data = try _SharedPNGEncodings.shared.png(for: image, compression: compression)
            } catch {
                throw VisBackendError.encodingFailed(name: name, reason: String(describing: error))
            }
            try BackendFile.write(data, to: target)
        }
    }

    public func addScalar(name: String, value: ScalarValue, step: Int) throws {
        let file = try open()
        var line: [UInt8] = []
        line.reserveCapacity(name.utf8.count + 40)
        JSONText.appendScalarLine(name: name, value: value, step: step, to: &line)
        try writer.append(line, to: file)
    }

    public func addScalars(_ scalars: ScalarDictionary, step: Int, filePath: String?) throws {
        let extra = try filePath.map(extraFile)
        let file = try open()
        var line: [UInt8] = []
        line.reserveCapacity(scalars.count * 24 + 16)
        JSONText.appendScalarLine(scalars, step: step, to: &line)
        if let extra { try writer.append(line, to: extra) }
        try writer.append(line, to: file)
    }

    /// The append file for an `addScalars` `filePath`, validated and with its parent directory created.
    private func extraFile(_ filePath: String) throws -> AppendFile {
        // Validated paths are normalised (`a//x.json` is `a/x.json`), so one file has one key.
        let filePath = try SaveDirPath.validated(filePath, argument: "filePath")
        guard SaveDirPath.fileExtension(filePath) == "json" else {
            throw VisBackendError.invalidArgument(
                argument: "filePath", expected: "a file name ending in .json", actual: filePath)
        }
        guard filePath != scalarSaveFile else {
            throw VisBackendError.invalidArgument(
                argument: "filePath", expected: "a file other than the scalar file `\(scalarSaveFile)`",
                actual: filePath)
        }
        _ = try open()
        return try files.withLock { files in
            if let file = files.extra[filePath] { return file }
            let target = path(filePath)
            let directory = (target as NSString).deletingLastPathComponent
            try BackendFile.createDirectory(directory)
            let file = AppendFile(path: target)
            files.extra[filePath] = file
            return file
        }
    }

    public func flush() {
        writer.flush()
    }

    public func close() {
        writer.close()
    }
}

extension LocalVisBackend: _SharedPNGConsumer {
    var _sharedPNGCompression: PNGCompression { pngCompression }
}
