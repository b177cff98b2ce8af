import Foundation
import Testing
import VisTestSupport
import Visualization

/// MMEngine's `ManagerMixin` behaviour (`test_manager.py`, `test_visualizer.py::test_get_instance`).
/// Instances are process-wide, so every test uses its own names.
@Suite(.serialized) struct VisualizerInstancesTests {
    func unique(_ label: String) -> String { "\(label)-\(UUID().uuidString)" }

    @Test func getInstanceCreatesOnceAndReturnsTheSameObject() throws {
        let name = unique("get")
        #expect(!Visualizer.instanceExists(name: name))
        let first = try Visualizer.getInstance(
            name: name, backends: [.backend(InMemoryVisBackend(), name: "mock1"), .backend(InMemoryVisBackend(), name: "mock2")])
        #expect(first.backends.count == 2)
        first.datasetMeta = ["kept": true]
        let second = try Visualizer.getInstance(name: name)
        #expect(second === first)
        #expect(second.datasetMeta == ["kept": true])
        #expect(Visualizer.instanceExists(name: name))
    }

    @Test func theLatestCreatedInstanceIsCurrentAndRegettingDoesNotReorder() throws {
        let a = try Visualizer.getInstance(name: unique("a"))
        #expect(Visualizer.currentInstance === a)
        let b = try Visualizer.getInstance(name: unique("b"))
        #expect(Visualizer.currentInstance === b)
        _ = try Visualizer.getInstance(name: a.name)
        #expect(Visualizer.currentInstance === b)
    }

    @Test func argumentsForAnExistingInstanceAreIgnoredWithAWarning() throws {
        let warnings = Recorder<String>()
        let name = unique("warn")
        let created = try Visualizer.getInstance(name: name) {
            try Visualizer(name: name, rank: 0, warningHandler: { warnings.append($0) })
        }
        let again = try Visualizer.getInstance(name: name, saveDir: "/tmp/ignored")
        #expect(again === created)
        #expect(again.saveDir == nil)
        #expect(warnings.values == ["Visualizer instance \(name) already exists; the arguments given are ignored"])
    }

    @Test func plainConstructionRegistersNothing() throws {
        let name = unique("plain")
        _ = try Visualizer(name: name, rank: 0)
        #expect(!Visualizer.instanceExists(name: name))
    }

    @Test func aFailedCreationRegistersNothing() throws {
        let name = unique("failed")
        #expect(throws: VisBackendError.self) {
            try Visualizer.getInstance(name: name, backends: [["type": "NoSuchBackend"]])
        }
        #expect(!Visualizer.instanceExists(name: name))
    }

    @Test func concurrentGetInstanceCallsShareOneInstance() throws {
        let name = unique("race")
        let identities = Recorder<ObjectIdentifier>()
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            if let instance = try? Visualizer.getInstance(name: name) { identities.append(ObjectIdentifier(instance)) }
        }
        #expect(identities.values.count == 16)
        #expect(Set(identities.values).count == 1)
    }
}

/// MMEngine's `VISUALIZERS` registry: building goes through `get_instance`, so it needs a name and makes the
/// result current.
@Suite(.serialized) struct VisualizerRegistryTests {
    @Test func buildingRegistersTheInstanceAndMakesItCurrent() throws {
        let name = "registry-\(UUID().uuidString)"
        let built = try VisualizerRegistry.shared.build(
            ["type": "Visualizer", "name": .string(name), "vis_backends": [["type": "InMemoryVisBackend"]]])
        #expect(Visualizer.instanceExists(name: name))
        #expect(Visualizer.currentInstance === built)
        #expect(built.backends.names == ["InMemoryVisBackend"])
        #expect(try VisualizerRegistry.shared.build(["type": "Visualizer", "name": .string(name)]) === built)
    }

    @Test func aNameIsRequiredAndUnknownTypesAreErrors() throws {
        #expect(throws: VisualizerError.configValue(
            key: "name", expected: "the instance name (visualizers are built through getInstance)", actual: "nothing")
        ) {
            try VisualizerRegistry.shared.build(["type": "Visualizer"])
        }
        #expect(throws: VisualizerError.unknownType(type: "DetLocalVisualizer", known: [])) {
            try VisualizerRegistry().build(["type": "DetLocalVisualizer", "name": "x"])
        }
    }

    @Test func usersRegisterTheirOwnTypes() throws {
        let registry = VisualizerRegistry()
        registry.register("TaskVisualizer") { config in
            let visualizer = try Visualizer(config: Config(config.values.filter { $0.key != "classes" }), rank: 0)
            visualizer.datasetMeta = ["classes": config.values["classes"] ?? nil]
            return visualizer
        }
        let name = "task-\(UUID().uuidString)"
        let built = try registry.build(["type": "TaskVisualizer", "name": .string(name), "classes": ["cat", "dog"]])
        #expect(built.datasetMeta == ["classes": ["cat", "dog"]])
        #expect(built.name == name)
        #expect(registry.typeNames == ["TaskVisualizer"])
    }
}
