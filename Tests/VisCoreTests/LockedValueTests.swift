import Foundation
import Testing
import VisCore

@Suite("LockedValue")
struct LockedValueTests {
    @Test("concurrent read-modify-writes are not lost, and withLock returns its body's result")
    func concurrentIncrements() {
        let counter = LockedValue(0)
        let seen = LockedValue<Set<Int>>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<2000 {
                let value = counter.withLock { value in
                    value += 1
                    return value
                }
                seen.withLock { _ = $0.insert(value) }
            }
        }
        #expect(counter.withLock { $0 } == 16000)
        // Each increment returned a distinct value: no two threads saw the same state.
        #expect(seen.withLock { $0.count } == 16000)
    }

    @Test("an error thrown by the body propagates and releases the lock")
    func throwingBody() {
        struct Failure: Error {}
        let value = LockedValue([1])
        #expect(throws: Failure.self) { try value.withLock { _ in throw Failure() } }
        #expect(value.withLock { $0 } == [1])
    }
}
