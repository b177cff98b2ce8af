import Foundation
import Testing
import Visualization

/// Scalars logged from variables, as a training loop does: any `BinaryFloatingPoint` or `BinaryInteger`, single or
/// in dictionaries, through the visualizer and through a backend directly.
@Suite("Scalars from numeric variables")
struct NumericScalarTests {
    @Test("Double, Float, Int and other integer variables are stored with their kind")
    func singleValues() throws {
        let backend = InMemoryVisBackend()
        let visualizer = try Visualizer(name: "numeric-scalars", backends: [.backend(backend)], rank: 0)
        let loss = 0.25
        let lr: Float = 0.5
        let epoch = 3
        let iteration: UInt16 = 7
        visualizer.addScalar(name: "loss", value: loss, step: 1)
            .addScalar(name: "lr", value: lr, step: 1)
            .addScalar(name: "epoch", value: epoch)
            .addScalar(name: "iteration", value: iteration, step: 2)
        #expect(backend.scalars(named: "loss").map(\.value) == [.double(0.25)])
        #expect(backend.scalars(named: "loss").map(\.step) == [1])
        #expect(backend.scalars(named: "lr").map(\.value) == [.double(0.5)])
        #expect(backend.scalars(named: "epoch").map(\.value) == [.int(3)])
        #expect(backend.scalars(named: "iteration").map(\.value) == [.int(7)])
        // Literals still make a ScalarValue each, as before.
        visualizer.addScalar(name: "literal", value: 3).addScalar(name: "literal", value: 3.0, step: 1)
        #expect(backend.scalars(named: "literal").map(\.value) == [.int(3), .double(3)])
    }

    @Test("dictionaries of variables: ordered ones keep their order, plain ones are stored with sorted keys")
    func dictionaries() throws {
        let backend = InMemoryVisBackend()
        let visualizer = try Visualizer(name: "numeric-scalars-dict", backends: [.backend(backend)], rank: 0)
        let metrics: [String: Double] = ["top5": 0.9, "top1": 0.7, "loss": 1.25]
        let counts: OrderedDictionary<String, Int> = ["seen": 12, "dropped": 1]
        let floats: OrderedDictionary<String, Float> = ["b": 0.5, "a": 2]
        visualizer.addScalars(metrics, step: 3).addScalars(counts, step: 4).addScalars(floats, filePath: "f.json")
        let stored = backend.records.compactMap { record -> (ScalarDictionary, Int, String?)? in
            if case let .scalars(values, step, filePath) = record { return (values, step, filePath) }
            return nil
        }
        #expect(stored.count == 3)
        #expect(stored.first?.0 == ["loss": .double(1.25), "top1": .double(0.7), "top5": .double(0.9)])
        #expect(stored.first.map { Array($0.0.keys) } == ["loss", "top1", "top5"])
        #expect(stored.first?.1 == 3)
        #expect(stored.dropFirst().first?.0 == ["seen": .int(12), "dropped": .int(1)])
        #expect(stored.last?.0 == ["b": .double(0.5), "a": .double(2)])
        #expect(stored.last?.2 == "f.json")
        // A mixed literal keeps its integers.
        visualizer.addScalars(["epoch": 3, "loss": 0.25], step: 5)
        if case let .scalars(values, _, _)? = backend.records.last {
            #expect(values == ["epoch": .int(3), "loss": .double(0.25)])
        } else {
            Issue.record("no scalars record")
        }
    }

    @Test("backends take variables directly too")
    func backendOverloads() throws {
        let backend = InMemoryVisBackend()
        let accuracy: Float = 0.75
        let step = 9
        try backend.addScalar(name: "acc", value: accuracy, step: step)
        try backend.addScalar(name: "count", value: Int64(5))
        try backend.addScalars(["a": 1.5, "b": 2.5] as [String: Double], step: 2)
        try backend.addScalars(["n": 4] as OrderedDictionary<String, Int32>)
        #expect(backend.scalars(named: "acc").map(\.value) == [.double(0.75)])
        #expect(backend.scalars(named: "acc").map(\.step) == [9])
        #expect(backend.scalars(named: "count").map(\.value) == [.int(5)])
        #expect(backend.records.contains(.scalars(["a": .double(1.5), "b": .double(2.5)], step: 2, filePath: nil)))
        #expect(backend.records.contains(.scalars(["n": .int(4)], step: 0, filePath: nil)))
    }
}
