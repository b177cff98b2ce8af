import Foundation
import OrderedCollections
import VisCore

/// How often one backend failed in one way: the unit in which failures are reported.
///
/// A backend that cannot write (a read-only or vanished save directory, a full disk) fails on every call; the
/// first failure of each backend and kind is reported in full, later ones are only counted, and closing reports
/// the counts.
public struct BackendFailureCount: Sendable, Equatable, CustomStringConvertible {
    /// The backend's name (in a multiplexer) or label (of a background writer).
    public let backend: String
    /// The failure's kind: the ``VisBackendError`` case (`io`, `closed`, `encodingFailed`, …), or the type name of
    /// another error.
    public let kind: String
    /// How many failures of this backend and kind there were.
    public let count: Int
    /// The description of the first one.
    public let first: String

    public var description: String {
        "\(backend): \(count) \(kind) failure\(count == 1 ? "" : "s") (the first: \(first))"
    }
}

extension VisBackendError {
    /// The case name, as a failure kind.
    var _kind: String {
        switch self {
        case .invalidArgument: return "invalidArgument"
        case .pathEscapesSaveDir: return "pathEscapesSaveDir"
        case .closed: return "closed"
        case .io: return "io"
        case .corruptConfig: return "corruptConfig"
        case .configValue: return "configValue"
        case .duplicateBackendName: return "duplicateBackendName"
        case .missingSaveDir: return "missingSaveDir"
        case .unknownType: return "unknownType"
        case .encodingFailed: return "encodingFailed"
        case .backendsFailed: return "backendsFailed"
        }
    }
}

/// Counts failures per backend and kind, so that each is reported once and summarised at close.
final class _FailureTally: Sendable {
    private struct Key: Hashable {
        let backend: String
        let kind: String
    }

    private struct State {
        var counts: OrderedDictionary<Key, BackendFailureCount> = [:]
        var summarized = false
    }

    private let state = LockedValue(State())

    /// Counts one failure of `backend`; returns whether it is the first of its backend and kind (to report it).
    func record(backend: String, error: any Error) -> Bool {
        let kind = (error as? VisBackendError)?._kind ?? String(describing: type(of: error))
        let key = Key(backend: backend, kind: kind)
        return state.withLock { state in
            let previous = state.counts[key]
            state.counts[key] = BackendFailureCount(
                backend: backend, kind: kind, count: (previous?.count ?? 0) + 1,
                first: previous?.first ?? String(describing: error))
            return previous == nil
        }
    }

    /// The counts so far, in the order the kinds first failed.
    var all: [BackendFailureCount] { state.withLock { Array($0.counts.values) } }

    /// The summary of every count, the first time it is asked for after a failure; nil afterwards or when
    /// nothing failed.
    func takeSummary() -> String? {
        state.withLock { state in
            guard !state.summarized, !state.counts.isEmpty else { return nil }
            state.summarized = true
            return "failures while storing, by backend and kind: "
                + state.counts.values.map(\.description).joined(separator: "; ")
        }
    }
}
