/// The summary entries of one row, some of which may be images resolved on the writer thread.
struct _WandbSummaryPlan: Sendable {
    var entries: [(String, _WandbRowValue)] = []

    /// The entries whose values are known, as JSON text.
    func resolved() -> [(String, String)] {
        entries.compactMap { entry in entry.1.jsonText.map { (entry.0, $0) } }
    }
}

/// The running aggregations of one metric for `define_metric` summaries.
///
/// Minimum, maximum and best keep the JSON text of the value they picked (so integers stay integers); NaN is
/// left out of min, max, best and mean, as a NaN would otherwise stick to all of them.
struct _WandbAggregate {
    private var first: String?
    private var last = "null"
    private var minimum: (value: Double, text: String)?
    private var maximum: (value: Double, text: String)?
    private var sum = 0.0
    private var count = 0

    mutating func add(_ text: String) {
        if first == nil { first = text }
        last = text
        guard let value = Double(text), !value.isNaN else { return }
        if minimum.map({ value < $0.value }) ?? true { minimum = (value, text) }
        if maximum.map({ value > $0.value }) ?? true { maximum = (value, text) }
        sum += value
        count += 1
    }

    /// The summary object, e.g. `{"min": 0.1, "max": 0.9}`, in W&B's field order.
    func summaryJSON(_ kinds: Set<WandbMetricSummary>, goal: WandbMetricGoal) -> String {
        var parts: [String] = []
        for kind in kinds.sorted() {
            let value: String?
            switch kind {
            case .min: value = minimum?.text
            case .max: value = maximum?.text
            case .mean: value = count > 0 ? JSONText.number(sum / Double(count)) : nil
            case .best: value = goal == .maximize ? maximum?.text : minimum?.text
            case .last: value = last
            case .first: value = first
            case .none: value = nil
            }
            if let value { parts.append("\"\(kind.name)\": \(value)") }
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}
