import Testing

@testable import VisBackends

/// Byte-exact checks against events dumped from tensorboardX 2.6.5 (wall time 1.7e9).
@Suite("TensorBoard event encoding")
struct TensorboardEncodingTests {
    static let wallTime = 1_700_000_000.0

    static let scalarRecord = tensorboardHex(
        """
        1a 00 00 00 00 00 00 00  12 9b d8 2d
        09 00 00 00 40 fc 54 d9 41  10 01
        2a 0d  0a 0b  0a 04 6c 6f 73 73  15 00 00 00 3f
        8d b0 2e 39
        """)

    static let textRecord = tensorboardHex(
        """
        44 00 00 00 00 00 00 00  43 59 2e 9a
        09 00 00 00 40 fc 54 d9 41  10 02
        2a 37 0a 35
           0a 11 "note/text_summary"
           42 16  08 07  12 04 12 02 08 01  42 0c "hello **md**"
           4a 08  0a 06 0a 04 "text"
        1d 94 28 4f
        """)

    static let fileVersionRecord = tensorboardHex(
        #"18 00 00 00 00 00 00 00 a3 7f 4b 22 09 00 00 00 40 fc 54 d9 41 1a 0d "brain.Event:2" ec ed 8f 9d"#)

    static let hparamsSummary = tensorboardHex(
        """
        0a 5a 0a 1c "_hparams_/session_start_info" 4a 3a 0a 38 0a 07 "hparams" 12 2d
           1a 2b 0a 0f 0a 02 "lr" 12 09 11 7b 14 ae 47 e1 7a 84 3f
                 0a 0f 0a 05 "optim" 12 06 1a 04 "adam"  29 00 00 00 40 fc 54 d9 41
        """)

    static func framed(_ event: TensorboardEvent) -> [UInt8] {
        var writer = ProtobufWriter()
        TFRecord.append(event, to: &writer)
        return writer.bytes
    }

    @Test("scalar record matches tensorboardX byte for byte")
    func scalar() {
        #expect(Self.scalarRecord.count == 42)
        let event = TensorboardEvent(
            wallTime: Self.wallTime, step: 1,
            content: .summary(TensorboardSummary(values: [.init(tag: "loss", kind: .simpleValue(0.5))])))
        #expect(Self.framed(event) == Self.scalarRecord)
        // The allocation-free scalar path writes the same bytes.
        var writer = ProtobufWriter()
        TFRecord.append(
            _ScalarEvent(tag: "loss", value: 0.5, step: 1, wallTime: Self.wallTime),
            to: &writer)
        #expect(writer.bytes == Self.scalarRecord)
    }

    @Test("text record (tensorboardX form: `/text_summary`, shape [1]) matches byte for byte")
    func text() {
        #expect(Self.textRecord.count == 84)
        let value = TensorboardSummary.Value(
            tag: "note/text_summary", kind: .tensor(.text("hello **md**")),
            metadata: .init(pluginName: "text"))
        let event = TensorboardEvent(wallTime: Self.wallTime, step: 2, content: .summary(.init(values: [value])))
        #expect(Self.framed(event) == Self.textRecord)
    }

    @Test("file_version record matches byte for byte")
    func fileVersion() {
        let event = TensorboardEvent(wallTime: Self.wallTime, content: .fileVersion("brain.Event:2"))
        #expect(Self.framed(event) == Self.fileVersionRecord)
    }

    @Test("hparams session_start_info summary matches byte for byte")
    func hparams() {
        let start = TensorboardHParams.sessionStart(
            .init(hparams: [("lr", .number(0.01)), ("optim", .string("adam"))], startTimeSeconds: Self.wallTime))
        let summary = TensorboardSummary(values: [start.summaryValue])
        var writer = ProtobufWriter()
        summary._encode(into: &writer)
        #expect(writer.bytes == Self.hparamsSummary)
        #expect(summary._encodedSize == Self.hparamsSummary.count)
    }

    @Test("empty and zero-sized tensor shapes: `12 00` and the hparams null tensor")
    func shapes() {
        #expect(TensorboardTensor(dataType: .string, shape: []).serializedForTest == [0x08, 0x07, 0x12, 0x00])
        #expect(
            TensorboardTensor(dataType: .float, shape: [0]).serializedForTest == [0x08, 0x01, 0x12, 0x02, 0x12, 0x00])
        #expect(TensorboardTensor(dataType: .float, shape: nil).serializedForTest == [0x08, 0x01])
    }

    @Test("oneof members are written even when zero; proto3 defaults elsewhere are left out")
    func defaults() {
        let zero = TensorboardSummary.Value(tag: "z", kind: .simpleValue(0))
        #expect(zero.serializedForTest == [0x0a, 0x01, 0x7a, 0x15, 0, 0, 0, 0])
        let bare = TensorboardEvent(wallTime: 0)
        #expect(bare.serialized().isEmpty)
        let end = TensorboardHParams.sessionEnd(.init(status: .success, endTimeSeconds: 0))
        #expect(end.serializedForTest == [0x22, 0x02, 0x08, 0x01])
    }

    @Test("varint sizes and negative steps")
    func varints() {
        for (value, size) in [(UInt64(0), 1), (127, 1), (128, 2), (16383, 2), (16384, 3), (UInt64.max, 10)] {
            #expect(ProtobufWriter.varintSize(value) == size)
            var writer = ProtobufWriter()
            writer.appendVarint(value)
            #expect(writer.bytes.count == size)
            var reader = ProtobufReader(writer.bytes)
            #expect((try? reader.readVarint()) == value)
        }
        let event = TensorboardEvent(
            wallTime: 1, step: -5, content: .summary(.init(values: [.init(tag: "a", kind: .simpleValue(1))])))
        #expect(event.serialized().count == event._encodedSize)
        #expect((try? TensorboardEvent(serialized: event.serialized())) == event)
    }

    @Test("every message decodes back to itself")
    func roundTrip() throws {
        let values: [TensorboardSummary.Value] = [
            .init(tag: "loss", kind: .simpleValue(-1.25)),
            .init(tag: "img", kind: .image(.init(height: 9, width: 8, colorspace: 3, encoded: Array(0..<200)))),
            .init(
                tag: "note/text_summary", kind: .tensor(.text("héllo\n| a | b |")), metadata: .init(pluginName: "text")),
            .init(
                tag: "t",
                kind: .tensor(
                    .init(
                        dataType: .double, shape: [2, 0, 3], content: [1, 2, 3], floatValues: [1.5, -2],
                        doubleValues: [3.25],
                        intValues: [-1, 300], stringValues: [[], [0xff]], int64Values: [Int64.min, 5])),
                metadata: .init(
                    pluginName: "p", pluginContent: [9, 9], displayName: "d", summaryDescription: "s", dataClass: 2)),
            TensorboardHParams.sessionStart(
                .init(
                    hparams: [("lr", .number(0)), ("nesterov", .bool(false)), ("name", .string(""))],
                    startTimeSeconds: 3)
            ).summaryValue,
            TensorboardHParams.sessionEnd(.init(status: .failure, endTimeSeconds: 4.5)).summaryValue,
        ]
        let event = TensorboardEvent(wallTime: 1.5, step: 123_456_789_012, content: .summary(.init(values: values)))
        let bytes = event.serialized()
        #expect(bytes.count == event._encodedSize)
        #expect(try TensorboardEvent(serialized: bytes) == event)
        for value in values.suffix(2) {
            let decoded = try #require(try TensorboardHParams(pluginContent: value.metadata?.pluginContent ?? []))
            #expect(decoded.summaryValue == value)
        }
    }

    @Test("malformed protobuf throws with the offset, never traps")
    func malformed() {
        // Truncated varint, length past the end, wrong wire type for a known field, field number 0, wire type 3.
        let cases: [[UInt8]] = [
            [0x10, 0x80], [0x2a, 0x05, 0x0a], [0x09, 0x01], [0x08, 0x01], [0x00, 0x01], [0x0b],
            [0x10] + [UInt8](repeating: 0xff, count: 11),
        ]
        for bytes in cases {
            #expect(throws: ProtobufDecodingError.self) { try TensorboardEvent(serialized: bytes) }
        }
        // Unknown fields of every wire type are skipped.
        let unknown: [UInt8] = [
            0x98, 0x01, 0x05, 0xa1, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0xaa, 0x01, 0x01, 0x00, 0xad, 0x01, 1, 2, 3, 4, 0x10,
            0x07,
        ]
        #expect((try? TensorboardEvent(serialized: unknown)) == TensorboardEvent(wallTime: 0, step: 7))
    }

    @Test("one-element tensors read as scalars (TF2's form)")
    func tensorScalars() {
        #expect(TensorboardTensor(dataType: .float, shape: [], floatValues: [0.5]).scalarValue == 0.5)
        #expect(TensorboardTensor(dataType: .float, shape: [], content: [0, 0, 0x80, 0x3f]).scalarValue == 1)
        #expect(
            TensorboardTensor(dataType: .double, shape: [1], content: [0, 0, 0, 0, 0, 0, 0xf0, 0x3f]).scalarValue == 1)
        #expect(TensorboardTensor(dataType: .int64, shape: [], int64Values: [-3]).scalarValue == -3)
        #expect(TensorboardTensor(dataType: .float, shape: [2], floatValues: [1, 2]).scalarValue == nil)
        #expect(TensorboardTensor(dataType: .string, shape: [], stringValues: [[1]]).scalarValue == nil)
    }
}

extension _ProtobufEncodable {
    var serializedForTest: [UInt8] {
        var writer = ProtobufWriter()
        _encode(into: &writer)
        #expect(writer.bytes.count == _encodedSize)
        return writer.bytes
    }
}
