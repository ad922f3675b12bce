import Foundation
import Model
import Synchronization

/// The decoded quintiles of each partition, kept between entries: every entry reads the cuts
/// key, which changes once a day, and decoding it each time was a tenth of the work of an order.
/// Keyed by the stored text, so a new value is decoded as soon as it is read.
final class CutsCache: Sendable {
    private let entries = Mutex<[Int: (text: String, cuts: RFMCuts)]>([:])

    func cuts(partition: Int, text: String) throws -> RFMCuts {
        if let known = entries.withLock({ $0[partition] }), known.text == text { return known.cuts }
        let cuts = try JSONDocumentDecoder().decode(RFMCuts.self, from: text)
        entries.withLock { $0[partition] = (text, cuts) }
        return cuts
    }
}
