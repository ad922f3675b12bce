import Model
import Streams

/// Applies the events complaints acts on. Types not listed in `handledTypes` are acknowledged
/// and counted as skipped by the consumer runtime.
struct ComplaintsHandler: EntryHandler {
    var handledTypes: Set<String> { [] }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {}
}
