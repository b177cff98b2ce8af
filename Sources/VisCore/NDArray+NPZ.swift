/// `.npz` archives: the zip files of `.npy` members that NumPy's `savez` and `savez_compressed` write.
extension NDArray {
    /// Reads every array in a `.npz` file, keyed by member name without the `.npy` extension
    /// (`np.savez(path, a=..., b=...)` gives `["a": ..., "b": ...]`; positional arrays are `arr_0`, `arr_1`, ...).
    ///
    /// Stored and deflated members are read, ZIP64 fields included; each member's CRC-32 is checked.
    ///
    /// - Throws: ``VisCoreError/io(path:reason:)`` when the file cannot be read;
    ///   ``VisCoreError/corruptData(source:reason:)`` for a damaged or truncated archive or member (the source
    ///   names `path[member]`); ``VisCoreError/unsupportedFormat(source:reason:)`` for encryption, other
    ///   compression methods or dtypes.
    public static func loadNPZ(from path: String) throws -> [String: NDArray] {
        try loadNPZ(data: try FileIO.read(path), source: path)
    }

    /// Reads every array in `.npz` bytes; `source` names them in errors.
    ///
    /// - Throws: As ``loadNPZ(from:)``.
    public static func loadNPZ(data: [UInt8], source: String = "<bytes>") throws -> [String: NDArray] {
        try data.withUnsafeBytes { archive in
            var arrays: [String: NDArray] = [:]
            for entry in try _ZipArchive.entries(in: archive, source: source) where !entry.name.hasSuffix("/") {
                let member = try _ZipArchive.contents(of: entry, in: archive, source: source)
                let key = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
                arrays[key] = try member.withUnsafeBytes {
                    try _decodeNPY($0, source: "\(source)[\(entry.name)]")
                }
            }
            return arrays
        }
    }

    /// An uncompressed `.npz` archive of `arrays` (members `<key>.npy`, in key order), as `np.savez` would
    /// store them; `np.load` reads it.
    ///
    /// - Throws: ``VisCoreError/invalidArgument(argument:expected:actual:)`` naming `arrays` for an empty key or
    ///   one containing `/`; ``VisCoreError/tooLarge(source:reason:)`` beyond 4 GiB (ZIP64 is not written).
    public static func npzData(_ arrays: [String: NDArray]) throws -> [UInt8] {
        var members: [(name: String, data: [UInt8])] = []
        for (key, array) in arrays.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, !key.contains("/") else {
                throw VisCoreError.invalidArgument(
                    argument: "arrays", expected: "non-empty keys without '/'", actual: "key \"\(key)\"")
            }
            members.append((key + ".npy", array.npyData()))
        }
        return try _ZipArchive.storedArchive(members, source: "<npz>")
    }

    /// Writes an uncompressed `.npz` file; see ``npzData(_:)``.
    ///
    /// - Throws: As ``npzData(_:)``, and ``VisCoreError/io(path:reason:)``.
    public static func writeNPZ(_ arrays: [String: NDArray], to path: String) throws {
        try FileIO.writeAtomically(try npzData(arrays), to: path)
    }
}
