import Model
import Testing

@Suite("ManualTimeSource")
struct ManualTimeSourceTests {
    @Test("stands still until advanced, then moves by exactly the duration")
    func advance() {
        let clock = ManualTimeSource(Timestamp(unixMilliseconds: 1_000))
        #expect(clock.now() == Timestamp(unixMilliseconds: 1_000))
        #expect(clock.now() == Timestamp(unixMilliseconds: 1_000))
        clock.advance(by: .seconds(90))
        #expect(clock.now() == Timestamp(unixMilliseconds: 91_000))
        clock.advance(by: .milliseconds(-500))
        #expect(clock.now() == Timestamp(unixMilliseconds: 90_500))
    }

    @Test("can be set to any instant, including backwards")
    func set() {
        let clock = ManualTimeSource(Timestamp(unixMilliseconds: 5_000))
        clock.set(Timestamp(unixMilliseconds: 2_000))
        #expect(clock.now() == Timestamp(unixMilliseconds: 2_000))
    }

    @Test("advances from many tasks at once lose no time")
    func concurrentAdvances() async {
        let clock = ManualTimeSource(Timestamp(unixMilliseconds: 0))
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask { clock.advance(by: .milliseconds(1)) }
            }
        }
        #expect(clock.now() == Timestamp(unixMilliseconds: 200))
    }

    @Test("is usable wherever a TimeSource is injected")
    func injection() {
        let clock: any TimeSource = ManualTimeSource(Timestamp(unixMilliseconds: 42))
        #expect(clock.now().unixMilliseconds == 42)
        #expect(SystemTimeSource().now() > Timestamp(unixMilliseconds: 1_700_000_000_000))
    }
}
