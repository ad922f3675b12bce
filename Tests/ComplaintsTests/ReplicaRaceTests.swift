import Logging
import Model
import ServiceLifecycle
import Streams
import Testing
import TestSupport
@testable import Complaints

@Suite("Three replicas racing on the same due timers", .timeLimit(.minutes(3)))
final class ReplicaRaceTests {
    @Test("three consumers and three timer releases emit exactly one warning and one breach per deadline and case")
    func race() async throws {
        let harness = try ComplaintsHarness(partitions: 2)
        try await harness.setUp()
        let cases = 40
        var caseIDs: [String] = []
        for index in 0..<cases {
            caseIDs.append(try await harness.submit("r\(index)", customer: "shopify:dev.myshopify.com:\(index % 7)"))
        }
        let runtime = harness.runtime
        var consumers: [any Service] = []
        for replica in 1...3 {
            var configuration = runtime.consumerConfiguration
            configuration.consumer = "replica-\(replica)"
            configuration.block = .milliseconds(50)
            configuration.batchSize = 8
            consumers.append(StreamConsumer(
                redis: runtime.redis, configuration: configuration, handler: harness.service.handler,
                clock: harness.clock, logger: harness.logger))
            consumers.append(TimerRelease(
                schedule: runtime.timerSchedule, redis: runtime.redis, partitioning: runtime.partitioning,
                clock: harness.clock, interval: .milliseconds(5), batch: 3, logger: harness.logger))
        }
        let group = ServiceGroup(services: consumers, gracefulShutdownSignals: [], logger: harness.logger)

        func count(_ type: String) async throws -> [String: Int] {
            var counts: [String: Int] = [:]
            for envelope in try await harness.events() where envelope.type == type {
                let key: String
                switch type {
                case ComplaintSLAWarning.eventType:
                    let event = try envelope.decode(ComplaintSLAWarning.self)
                    key = "\(event.complaintID) \(event.which.rawValue)"
                case ComplaintSLABreached.eventType:
                    let event = try envelope.decode(ComplaintSLABreached.self)
                    key = "\(event.complaintID) \(event.which.rawValue)"
                default:
                    key = try envelope.decode(ComplaintOpened.self).complaintID
                }
                counts[key, default: 0] += 1
            }
            return counts
        }

        /// No timer left, and every input stream read and acknowledged by the group.
        func quiet() async throws -> Bool {
            for partition in harness.partitioning.all {
                guard try await runtime.redis.send(["ZCARD", Keyspace.timers(service: "complaints", partition)]).int == 0 else { return false }
                for input in runtime.inputs {
                    let groups = try await runtime.redis.send(["XINFO", "GROUPS", Keyspace.stream(input, partition)]).array ?? []
                    for group in groups.map(\.fieldMap) where group["name"] == "complaints" {
                        guard group["pending"] == "0", group["lag"] == "0" else { return false }
                    }
                }
            }
            return true
        }

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(try await eventually(timeout: .seconds(60)) { try await count(ComplaintOpened.eventType).count == cases })
            // Warning and breach of the first reply come due at the same instant for every case.
            harness.clock.advance(by: hours(30))
            #expect(try await eventually(timeout: .seconds(60)) {
                try await count(ComplaintSLABreached.eventType).count == cases
            })
            // Then both of the resolution deadline.
            harness.clock.advance(by: hours(200))
            #expect(try await eventually(timeout: .seconds(60)) {
                try await count(ComplaintSLABreached.eventType).count == 2 * cases
            })
            // Wait until every timer is released and every entry acknowledged: nothing more can appear.
            #expect(try await eventually(timeout: .seconds(30)) { try await quiet() })
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        let warnings = try await count(ComplaintSLAWarning.eventType)
        let breaches = try await count(ComplaintSLABreached.eventType)
        #expect(try await count(ComplaintOpened.eventType).values.allSatisfy { $0 == 1 })
        for caseID in caseIDs {
            for deadline in ["first_reply", "resolution"] {
                #expect(warnings["\(caseID) \(deadline)"] == 1)
                #expect(breaches["\(caseID) \(deadline)"] == 1)
            }
        }
        #expect(warnings.count == 2 * cases && breaches.count == 2 * cases)
        let escalations = try await harness.events(ComplaintEscalated.self)
        #expect(escalations.count == 2 * cases)
        for partition in harness.partitioning.all {
            #expect(try await runtime.redis.send(["ZCARD", Keyspace.timers(service: "complaints", partition)]).int == 0)
        }
    }
}
