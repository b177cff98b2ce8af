import Foundation
import VisCore

/// The numeric fields of the JSON form: each is either nested JSON arrays of numbers (or booleans) or a string
/// naming an array file — `"masks.npy"`, `"arrays.npz#gt_masks"`, or `"masks.npz"` when it holds a single array —
/// resolved against the JSON file's directory.
package enum _ArrayField {
    /// Decodes the array at `key`: inline nested arrays, or a file reference loaded through `resolver`.
    static func decode<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, forKey key: Key, resolver: _ArrayFileResolver
    ) throws -> NDArray {
        let value = try container.decode(ConfigValue.self, forKey: key)
        return try array(value, field: ConfigDecodingError.keyPath(of: container.codingPath + [key]), resolver: resolver)
    }

    /// The array `value` stands for: nested arrays of numbers (`float64`) or of booleans (`bool`), or a string
    /// naming an array file, loaded through `resolver`. The strings `"NaN"`, `"Infinity"` and `"-Infinity"` count
    /// as numbers (JSON writers that cannot write bare non-finite numbers write them so).
    ///
    /// - Throws: ``DataSampleError/invalidField(field:expected:actual:)`` naming `field` for anything else or a
    ///   ragged array; ``DataSampleError/arrayFile(field:path:reason:)`` for a file that cannot be loaded.
    package static func array(_ value: ConfigValue, field: String, resolver: _ArrayFileResolver) throws -> NDArray {
        if case .string(let reference) = value, _nonFinite(reference) == nil {
            return try resolver.load(reference, field: field)
        }
        var shape: [Int] = []
        var node = value
        while case .array(let children) = node {
            shape.append(children.count)
            guard let first = children.first else { break }
            node = first
        }
        var values: [Double] = []
        var allFlags = true
        var sawLeaf = false
        try _flatten(value, depth: 0, shape: shape, field: field, into: &values, allFlags: &allFlags, sawLeaf: &sawLeaf)
        if allFlags && sawLeaf {
            return try NDArray(values.map { $0 != 0 }, shape: shape)
        }
        return try NDArray(values, shape: shape)
    }

    private static func _nonFinite(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return nil
        }
    }

    private static func _flatten(
        _ node: ConfigValue, depth: Int, shape: [Int], field: String, into values: inout [Double],
        allFlags: inout Bool, sawLeaf: inout Bool
    ) throws {
        func leaf(_ value: Double, flag: Bool) throws {
            guard depth == shape.count else { throw _ragged(field) }
            values.append(value)
            allFlags = allFlags && flag
            sawLeaf = true
        }
        switch node {
        case .int, .double:
            try leaf(node.doubleValue ?? .nan, flag: false)
        case .bool(let flag):
            try leaf(flag ? 1 : 0, flag: true)
        case .string(let text) where _nonFinite(text) != nil:
            try leaf(_nonFinite(text) ?? .nan, flag: false)
        case .array(let children):
            guard depth < shape.count, children.count == shape[depth] else { throw _ragged(field) }
            for child in children {
                try _flatten(
                    child, depth: depth + 1, shape: shape, field: field, into: &values, allFlags: &allFlags,
                    sawLeaf: &sawLeaf)
            }
        default:
            throw DataSampleError.invalidField(
                field: field, expected: "nested arrays of numbers or an array file name (.npy, .npz, .npz#key)",
                actual: depth == 0 ? node.kindDescription : "\(node.kindDescription) inside the array")
        }
    }

    private static func _ragged(_ field: String) -> DataSampleError {
        .invalidField(field: field, expected: "a rectangular array (all rows of one length)", actual: "ragged rows")
    }

    /// The elements of a 1-D array (a scalar counts as one element; an empty array as none) as doubles.
    static func vector(_ array: NDArray, field: String) throws -> [Double] {
        guard array.rank <= 1 else {
            throw DataSampleError.invalidField(
                field: field, expected: "a 1-D array (one value per entry)", actual: "shape \(array.shape)")
        }
        return array.toDouble()
    }

    /// The elements of a 1-D array as whole numbers.
    static func integers(_ array: NDArray, field: String) throws -> [Int] {
        switch array.storage {
        case .int64(let values) where array.rank <= 1: return values.map { Int($0) }
        case .int32(let values) where array.rank <= 1: return values.map { Int($0) }
        default:
            return try vector(array, field: field).enumerated().map { index, value in
                guard value.rounded() == value, abs(value) < 9.0e15 else {
                    throw DataSampleError.invalidField(
                        field: "\(field)[\(index)]", expected: "a whole number", actual: "\(value)")
                }
                return Int(value)
            }
        }
    }

    /// An N×C array (an empty array counts as 0×C) as rows of doubles.
    static func rows(_ array: NDArray, columns: Int?, field: String, expected: String) throws -> [[Double]] {
        if array.count == 0 && array.rank <= 1 { return [] }
        guard array.rank == 2, columns.map({ array.shape[1] == $0 }) ?? true else {
            throw DataSampleError.invalidField(field: field, expected: expected, actual: "shape \(array.shape)")
        }
        let width = array.shape[1]
        let flat = array.toDouble()
        return (0..<array.shape[0]).map { row in Array(flat[row * width..<(row + 1) * width]) }
    }
}

/// Loads the array files a sample's JSON refers to, relative to the JSON file's directory, reading each `.npz`
/// once per decode.
package final class _ArrayFileResolver: @unchecked Sendable {
    /// The directory relative references resolve against; `nil` leaves them relative to the current directory.
    package let baseDirectory: String?
    /// The arrays of each `.npz` file read so far, by resolved path.
    private let archives = LockedValue<[String: [String: NDArray]]>([:])

    package init(baseDirectory: String?) {
        self.baseDirectory = baseDirectory
    }

    /// The array a reference names: `file.npy`, `file.npz#key`, or `file.npz` holding exactly one array.
    package func load(_ reference: String, field: String) throws -> NDArray {
        var path = reference
        var key: String?
        if let hash = reference.lastIndex(of: "#") {
            path = String(reference[..<hash])
            key = String(reference[reference.index(after: hash)...])
        }
        guard !path.isEmpty else {
            throw DataSampleError.arrayFile(field: field, path: reference, reason: "the file name is empty")
        }
        let resolved = path.hasPrefix("/") || baseDirectory == nil
            ? path : (baseDirectory.map { ($0 as NSString).appendingPathComponent(path) } ?? path)
        let lowered = path.lowercased()
        do {
            if lowered.hasSuffix(".npy") {
                guard key == nil else {
                    throw DataSampleError.arrayFile(
                        field: field, path: resolved, reason: "a .npy file holds one array; drop `#\(key ?? "")`")
                }
                return try NDArray(npyFile: resolved)
            }
            guard lowered.hasSuffix(".npz") else {
                throw DataSampleError.arrayFile(
                    field: field, path: resolved,
                    reason: "expected a .npy file, a .npz file or `file.npz#key` (or inline JSON arrays)")
            }
            let arrays = try archive(resolved)
            if let key {
                guard let array = arrays[key] else {
                    throw DataSampleError.arrayFile(
                        field: field, path: resolved,
                        reason: "no array `\(key)`; it holds \(arrays.keys.sorted().joined(separator: ", "))")
                }
                return array
            }
            guard arrays.count == 1, let only = arrays.values.first else {
                throw DataSampleError.arrayFile(
                    field: field, path: resolved,
                    reason: "it holds \(arrays.count) arrays (\(arrays.keys.sorted().joined(separator: ", "))); "
                        + "name one as `\(path)#key`")
            }
            return only
        } catch let error as VisCoreError {
            throw DataSampleError.arrayFile(field: field, path: resolved, reason: error.description)
        }
    }

    private func archive(_ path: String) throws -> [String: NDArray] {
        // Read outside the lock, so that two files load concurrently.
        if let cached = archives.withLock({ $0[path] }) { return cached }
        let arrays = try NDArray.loadNPZ(from: path)
        archives.withLock { $0[path] = arrays }
        return arrays
    }
}

extension CodingUserInfoKey {
    /// The ``_ArrayFileResolver`` the array file references of a decoded sample (or `vis draw` ops file) go
    /// through.
    package static let _arrayFileResolver: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "Visualization.arrayFileResolver") else {
            preconditionFailure("a non-empty user-info key")
        }
        return key
    }()
}
