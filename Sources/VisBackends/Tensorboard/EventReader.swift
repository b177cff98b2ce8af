import Foundation

/// Iterates the events of one TensorBoard event file, verifying both CRCs of every record.
///
/// Iteration stops cleanly at a truncated last record (see ``truncatedTailOffset``), as TensorBoard's own
/// loader does; a damaged record throws ``TensorboardError/corruptRecord(path:offset:reason:)`` and a record
/// whose payload is not an `Event` throws ``TensorboardError/malformedEvent(path:offset:reason:)``, both with
/// the record's byte offset.
public struct TensorboardEventReader: Sendable {
    private var records: TFRecord.Reader

    /// A reader over the bytes of an event file; `path` names it in errors.
    public init(bytes: [UInt8], path: String) {
        records = TFRecord.Reader(bytes: bytes, path: path)
    }

    /// A reader over the file at `path`.
    ///
    /// - Throws: ``TensorboardError/io(path:reason:)`` when the file cannot be read.
    public init(contentsOf path: String) throws(TensorboardError) {
        self.init(bytes: try Self.readFile(path), path: path)
    }

    /// The file name used in errors.
    public var path: String { records.path }

    /// The offset of an incomplete last record, once iteration has reached it; `nil` if the file ends cleanly.
    public var truncatedTailOffset: Int? { records.truncatedTailOffset }

    /// The next event and the offset of its record, or `nil` at the end.
    public mutating func next() throws(TensorboardError) -> (offset: Int, event: TensorboardEvent)? {
        guard let record = try records.next() else { return nil }
        var reader = ProtobufReader(storage: records.storage, range: record.data)
        do {
            return (record.offset, try TensorboardEvent(reader: &reader))
        } catch {
            throw .malformedEvent(path: path, offset: record.offset, reason: error.description)
        }
    }

    static func readFile(_ path: String) throws(TensorboardError) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe))
        } catch {
            throw .io(path: path, reason: "cannot read the event file: \((error as NSError).localizedDescription)")
        }
    }
}

/// What one event file holds, sorted into the kinds TensorBoard's plugins show.
public struct TensorboardEventFile: Sendable {
    /// A scalar: a `simple_value`, or a one-element numeric tensor of the `scalars` plugin (TF2's form).
    public struct Scalar: Sendable, Equatable {
        /// The summary value's tag.
        public var tag: String
        /// The event's step.
        public var step: Int64
        /// The event's wall time (seconds since 1970).
        public var wallTime: Double
        /// The value (a float32 `simple_value` widened exactly).
        public var value: Double
    }

    /// An image summary.
    public struct ImageEntry: Sendable, Equatable {
        /// The summary value's tag.
        public var tag: String
        /// The event's step.
        public var step: Int64
        /// The event's wall time (seconds since 1970).
        public var wallTime: Double
        /// The encoded image and its size.
        public var image: TensorboardSummary.Image
    }

    /// A text summary (a string tensor of the `text` plugin); several strings are joined with newlines.
    public struct Text: Sendable, Equatable {
        /// The summary value's tag.
        public var tag: String
        /// The event's step.
        public var step: Int64
        /// The event's wall time (seconds since 1970).
        public var wallTime: Double
        /// The text (markdown).
        public var text: String
    }

    /// The file's path.
    public let path: String
    /// The `file_version` of the first record, if any (`"brain.Event:2"`).
    public private(set) var fileVersion: String?
    /// Scalars in file order.
    public private(set) var scalars: [Scalar] = []
    /// Images in file order.
    public private(set) var images: [ImageEntry] = []
    /// Texts in file order.
    public private(set) var texts: [Text] = []
    /// Hparams session records in file order.
    public private(set) var hparams: [TensorboardHParams] = []
    /// The number of events read.
    public private(set) var eventCount = 0
    /// The offset of an incomplete last record that was skipped, if any.
    public private(set) var truncatedTailOffset: Int?

    /// Reads and sorts every event of the file at `path`.
    ///
    /// - Throws: ``TensorboardError`` for an unreadable file or a corrupt or malformed record.
    public init(contentsOf path: String) throws(TensorboardError) {
        try self.init(reader: try TensorboardEventReader(contentsOf: path))
    }

    /// Reads and sorts every event of `bytes`; `path` names them in errors.
    public init(bytes: [UInt8], path: String) throws(TensorboardError) {
        try self.init(reader: TensorboardEventReader(bytes: bytes, path: path))
    }

    private init(reader: TensorboardEventReader) throws(TensorboardError) {
        var reader = reader
        path = reader.path
        // TF2 writers put the plugin metadata only on a tag's first value.
        var pluginByTag: [String: String] = [:]
        while let (offset, event) = try reader.next() {
            eventCount += 1
            switch event.content {
            case .fileVersion(let version): fileVersion = version
            case .summary(let summary):
                for value in summary.values {
                    if let metadata = value.metadata { pluginByTag[value.tag] = metadata.pluginName }
                    try add(value, plugin: pluginByTag[value.tag], event: event, offset: offset)
                }
            case .none, .other: break
            }
        }
        truncatedTailOffset = reader.truncatedTailOffset
    }

    private mutating func add(
        _ value: TensorboardSummary.Value, plugin: String?, event: TensorboardEvent, offset: Int
    ) throws(TensorboardError) {
        switch value.kind {
        case .simpleValue(let number):
            scalars.append(Scalar(tag: value.tag, step: event.step, wallTime: event.wallTime, value: Double(number)))
        case .image(let image):
            images.append(ImageEntry(tag: value.tag, step: event.step, wallTime: event.wallTime, image: image))
        case .tensor(let tensor):
            if plugin == "text", tensor.dataType == .string {
                texts.append(
                    Text(
                        tag: value.tag, step: event.step, wallTime: event.wallTime,
                        text: tensor.strings.joined(separator: "\n")))
            } else if plugin == "scalars", let number = tensor.scalarValue {
                scalars.append(Scalar(tag: value.tag, step: event.step, wallTime: event.wallTime, value: number))
            }
        case .none:
            guard plugin == TensorboardHParams.pluginName, let metadata = value.metadata else { return }
            do {
                if let record = try TensorboardHParams(pluginContent: metadata.pluginContent) { hparams.append(record) }
            } catch {
                throw .malformedEvent(path: path, offset: offset, reason: "hparams plugin data: \(error.description)")
            }
        case .other:
            break
        }
    }
}

/// Finds the runs of a TensorBoard log directory: every directory holding files whose names contain
/// `tfevents`, as TensorBoard does. Each run's files are in name order (their timestamps sort them).
public enum TensorboardLogDirectory {
    /// A run: its directory relative to the log directory (`"."` for the log directory itself) and its event
    /// files' absolute paths.
    public struct Run: Sendable, Equatable {
        /// The run's directory relative to the log directory (`.` for the log directory itself).
        public var name: String
        /// The run's event files, in name order.
        public var files: [String]
    }

    /// The runs under `logDirectory`, sorted by name. `logDirectory` may also be a single event file.
    ///
    /// - Throws: ``TensorboardError/io(path:reason:)`` when the path does not exist or cannot be listed.
    public static func runs(in logDirectory: String) throws(TensorboardError) -> [Run] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: logDirectory, isDirectory: &isDirectory) else {
            throw .io(path: logDirectory, reason: "no such file or directory (expected a TensorBoard log directory)")
        }
        guard isDirectory.boolValue else {
            return [Run(name: (logDirectory as NSString).lastPathComponent, files: [logDirectory])]
        }
        let root = URL(fileURLWithPath: logDirectory).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else {
            throw .io(path: logDirectory, reason: "cannot list the directory")
        }
        var filesByRun: [String: [String]] = [:]
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator where url.lastPathComponent.contains("tfevents") {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let directory = url.standardizedFileURL.deletingLastPathComponent().path
            let relative = directory.hasPrefix(rootPath) ? String(directory.dropFirst(rootPath.count)) : ""
            filesByRun[relative.isEmpty ? "." : relative, default: []].append(url.standardizedFileURL.path)
        }
        return filesByRun.keys.sorted().map { Run(name: $0, files: (filesByRun[$0] ?? []).sorted()) }
    }
}
