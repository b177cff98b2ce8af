import Foundation
import Logging
import VisBackends
import VisCore

/// Named process-wide instances (MMEngine's `ManagerMixin`): one visualizer per name, shared by the training
/// loop, hooks and task code without passing it around.
extension Visualizer {
    private final class InstanceTable: @unchecked Sendable {
        // Recursive: creating an instance may itself look up or create other instances.
        let lock = NSRecursiveLock()
        var instances: OrderedDictionary<String, Visualizer> = [:]
        let logger = Logger(label: "Visualization.Visualizer.instances")
    }

    private static let table = InstanceTable()

    /// Returns the instance named `name`, creating it with `create` when there is none. Thread-safe: two threads
    /// asking for one new name get the same instance.
    ///
    /// - Throws: What `create` throws; nothing is registered then.
    public static func getInstance(name: String, create: () throws -> Visualizer) rethrows -> Visualizer {
        table.lock.lock()
        defer { table.lock.unlock() }
        if let existing = table.instances[name] { return existing }
        let created = try create()
        table.instances[name] = created
        return created
    }

    /// Returns the instance named `name`, creating it from the other arguments when there is none. When it exists
    /// and arguments are given, they are ignored with a warning (as in MMEngine).
    ///
    /// - Throws: The errors of ``init(name:image:backends:saveDir:rank:registry:logger:warningHandler:errorHandler:)``
    ///   when the instance is created.
    public static func getInstance(
        name: String, image: Image? = nil, backends: [VisBackendSpec]? = nil, saveDir: String? = nil
    ) throws -> Visualizer {
        table.lock.lock()
        defer { table.lock.unlock() }
        if let existing = table.instances[name] {
            if image != nil || backends != nil || saveDir != nil {
                existing.warn("Visualizer instance \(name) already exists; the arguments given are ignored")
            }
            return existing
        }
        return try getInstance(name: name) {
            try Visualizer(name: name, image: image, backends: backends ?? [], saveDir: saveDir)
        }
    }

    /// The most recently created named instance, or `nil` when there is none (MMEngine raises instead).
    /// Looking up an existing name does not make it current.
    public static var currentInstance: Visualizer? {
        table.lock.lock()
        defer { table.lock.unlock() }
        return table.instances.values.last
    }

    /// Whether a named instance `name` exists (MMEngine's `check_instance_created`).
    public static func instanceExists(name: String) -> Bool {
        table.lock.lock()
        defer { table.lock.unlock() }
        return table.instances[name] != nil
    }
}
