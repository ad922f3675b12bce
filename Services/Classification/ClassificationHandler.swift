import Model
import Streams

/// Applies the events classification acts on. Types not listed in `handledTypes` are acknowledged
/// and counted as skipped by the consumer runtime.
struct ClassificationHandler: EntryHandler {
    var handledTypes: Set<String> { [] }

    func apply(_ entry: ConsumedEntry, in transaction: StateTransaction) throws {}
}
