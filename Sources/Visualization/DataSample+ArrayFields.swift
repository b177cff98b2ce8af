import Foundation
import VisCore

/// The numeric fields of the JSON form: each is either nested JSON arrays of numbers (or booleans) or a string
/// naming an array file — `"masks.npy"`, `"arrays.npz#gt_masks"`, or `"masks.npz"` when it holds a single array —
/// resolved against the JSON file's directory.
enum _ArrayField {
    /// Decodes the array at `key`: inline nested arrays, or a file reference loaded through `resolver`.
    static func decode<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, forKey key: Key, resolver: _ArrayFileResolver
    ) throws -> NDArray {
        let field = _fieldPath(container.codingPath + [key])
        if let reference = try? container.decode(String.self, forKey: key) {
            return try resolver.load(reference, field: field)
        }
        let tree: _NumberTree
        do {
            tree = try container.decode(_NumberTree.self, forKey: key)
        } catch let error as DecodingError {
            throw DataSampleError.invalidField(
                field: field, expected: "nested arrays of numbers or an array file name (.npy, .npz, .npz#key)",
                actual: _describe(error))
        }
        return try tree.array(field: field)
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

    /// `codingPath` as the dotted JSON path used in error messages (`pred_instances.bboxes[2]`).
    static func _fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            }
        }
        return text.isEmpty ? "<root>" : text
    }

    /// A short description of a decoding error: what was expected where.
    static func _describe(_ error: DecodingError) -> String {
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
            let path = _fieldPath(context.codingPath)
            return "\(context.debugDescription) (at \(path))"
        case let .keyNotFound(key, context):
            return "a missing key `\(key.stringValue)` (at \(_fieldPath(context.codingPath)))"
        @unknown default:
            return "\(error)"
        }
    }
}

/// Nested JSON arrays of numbers or booleans, decoded before their shape is known.
indirect enum _NumberTree: Decodable {
    case number(Double)
    case flag(Bool)
    case list([_NumberTree])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .flag(value)
        } else {
            self = .list(try container.decode([_NumberTree].self))
        }
    }

    /// The tree as a rectangular array: `float64`, or `bool` when every leaf is a boolean.
    func array(field: String) throws -> NDArray {
        var shape: [Int] = []
        var node = self
        while case .list(let children) = node {
            shape.append(children.count)
            guard let first = children.first else { break }
            node = first
        }
        var values: [Double] = []
        var allFlags = true
        var sawLeaf = false
        try _flatten(self, depth: 0, shape: shape, field: field, into: &values, allFlags: &allFlags, sawLeaf: &sawLeaf)
        if allFlags && sawLeaf {
            return try NDArray(values.map { $0 != 0 }, shape: shape)
        }
        return try NDArray(values, shape: shape)
    }

    private func _flatten(
        _ node: _NumberTree, depth: Int, shape: [Int], field: String, into values: inout [Double],
        allFlags: inout Bool, sawLeaf: inout Bool
    ) throws {
        switch node {
        case .number(let value):
            guard depth == shape.count else { throw _ragged(field) }
            values.append(value)
            allFlags = false
            sawLeaf = true
        case .flag(let value):
            guard depth == shape.count else { throw _ragged(field) }
            values.append(value ? 1 : 0)
            sawLeaf = true
        case .list(let children):
            guard depth < shape.count, children.count == shape[depth] else { throw _ragged(field) }
            for child in children {
                try _flatten(
                    child, depth: depth + 1, shape: shape, field: field, into: &values, allFlags: &allFlags,
                    sawLeaf: &sawLeaf)
            }
        }
    }

    private func _ragged(_ field: String) -> DataSampleError {
        .invalidField(field: field, expected: "a rectangular array (all rows of one length)", actual: "ragged rows")
    }
}

/// Loads the array files a sample's JSON refers to, relative to the JSON file's directory, reading each `.npz`
/// once per decode.
final class _ArrayFileResolver: @unchecked Sendable {
    let baseDirectory: String?
    private let lock = NSLock()
    private var archives: [String: [String: NDArray]] = [:]

    init(baseDirectory: String?) {
        self.baseDirectory = baseDirectory
    }

    /// The array a reference names: `file.npy`, `file.npz#key`, or `file.npz` holding exactly one array.
    func load(_ reference: String, field: String) throws -> NDArray {
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
        lock.lock()
        let cached = archives[path]
        lock.unlock()
        if let cached { return cached }
        let arrays = try NDArray.loadNPZ(from: path)
        lock.lock()
        archives[path] = arrays
        lock.unlock()
        return arrays
    }
}

extension CodingUserInfoKey {
    /// The ``_ArrayFileResolver`` a sample's array file references go through.
    static let _dataSampleArrayResolver: CodingUserInfoKey = {
        guard let key = CodingUserInfoKey(rawValue: "Visualization.DataSample.arrayResolver") else {
            preconditionFailure("a non-empty user-info key")
        }
        return key
    }()
}
