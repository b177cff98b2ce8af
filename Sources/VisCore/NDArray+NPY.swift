/// `.npy` reading and writing (NumPy's format, versions 1.0, 2.0 and 3.0).
///
/// Reading accepts little- and big-endian data, C and Fortran order (Fortran data is reordered to C order), and
/// the dtypes `f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1`. `float16` data is widened to `float32`, since `NDArray` has
/// no half-precision storage. Writing produces the bytes `np.save` produces: version 1.0 (2.0 when the header
/// exceeds 64 KiB), a header padded so the data starts at a multiple of 64 bytes, little-endian C-order data.
extension NDArray {
    /// Reads a `.npy` file.
    ///
    /// - Throws: ``VisCoreError/io(path:reason:)`` when the file cannot be read;
    ///   ``VisCoreError/corruptData(source:reason:)`` for a bad magic, truncated header or data, or a header that
    ///   is not NumPy's dict; ``VisCoreError/unsupportedFormat(source:reason:)`` for other dtypes (objects,
    ///   strings, structured); ``VisCoreError/tooLarge(source:reason:)`` when the shape overflows. Every error
    ///   names `path`.
    public init(npyFile path: String) throws {
        try self.init(npyData: try FileIO.read(path), source: path)
    }

    /// Decodes `.npy` bytes; `source` names them in errors (a path, or `"<bytes>"`).
    ///
    /// - Throws: As ``init(npyFile:)``.
    public init(npyData bytes: [UInt8], source: String = "<bytes>") throws {
        self = try bytes.withUnsafeBytes { try NDArray._decodeNPY($0, source: source) }
    }

    /// The `.npy` encoding of the array, byte-identical to NumPy's `np.save`.
    public func npyData() -> [UInt8] {
        storage._apply(_LittleEndianBytes(prefix: NDArray._npyPreamble(dtype: dtype, shape: shape)))
    }

    /// Writes the array as a `.npy` file, replacing any file at `path`.
    ///
    /// - Throws: ``VisCoreError/io(path:reason:)``.
    public func writeNPY(to path: String) throws {
        try FileIO.writeAtomically(npyData(), to: path)
    }

    static let _npyMagic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// Magic, version, header length and the padded header, as NumPy's `_wrap_header_guess_version` makes them.
    static func _npyPreamble(dtype: DType, shape: [Int]) -> [UInt8] {
        let header = Array(NPYHeader.text(dtype: dtype, shape: shape).utf8)
        let alignment = 64
        // Version 1.0 stores the header length in 2 bytes, 2.0 in 4.
        for (major, lengthBytes) in [(UInt8(1), 2), (UInt8(2), 4)] {
            let headerLength = header.count + 1
            let padding = alignment - (_npyMagic.count + 2 + lengthBytes + headerLength) % alignment
            let total = headerLength + padding
            if lengthBytes == 2 && total > Int(UInt16.max) { continue }
            var bytes = _npyMagic + [major, 0]
            for shift in stride(from: 0, to: lengthBytes * 8, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: total >> shift))
            }
            bytes += header
            bytes += [UInt8](repeating: 0x20, count: padding)
            bytes.append(0x0A)
            return bytes
        }
        return []  // unreachable: a 4-byte length holds any header Swift can allocate
    }

    static func _decodeNPY(_ raw: UnsafeRawBufferPointer, source: String) throws -> NDArray {
        guard raw.count >= 10, Array(raw[0..<6]) == _npyMagic else {
            throw VisCoreError.corruptData(source: source, reason: "not a .npy file (missing the \\x93NUMPY magic)")
        }
        let major = raw[6]
        let lengthBytes: Int
        switch major {
        case 1: lengthBytes = 2
        case 2, 3: lengthBytes = 4
        default:
            throw VisCoreError.unsupportedFormat(
                source: source, reason: ".npy format version \(major).\(raw[7]) (supported: 1.0, 2.0, 3.0)")
        }
        guard raw.count >= 8 + lengthBytes else {
            throw VisCoreError.corruptData(source: source, reason: "truncated .npy header length")
        }
        var headerLength = 0
        for index in 0..<lengthBytes { headerLength |= Int(raw[8 + index]) << (8 * index) }
        let headerStart = 8 + lengthBytes
        guard headerLength <= raw.count - headerStart else {
            throw VisCoreError.corruptData(
                source: source,
                reason: "truncated .npy header: it declares \(headerLength) bytes, the file has \(raw.count - headerStart)")
        }
        var headerBytes = Array(raw[headerStart..<headerStart + headerLength])
        // Versions 1 and 2 are latin-1; map bytes ≥ 0x80 to their code points so the parser sees valid UTF-8.
        if major < 3, headerBytes.contains(where: { $0 >= 0x80 }) {
            headerBytes = Array(String(headerBytes.map { Character(Unicode.Scalar($0)) }).utf8)
        }
        let header = try NPYHeader.parse(headerBytes, source: source)
        let dataStart = headerStart + headerLength
        return try _decodeElements(
            UnsafeRawBufferPointer(rebasing: raw[dataStart...]), header: header, source: source)
    }

    /// Builds the array from element data, checking its length against the shape before allocating anything.
    static func _decodeElements(_ data: UnsafeRawBufferPointer, header: NPYHeader, source: String) throws -> NDArray {
        var count = 1
        for length in header.shape {
            let (next, overflow) = count.multipliedReportingOverflow(by: length)
            guard !overflow else {
                throw VisCoreError.tooLarge(source: source, reason: "the .npy shape \(header.shape) overflows")
            }
            count = next
        }
        let itemSize = header.diskType.itemSize
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: itemSize)
        guard !overflow else {
            throw VisCoreError.tooLarge(source: source, reason: "the .npy shape \(header.shape) overflows")
        }
        guard byteCount <= data.count else {
            throw VisCoreError.corruptData(
                source: source,
                reason: "the .npy data is \(data.count) bytes, shape \(header.shape) needs \(byteCount)")
        }
        let swap = header.bigEndian != (1.bigEndian == 1)
        let storage: Storage
        switch header.diskType {
        case .float16:
            storage = .float32(_load(data, count: count, swap: swap, as: UInt16.self).map(_floatFromHalf))
        case .element(let dtype):
            switch dtype {
            case .float32:
                storage = .float32(
                    swap
                        ? _load(data, count: count, swap: true, as: UInt32.self).map(Float.init(bitPattern:))
                        : _loadRaw(data, count: count, as: Float.self))
            case .float64:
                storage = .float64(
                    swap
                        ? _load(data, count: count, swap: true, as: UInt64.self).map(Double.init(bitPattern:))
                        : _loadRaw(data, count: count, as: Double.self))
            case .int8: storage = .int8(_load(data, count: count, swap: false, as: Int8.self))
            case .int16: storage = .int16(_load(data, count: count, swap: swap, as: Int16.self))
            case .int32: storage = .int32(_load(data, count: count, swap: swap, as: Int32.self))
            case .int64: storage = .int64(_load(data, count: count, swap: swap, as: Int64.self))
            case .uint8: storage = .uint8(_load(data, count: count, swap: false, as: UInt8.self))
            case .uint16: storage = .uint16(_load(data, count: count, swap: swap, as: UInt16.self))
            case .uint32: storage = .uint32(_load(data, count: count, swap: swap, as: UInt32.self))
            case .uint64: storage = .uint64(_load(data, count: count, swap: swap, as: UInt64.self))
            // Any non-zero byte is true; a raw copy could create Bool values other than 0 and 1.
            case .bool: storage = .bool(data[0..<count].map { $0 != 0 })
            }
        }
        if header.fortranOrder {
            // Fortran-order data read in C order is the transpose; transposing again restores the shape.
            return NDArray(_unchecked: storage, shape: header.shape.reversed()).transposed()
        }
        return NDArray(_unchecked: storage, shape: header.shape)
    }

    /// `count` integers copied from possibly unaligned bytes, byte-swapped when the file's order is not ours.
    static func _load<I: FixedWidthInteger & BitwiseCopyable>(
        _ data: UnsafeRawBufferPointer, count: Int, swap: Bool, as _: I.Type
    ) -> [I] {
        var values = _loadRaw(data, count: count, as: I.self)
        if swap {
            values.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] = buffer[index].byteSwapped }
            }
        }
        return values
    }

    /// `count` values copied bit for bit from possibly unaligned bytes (`T` is a plain number type).
    static func _loadRaw<T: BitwiseCopyable>(_ data: UnsafeRawBufferPointer, count: Int, as _: T.Type) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let source = data.baseAddress, let target = buffer.baseAddress {
                UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * MemoryLayout<T>.size)
            }
            initialized = count
        }
    }

    /// IEEE 754 half → single precision, exact (every half is a float), including subnormals, infinities, NaN.
    static func _floatFromHalf(_ bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign == 0 ? magnitude : -magnitude
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}

/// `prefix` followed by the elements' little-endian bytes.
struct _LittleEndianBytes: _StorageReader {
    let prefix: [UInt8]

    func read<T: NDArrayElement>(_ values: [T]) -> [UInt8] {
        var bytes = prefix
        values.withUnsafeBytes { raw in
            let start = bytes.count
            bytes.append(contentsOf: raw)
            let itemSize = MemoryLayout<T>.size
            if 1.bigEndian == 1 && itemSize > 1 {
                for item in stride(from: start, to: bytes.count, by: itemSize) {
                    bytes[item..<item + itemSize].reverse()
                }
            }
        }
        return bytes
    }
}
