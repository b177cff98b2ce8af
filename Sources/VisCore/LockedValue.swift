import Foundation

/// A value that several threads read and change, each access under one lock: the package's shared form of the
/// `NSLock` + `var` pair (the standard library's `Mutex` needs macOS 15).
///
/// ```swift
/// let counter = LockedValue(0)
/// let next = counter.withLock { value in value += 1; return value }
/// ```
package final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    /// A lock guarding `value`.
    package init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with exclusive access to the value and returns its result. `body` must not call `withLock`
    /// on the same instance (the lock is not recursive). Throws what `body` throws, keeping its error type.
    package func withLock<Result, Failure: Error>(
        _ body: (inout Value) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
