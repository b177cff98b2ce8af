import Foundation
import VisCore

/// Why a ``ConfigValue`` tree did not decode into a type, and where: the key path of the value at fault
/// (`backends[1].init_kwargs.project`), what was expected there and what was found.
///
/// ```text
/// backends[1].init_kwargs.project: expected a string, found an integer
/// ops[0].op: missing; expected a drawing call name
/// vis_backends[0].typo: unknown key; expected one of type, name, save_dir
/// ```
public struct ConfigDecodingError: Error, Sendable, Hashable {
    /// The kinds of decoding failure.
    public enum Kind: Sendable, Hashable {
        /// A value of another kind was found (a number where a string was expected).
        case typeMismatch
        /// A required key is absent.
        case missing
        /// A value of the right kind is out of range or not among the accepted forms.
        case invalidValue
        /// A dictionary has a key the type does not know (a misspelt option).
        case unknownKey
    }

    /// One step of a key path: a dictionary key or an array index.
    public enum PathComponent: Sendable, Hashable, CustomStringConvertible {
        /// A dictionary key.
        case key(String)
        /// An array index.
        case index(Int)

        /// The component of a coding path (`intValue` keys are array indices).
        public init(_ key: any CodingKey) {
            if let index = key.intValue { self = .index(index) } else { self = .key(key.stringValue) }
        }

        /// `name` or `[2]`.
        public var description: String {
            switch self {
            case .key(let name): return name
            case .index(let index): return "[\(index)]"
            }
        }
    }

    /// What went wrong.
    public var kind: Kind
    /// Where, from the root of the decoded tree.
    public var path: [PathComponent]
    /// The accepted form (`"a string"`, `"a number in 0.0...1.0"`, `"one of type, name"`).
    public var expected: String
    /// What was there: a kind of value (`"an integer"`), the value itself (`"2"`), `"nothing"` for a missing
    /// key, `"an unknown key"` for an unknown one.
    public var actual: String

    /// Creates an error.
    public init(_ kind: Kind, path: [PathComponent], expected: String, actual: String) {
        self.kind = kind
        self.path = path
        self.expected = expected
        self.actual = actual
    }

    /// Creates an error at a coding path (what `Decodable` initialisers have at hand).
    public init(_ kind: Kind, codingPath: [any CodingKey], expected: String, actual: String) {
        self.init(kind, path: codingPath.map(PathComponent.init), expected: expected, actual: actual)
    }

    /// The key path as text: keys joined by dots, indices in brackets (`backends[1].init_kwargs.project`);
    /// `<root>` for the top level.
    public var keyPath: String { Self.keyPath(path) }

    /// A coding path as key path text (`pred_instances.bboxes[2]`; `<root>` when empty).
    public static func keyPath(of codingPath: [any CodingKey]) -> String {
        keyPath(codingPath.map(PathComponent.init))
    }

    private static func keyPath(_ path: [PathComponent]) -> String {
        var text = ""
        for component in path {
            switch component {
            case .key(let name): text += text.isEmpty ? name : "." + name
            case .index: text += component.description
            }
        }
        return text.isEmpty ? "<root>" : text
    }

    /// The message without the key path (`expected a string, found an integer`).
    public var message: String {
        switch kind {
        case .typeMismatch: return "expected \(expected), found \(actual)"
        case .missing: return "missing; expected \(expected)"
        case .invalidValue: return "expected \(expected), got \(actual)"
        case .unknownKey: return "unknown key; expected \(expected)"
        }
    }

    /// The error for `value` outside `range`: expecting `"a number in 0.0...1.0"` (`"an integer in 1...1000"` for
    /// integers) and naming the value as written (`written`, e.g. `2` for a config's integer read as a `Double`).
    public static func outOfRange<Value: Comparable & CustomStringConvertible>(
        _ value: Value, _ range: ClosedRange<Value>, path: [PathComponent], written: ConfigValue? = nil
    ) -> ConfigDecodingError {
        let kind = Value.self is any BinaryInteger.Type ? "an integer" : "a number"
        return ConfigDecodingError(
            .invalidValue, path: path, expected: "\(kind) in \(range.lowerBound)...\(range.upperBound)",
            actual: written?.description ?? value.description)
    }

    /// The same error with its path placed under `prefix` (`init_kwargs` + `project`).
    public func prefixed(by prefix: [PathComponent]) -> ConfigDecodingError {
        ConfigDecodingError(kind, path: prefix + path, expected: expected, actual: actual)
    }
}

extension ConfigDecodingError: CustomStringConvertible, LocalizedError {
    /// `key.path: message`.
    public var description: String { "\(keyPath): \(message)" }

    /// The same text as ``description``.
    public var errorDescription: String? { description }
}

extension ConfigDecodingError {
    /// The error a `DecodingError` thrown by some `Decodable` initialiser stands for (`Color` throws
    /// `DecodingError.dataCorrupted` with the parser's error inside); the path is the one the error carries.
    init(_ error: DecodingError) {
        switch error {
        case let .typeMismatch(type, context):
            self.init(.typeMismatch, codingPath: context.codingPath, expected: Self.expectation(context, type: type),
                actual: "another kind of value")
        case let .valueNotFound(type, context):
            self.init(
                .typeMismatch, codingPath: context.codingPath, expected: _ConfigValueDecoding.expectation(of: type),
                actual: "null")
        case let .keyNotFound(key, context):
            self.init(.missing, codingPath: context.codingPath + [key], expected: "a value", actual: "nothing")
        case let .dataCorrupted(context):
            if let (expected, actual) = Self.argumentError(context.underlyingError) {
                self.init(.invalidValue, codingPath: context.codingPath, expected: expected, actual: actual)
            } else {
                self.init(.invalidValue, codingPath: context.codingPath, expected: context.debugDescription,
                    actual: "another value")
            }
        @unknown default:
            self.init(.invalidValue, path: [], expected: "a decodable value", actual: "\(error)")
        }
    }

    private static func expectation(_ context: DecodingError.Context, type: Any.Type) -> String {
        let text = context.debugDescription
        return text.hasPrefix("expected ") ? String(text.dropFirst("expected ".count)) : "\(type)"
    }

    /// The expected and actual texts of the argument errors the library's parsers throw (`Color(parsing:)`).
    private static func argumentError(_ error: (any Error)?) -> (String, String)? {
        guard case let .invalidArgument(_, expected, actual)? = error as? VisCoreError else { return nil }
        return (expected, actual)
    }
}
