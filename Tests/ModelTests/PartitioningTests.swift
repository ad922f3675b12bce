import Testing

@testable import Model

@Suite("Partitioning")
struct PartitioningTests {
    // Expected values follow the FNV-1a reference definition, not this implementation.
    @Test(
        "hashes with FNV-1a 64-bit over UTF-8 bytes",
        arguments: [
            ("", UInt64(0xcbf2_9ce4_8422_2325)),
            ("a", 0xaf63_dc4c_8601_ec8c),
            ("foobar", 0x8594_4171_f739_67e8),
            ("shopify:snowdevil.myshopify.com:706405506930370084", 13_539_782_519_396_564_518),
        ])
    func fnv(text: String, expected: UInt64) {
        #expect(Partitioning.fnv1a64(text.utf8) == expected)
    }

    @Test(
        "puts a customer in the same partition in every process",
        arguments: [
            ("shopify:snowdevil.myshopify.com:706405506930370084", 4, 2),
            ("shopify:snowdevil.myshopify.com:706405506930370084", 7, 3),
            ("shopify:snowdevil.myshopify.com:706405506930370084", 1024, 550),
            ("woocommerce:shop.example.com:42", 4, 0),
            ("woocommerce:shop.example.com:42", 16, 4),
            ("standard:crm:c-1001", 4, 2),
            ("standard:crm:c-1001", 7, 5),
            ("shopify:snowdevil.myshopify.com:guest-5f4dcc3b", 16, 14),
            ("shopify:snowdevil.myshopify.com:706405506930370084", 1, 0),
        ])
    func stable(id: String, count: Int, expected: Int) throws {
        let partitioning = try Partitioning(count: count)
        #expect(partitioning.partition(ofCustomer: id) == Partition(expected))
        let customer = try CustomerID.parse(id)
        #expect(partitioning.partition(of: customer) == Partition(expected))
    }

    @Test("spreads 10,000 customers roughly evenly over 4 partitions")
    func distribution() throws {
        let partitioning = try Partitioning(count: 4)
        var counts = [Partition: Int]()
        for n in 0..<10_000 {
            let id = CustomerID(
                source: "shopify", store: "shop-\(n % 37).myshopify.com", externalID: String(n * 7_919 + 13))
            counts[partitioning.partition(of: id), default: 0] += 1
        }
        #expect(Set(counts.keys) == Set(partitioning.all))
        for (partition, count) in counts {
            #expect((2_250...2_750).contains(count), "\(partition) holds \(count) of 10,000")
        }
    }

    @Test("accepts 1 to 1024 partitions and explains anything else", arguments: [0, -1, 1025, Int.min])
    func countOutOfRange(count: Int) {
        let error = #expect(throws: PartitioningError.self) { try Partitioning(count: count) }
        #expect(error?.description.contains("partition count \(count) is outside 1...1024") == true)
    }

    @Test("lists every partition with its Redis Cluster hash tag")
    func all() throws {
        let partitioning = try Partitioning(count: 4)
        #expect(partitioning.all == [Partition(0), Partition(1), Partition(2), Partition(3)])
        #expect(partitioning.all.map(\.hashTag) == ["{p0}", "{p1}", "{p2}", "{p3}"])
        #expect(Partition(3).description == "p3")
        #expect(try Partitioning(count: 1024).all.count == 1024)
        #expect(Partition(1) < Partition(2))
    }
}
