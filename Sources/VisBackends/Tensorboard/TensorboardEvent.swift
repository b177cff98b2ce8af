/// One record of a TensorBoard event file: the subset of `tensorboard.Event` this library writes and reads.
///
/// Field numbers and wire forms are those of TensorBoard's `event.proto` / `summary.proto` / `tensor.proto`
/// (package `tensorboard`). Encoding follows the Python library byte for byte: fields in number order, proto3
/// defaults left out, `oneof` members written even when they hold a default value.
public struct TensorboardEvent: Sendable, Equatable {
    /// Seconds since the Unix epoch (`wall_time`, field 1).
    public var wallTime: Double
    /// The global step (`step`, field 2).
    public var step: Int64
    /// The `what` oneof.
    public var content: Content

    /// The `what` oneof of `Event`.
    public enum Content: Sendable, Equatable {
        /// No `what` field.
        case none
        /// `file_version` (field 3), `"brain.Event:2"` in the first record of a file.
        case fileVersion(String)
        /// `summary` (field 5).
        case summary(TensorboardSummary)
        /// Another member of the oneof (graph, log message, session log, …) that this library does not decode;
        /// `field` is its number.
        case other(field: Int)
    }

    /// The file version TensorBoard expects in the first record of every event file.
    public static let fileVersionString = "brain.Event:2"

    /// Creates an event.
    public init(wallTime: Double, step: Int64 = 0, content: Content = .none) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
    }
}

/// `tensorboard.Summary`: a list of tagged values logged at one step.
public struct TensorboardSummary: Sendable, Equatable {
    /// `value` (field 1, repeated).
    public var values: [Value]

    /// Creates a summary.
    public init(values: [Value]) {
        self.values = values
    }

    /// `Summary.Value`: one tagged scalar, image or tensor.
    public struct Value: Sendable, Equatable {
        /// `tag` (field 1).
        public var tag: String
        /// The `value` oneof.
        public var kind: Kind
        /// `metadata` (field 9): which plugin shows the value.
        public var metadata: Metadata?

        /// Creates a value.
        public init(tag: String, kind: Kind, metadata: Metadata? = nil) {
            self.tag = tag
            self.kind = kind
            self.metadata = metadata
        }
    }

    /// The `value` oneof of `Summary.Value`.
    public enum Kind: Sendable, Equatable {
        /// No value (hparams summaries carry only metadata).
        case none
        /// `simple_value` (field 2): a float32 scalar.
        case simpleValue(Float)
        /// `image` (field 4).
        case image(Image)
        /// `tensor` (field 8).
        case tensor(TensorboardTensor)
        /// Another member (histogram, audio, …) that this library does not decode; `field` is its number.
        case other(field: Int)
    }

    /// `Summary.Image`: an encoded image and its size.
    public struct Image: Sendable, Equatable {
        /// `height` (field 1).
        public var height: Int32
        /// `width` (field 2).
        public var width: Int32
        /// `colorspace` (field 3): 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA.
        public var colorspace: Int32
        /// `encoded_image_string` (field 4): PNG bytes; TensorBoard serves them to the browser unchanged.
        public var encoded: [UInt8]

        /// Creates an image value.
        public init(height: Int32, width: Int32, colorspace: Int32, encoded: [UInt8]) {
            self.height = height
            self.width = width
            self.colorspace = colorspace
            self.encoded = encoded
        }
    }

    /// `SummaryMetadata` with its `PluginData`.
    public struct Metadata: Sendable, Equatable {
        /// `plugin_data.plugin_name` (`"text"`, `"hparams"`, `"scalars"`, …).
        public var pluginName: String
        /// `plugin_data.content`: plugin-specific protobuf bytes.
        public var pluginContent: [UInt8]
        /// `display_name` (field 2).
        public var displayName: String
        /// `summary_description` (field 3).
        public var summaryDescription: String
        /// `data_class` (field 4): 0 unknown, 1 scalar, 2 tensor, 3 blob sequence.
        public var dataClass: Int32

        /// Creates metadata for `pluginName`.
        public init(
            pluginName: String, pluginContent: [UInt8] = [], displayName: String = "",
            summaryDescription: String = "", dataClass: Int32 = 0
        ) {
            self.pluginName = pluginName
            self.pluginContent = pluginContent
            self.displayName = displayName
            self.summaryDescription = summaryDescription
            self.dataClass = dataClass
        }
    }
}

/// `tensorflow.TensorProto`: the fields TensorBoard's text, scalar and hparams plugins use.
public struct TensorboardTensor: Sendable, Equatable {
    /// `dtype` (field 1).
    public var dataType: DataType
    /// `tensor_shape` (field 2): the dimension sizes, `[]` for a scalar; `nil` leaves the field out.
    public var shape: [Int64]?
    /// `tensor_content` (field 4): the elements as raw little-endian bytes.
    public var content: [UInt8]
    /// `float_val` (field 5).
    public var floatValues: [Float]
    /// `double_val` (field 6).
    public var doubleValues: [Double]
    /// `int_val` (field 7).
    public var intValues: [Int32]
    /// `string_val` (field 8): byte strings (UTF-8 text for the text plugin).
    public var stringValues: [[UInt8]]
    /// `int64_val` (field 10).
    public var int64Values: [Int64]

    /// `tensorflow.DataType`, the values this library names; others keep their raw number.
    public struct DataType: RawRepresentable, Sendable, Hashable {
        /// The `tensorflow.DataType` enum number.
        public var rawValue: Int32
        /// The data type with enum number `rawValue`.
        public init(rawValue: Int32) { self.rawValue = rawValue }
        /// `DT_INVALID` (0).
        public static let invalid = DataType(rawValue: 0)
        /// `DT_FLOAT` (1).
        public static let float = DataType(rawValue: 1)
        /// `DT_DOUBLE` (2).
        public static let double = DataType(rawValue: 2)
        /// `DT_INT32` (3).
        public static let int32 = DataType(rawValue: 3)
        /// `DT_STRING` (7).
        public static let string = DataType(rawValue: 7)
        /// `DT_INT64` (9).
        public static let int64 = DataType(rawValue: 9)
    }

    /// Creates a tensor.
    public init(
        dataType: DataType, shape: [Int64]?, content: [UInt8] = [], floatValues: [Float] = [],
        doubleValues: [Double] = [], intValues: [Int32] = [], stringValues: [[UInt8]] = [], int64Values: [Int64] = []
    ) {
        self.dataType = dataType
        self.shape = shape
        self.content = content
        self.floatValues = floatValues
        self.doubleValues = doubleValues
        self.intValues = intValues
        self.stringValues = stringValues
        self.int64Values = int64Values
    }

    /// A `DT_STRING` tensor holding one UTF-8 string with shape `shape` (`[1]` as tensorboardX and torch write
    /// text, `[]` to have TensorBoard render the markdown without a table around it).
    public static func text(_ text: String, shape: [Int64] = [1]) -> TensorboardTensor {
        TensorboardTensor(dataType: .string, shape: shape, stringValues: [Array(text.utf8)])
    }
}
