import Dispatch

/// Runs an action every `interval` seconds on a utility queue until cancelled: the periodic flush of the
/// buffering writers (TensorBoard, W&B), so that a crash loses at most one interval of data.
final class PeriodicTask: @unchecked Sendable {
    // DispatchSourceTimer is thread-safe for schedule/cancel; the class only owns it.
    private let source: DispatchSourceTimer

    /// Starts the timer; the first run is one interval from now. Intervals are capped at one day.
    init(interval: Double, action: @escaping @Sendable () -> Void) {
        source = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        let period = DispatchTimeInterval.nanoseconds(Int(min(max(interval, 0.001), 86_400) * 1e9))
        source.schedule(deadline: .now() + period, repeating: period, leeway: .milliseconds(10))
        source.setEventHandler(handler: action)
        source.resume()
    }

    /// Stops the timer; an action already running finishes.
    func cancel() {
        source.cancel()
    }

    deinit {
        source.cancel()
    }
}
