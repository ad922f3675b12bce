import Foundation
import Model
@testable import Notifications
import NIOPosix
import Testing

/// Benchmark, not a test: run by Benchmarks/run-notifications.sh with RAPPORT_BENCH_NOTIFICATIONS=1.
/// Renders birthday e-mails and hands them over SMTP (libcurl, one connection per message as the
/// channel does in production) to a local aiosmtpd sink, with a few sends in flight.
@Suite("Notifications throughput benchmark", .enabled(if: ProcessInfo.processInfo.environment["RAPPORT_BENCH_NOTIFICATIONS"] == "1"))
struct SMTPThroughputBenchmark {
    @Test("messages rendered and handed to a local SMTP sink per second")
    func renderAndSend() async throws {
        let total = Int(ProcessInfo.processInfo.environment["RAPPORT_BENCH_MESSAGES"] ?? "") ?? 2000
        let inFlight = Int(ProcessInfo.processInfo.environment["RAPPORT_BENCH_IN_FLIGHT"] ?? "") ?? 8
        let sink = try HelperProcess(script: "smtp_sink.py", arguments: ["-"])
        let pool = NIOThreadPool(numberOfThreads: inFlight)
        pool.start()
        let channel = SMTPChannel(url: "smtp://127.0.0.1:\(sink.port)", from: "care@snow.example", username: nil, password: nil, threadPool: pool)
        let templates = try TemplateBook(overrides: nil)
        let start = ContinuousClock.now
        var renderTime: Duration = .zero
        try await withThrowingTaskGroup(of: Duration.self) { group in
            for index in 0..<total {
                if index >= inFlight { renderTime += try await group.next() ?? .zero }
                group.addTask {
                    let renderStart = ContinuousClock.now
                    let language = index % 2 == 0 ? "en" : "zh-CN"
                    let rendered = try templates.render(purpose: "birthday", language: language,
                                                        variables: ["first_name": "Customer \(index)", "shop_name": "Snow"])
                    let rendering = ContinuousClock.now - renderStart
                    _ = try await channel.send(RenderedMessage(
                        deliveryID: "0-\(index)", customer: "bench:snow:\(index)", purpose: "birthday", language: language,
                        channel: .email, recipient: "c\(index)@example.com", subject: rendered.subject, text: rendered.text,
                        html: rendered.html, sms: rendered.sms, unsubscribeURL: nil, sentAt: Timestamp(unixMilliseconds: 0)))
                    return rendering
                }
            }
            for try await rendering in group { renderTime += rendering }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let renderSeconds = Double(renderTime.components.seconds) + Double(renderTime.components.attoseconds) / 1e18
        print("BENCH notifications: \(total) messages rendered and sent over SMTP in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", Double(total) / seconds)) messages/s (\(inFlight) in flight); rendering alone \(String(format: "%.1f", renderSeconds / Double(total) * 1e6)) µs/message")
        try await pool.shutdownGracefully()
    }
}
