import Foundation
import OrderedCollections
import Yams

/// Reads and writes YAML config text through Yams (libyaml), keeping key order.
enum ConfigYAML {
    /// More nodes than this (after alias expansion, e.g. a "billion laughs" document) are rejected.
    static let maximumNodes = 10_000_000

    static func parse(_ text: String, source: String) throws -> ConfigValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw VisBackendError.corruptConfig(source: source, line: line(of: error, in: text), reason: reason(error))
        } catch {
            throw VisBackendError.corruptConfig(source: source, line: nil, reason: String(describing: error))
        }
        guard let node else { return .null }
        var budget = maximumNodes
        return try convert(node, source: source, depth: 0, budget: &budget)
    }

    static func dump(_ value: ConfigValue) throws -> String {
        do {
            return try Yams.serialize(node: try represent(value), indent: 2, width: -1, allowUnicode: true)
        } catch {
            throw VisBackendError.invalidArgument(
                argument: "config", expected: "a tree YAML can represent", actual: String(describing: error))
        }
    }

    private static func line(of error: YamlError, in text: String) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        case let .reader(_, offset, _, _):
            guard let offset else { return nil }
            return text.utf8.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        default:
            return nil
        }
    }

    private static func reason(_ error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _),
            let .composer(context, problem, _, _):
            return (context.map { "\($0.text) " } ?? "") + problem
        default:
            return String(describing: error)
        }
    }

    private static func convert(_ node: Node, source: String, depth: Int, budget: inout Int) throws -> ConfigValue {
        budget -= 1
        guard budget >= 0 else {
            throw VisBackendError.corruptConfig(
                source: source, line: node.mark?.line, reason: "more than \(maximumNodes) nodes (alias expansion?)")
        }
        guard depth < ConfigJSON.maximumDepth else {
            throw VisBackendError.corruptConfig(
                source: source, line: node.mark?.line, reason: "nesting deeper than \(ConfigJSON.maximumDepth) levels")
        }
        switch node {
        case .scalar(let scalar):
            // Tags are resolved by Yams's default (YAML 1.1 core) resolver; `Tag.name` is not public, its text is.
            switch node.tag.description {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(ConfigValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue:
                if let integer = node.int { return .int(integer) }
                return node.float.map(ConfigValue.double) ?? .string(scalar.string)
            case Tag.Name.float.rawValue: return node.float.map(ConfigValue.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            var elements: [ConfigValue] = []
            for element in sequence {
                elements.append(try convert(element, source: source, depth: depth + 1, budget: &budget))
            }
            return .array(elements)
        case .mapping(let mapping):
            var entries = OrderedDictionary<String, ConfigValue>()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw VisBackendError.corruptConfig(
                        source: source, line: key.mark?.line, reason: "a mapping key must be a scalar, not a collection")
                }
                entries[keyScalar.string] = try convert(value, source: source, depth: depth + 1, budget: &budget)
            }
            return .dictionary(entries)
        }
    }

    private static func represent(_ value: ConfigValue) throws -> Node {
        switch value {
        case .null: return .scalar(NSNull().represented())
        case .bool(let flag): return .scalar(flag.represented())
        case .int(let number): return .scalar(number.represented())
        case .double(let number): return .scalar(Node.Scalar(yamlText(number), Tag(.float)))
        case .string(let text): return .scalar(text.represented())
        case .array(let elements):
            return .sequence(Node.Sequence(try elements.map(represent)))
        case .dictionary(let entries):
            let pairs = try entries.map { (Node.scalar($0.key.represented()), try represent($0.value)) }
            return .mapping(Node.Mapping(pairs))
        }
    }

    /// A float as YAML 1.1 text that both Yams and PyYAML read back exactly: all round-trip digits (Yams's own
    /// representation keeps only 15) and a `.` in the mantissa (`1.0e-05`, which PyYAML requires).
    static func yamlText(_ value: Double) -> String {
        if value.isNaN { return ".nan" }
        if value.isInfinite { return value < 0 ? "-.inf" : ".inf" }
        let text = value.description
        guard let exponent = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text }
        let mantissa = text[..<exponent]
        return mantissa.contains(".") ? text : mantissa + ".0" + text[exponent...]
    }
}
