/// Decoding of stream replies (`XREADGROUP`, `XAUTOCLAIM`, `XPENDING`) into entries.
enum StreamReplies {
    /// `[[id, [field, value, ...]], ...]` into entries; entries deleted while pending come back
    /// with a null field list and are dropped.
    static func entries(_ value: RedisValue, deliveries: (String) -> Int) -> [RawEntry] {
        guard let items = value.array else { return [] }
        var entries: [RawEntry] = []
        entries.reserveCapacity(items.count)
        for item in items {
            guard let pair = item.array, pair.count == 2, let id = pair[0].string, pair[1].array != nil else { continue }
            entries.append(RawEntry(id: id, fields: pair[1].fieldMap, deliveries: deliveries(id)))
        }
        return entries
    }

    /// `XREADGROUP` reply: `[[stream key, entries], ...]`, or null when the block timed out.
    static func readGroup(_ value: RedisValue) -> [(key: String, entries: [RawEntry])] {
        guard let streams = value.array else { return [] }
        return streams.compactMap { stream in
            guard let pair = stream.array, pair.count == 2, let key = pair[0].string else { return nil }
            return (key, entries(pair[1], deliveries: { _ in 1 }))
        }
    }

    /// Extended `XPENDING` reply: `[[id, consumer, idle ms, deliveries], ...]` as id -> deliveries.
    static func deliveryCounts(_ value: RedisValue) -> [String: Int] {
        var counts: [String: Int] = [:]
        for item in value.array ?? [] {
            guard let row = item.array, row.count == 4, let id = row[0].string, let count = row[3].int else { continue }
            counts[id] = Int(count)
        }
        return counts
    }
}
