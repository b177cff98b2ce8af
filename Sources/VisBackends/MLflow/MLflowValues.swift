import Foundation
import OrderedCollections

/// How values become MLflow params, tags and metric lines: MMEngine's config flattening, Python's `str()` of
/// the flattened values (what `mlflow.log_params` stores), MLflow's name rules and length limits.
enum _MLflowValues {
    /// The longest param value MLflow stores; longer values are cut to this many characters, as MLflow's client
    /// does (with a warning).
    static let maximumParamValueLength = 6000
    /// The longest tag value MLflow stores.
    static let maximumTagValueLength = 8000
    /// The longest metric, param or tag name.
    static let maximumKeyLength = 250

    /// The params MMEngine's `add_config` logs: the whole config flattened, or only the `trackedKeys` entries
    /// (each flattened under its own name).
    ///
    /// Flattening joins nested dictionary keys with `.`; a list that holds a dictionary is expanded element by
    /// element (`pipeline.0.type`), and then every element must be a dictionary (MMEngine fails otherwise); other
    /// lists stay one value; an empty dictionary vanishes.
    ///
    /// - Throws: ``VisBackendError/configValue(key:expected:actual:)`` for a tracked key the config lacks or a
    ///   list that mixes dictionaries with other values.
    static func params(of config: Config, trackedKeys: [String]?) throws(VisBackendError) -> OrderedDictionary<
        String, String
    > {
        var selected = config
        if let trackedKeys {
            var values = OrderedDictionary<String, ConfigValue>()
            for key in trackedKeys {
                guard let value = config.values[key] else {
                    throw .configValue(
                        key: "tracked_config_keys", expected: "top-level keys of the config",
                        actual: "\(key.debugDescription), which the config does not have")
                }
                values[key] = value
            }
            selected = Config(values, sourceFormat: config.sourceFormat)
        }
        try rejectMixedLists(selected.root, path: "")
        var params = OrderedDictionary<String, String>()
        for (key, value) in selected.flattened() { params[key] = pythonString(value) }
        return params
    }

    private static func rejectMixedLists(_ value: ConfigValue, path: String) throws(VisBackendError) {
        switch value {
        case .dictionary(let entries):
            for (key, child) in entries { try rejectMixedLists(child, path: path.isEmpty ? key : path + "." + key) }
        case .array(let elements) where elements.contains(where: { $0.dictionaryValue != nil }):
            for (index, element) in elements.enumerated() {
                let elementPath = path + "." + String(index)
                guard element.dictionaryValue != nil else {
                    throw .configValue(
                        key: elementPath,
                        expected: "a dictionary (a list that holds dictionaries is flattened element by element)",
                        actual: element.kindDescription)
                }
                try rejectMixedLists(element, path: elementPath)
            }
        default:
            break
        }
    }

    /// The text Python's `str()` gives the value after loading it from JSON or YAML: strings as they are,
    /// `True`/`False`/`None`, floats in `repr` form, lists and dictionaries with their elements in `repr` form.
    static func pythonString(_ value: ConfigValue) -> String {
        if case .string(let text) = value { return text }
        return pythonRepr(value)
    }

    static func pythonRepr(_ value: ConfigValue) -> String {
        switch value {
        case .null: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .double(let number): return pythonFloat(number)
        case .string(let text): return pythonStringRepr(text)
        case .array(let elements): return "[" + elements.map(pythonRepr).joined(separator: ", ") + "]"
        case .dictionary(let entries):
            return "{" + entries.map { pythonStringRepr($0.key) + ": " + pythonRepr($0.value) }.joined(separator: ", ")
                + "}"
        }
    }

    /// Python's `repr` of a float (`0.01`, `1e-05`, `100.0`, `nan`, `inf`).
    static func pythonFloat(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return JSONText.number(number)
    }

    /// Python's `repr` of a string: single quotes unless the text holds a single quote and no double quote.
    static func pythonStringRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var output = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if Character(scalar) == quote {
                    output += "\\" + String(quote)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    output += String(format: "\\x%02x", scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append(quote)
        return output
    }

    /// `text` cut to `limit` characters (Unicode scalars, as Python counts them).
    static func truncated(_ text: String, limit: Int) -> String? {
        guard text.unicodeScalars.count > limit else { return nil }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text.unicodeScalars.prefix(limit))
        return String(view)
    }

    /// Checks a metric, param or tag name as MLflow does: letters, digits, `_ - . : /` and spaces, at most 250
    /// characters, and a path that is already normal (no `..`, `//`, leading or trailing `/`, `.` components).
    ///
    /// - Throws: ``VisBackendError/invalidArgument(argument:expected:actual:)`` naming the key.
    static func validateKey(_ key: String, kind: String) throws(VisBackendError) {
        let allowed = key.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType == .decimal || "_-.: /".unicodeScalars.contains(scalar)
        }
        let components = key.split(separator: "/", omittingEmptySubsequences: false)
        let normal = !key.isEmpty && components.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
        guard allowed, normal, key.unicodeScalars.count <= maximumKeyLength else {
            throw .invalidArgument(
                argument: "\(kind) \(key.debugDescription)",
                expected: "an MLflow name: at most \(maximumKeyLength) letters, digits, spaces and `_ - . : /`, "
                    + "a relative path without empty, `.` or `..` components",
                actual: key.debugDescription)
        }
    }
}
