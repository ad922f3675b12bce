import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Notifications
import ServiceSupport
import Testing
import TestSupport

@Suite("Templates, quiet hours and signed unsubscribe links")
struct RenderingTests {
    @Test("templates render in English and Chinese, HTML escaped and text as written", arguments: ["en", "zh-CN"])
    func rendersBothLanguages(language: String) throws {
        let book = try TemplateBook(overrides: nil)
        let rendered = try book.render(
            purpose: "points_earned", language: language,
            variables: ["first_name": "<Ana>", "points": "120", "shop_name": "Snow"])
        #expect(rendered.language == language)
        #expect(rendered.text.contains("<Ana>"))
        #expect(rendered.text.contains("120"))
        #expect(rendered.html?.contains("&lt;Ana&gt;") == true)
        #expect(rendered.sms.contains("120"))
        if language == "en" {
            #expect(rendered.subject == "You earned 120 points")
        } else {
            #expect(rendered.subject == "您获得了120积分")
        }
    }

    @Test("every purpose has all four templates in both languages")
    func completeSet() throws {
        let book = try TemplateBook(overrides: nil)
        for purpose in ["birthday", "holiday", "revisit", "tier_up", "points_earned", "points_expiring", "complaint_opened",
                        "complaint_replied", "complaint_resolved", "complaint_follow_up", "retention_offer"] {
            #expect(book.has(purpose: purpose), "\(purpose)")
            let en = try book.render(purpose: purpose, language: "en", variables: [:])
            let zh = try book.render(purpose: purpose, language: "zh-CN", variables: [:])
            #expect(en.html != nil && zh.html != nil && !en.subject.isEmpty && en.text != zh.text)
        }
    }

    @Test("a shop's file with the same name overrides the built-in template")
    func shopOverride() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "Bonjour {{first_name}}".write(to: folder.appendingPathComponent("birthday.en.text.mustache"), atomically: true, encoding: .utf8)
        let book = try TemplateBook(overrides: folder.path)
        #expect(try book.render(purpose: "birthday", language: "en", variables: ["first_name": "Ana"]).text == "Bonjour Ana")
        #expect(try book.render(purpose: "birthday", language: "zh-CN", variables: ["first_name": "波"]).text.hasPrefix("波，生日快乐"))
    }

    @Test("quiet hours: 22:30 waits for 09:00 next morning, 03:00 for 09:00 the same day, 12:00 goes now")
    func quietHours() {
        let quiet = QuietHours(startMinute: 21 * 60, endMinute: 9 * 60)
        let shanghai = LocalCalendar(identifier: "Asia/Shanghai", fallback: "UTC")
        let day = LocalCalendar.LocalDate(year: 2026, month: 5, day: 16)
        let next = LocalCalendar.LocalDate(year: 2026, month: 5, day: 17)
        #expect(quiet.release(at: shanghai.instant(day, minute: 22 * 60 + 30), in: shanghai) == shanghai.instant(next, minute: 540))
        #expect(quiet.release(at: shanghai.instant(day, minute: 180), in: shanghai) == shanghai.instant(day, minute: 540))
        let noon = shanghai.instant(day, minute: 720)
        #expect(quiet.release(at: noon, in: shanghai) == noon)
    }

    @Test("an unsubscribe link verifies only unchanged and unexpired")
    func unsubscribeSignature() {
        let links = UnsubscribeLinks(key: SymmetricKey(data: Data(repeating: 1, count: 32)), baseURL: "https://care.snow.example/")
        let now = Timestamp(unixMilliseconds: 1_778_932_800_000)
        let url = links.url(customer: "shopify:snow.myshopify.com:1", channel: .email, expires: now + .seconds(3600))
        #expect(url.hasPrefix("https://care.snow.example/v1/unsubscribe?c=shopify%3Asnow.myshopify.com%3A1&ch=email&exp="))
        let query = Dictionary(uniqueKeysWithValues: url.split(separator: "?")[1].split(separator: "&").map {
            let pair = $0.split(separator: "=", maxSplits: 1)
            return (String(pair[0]), String(pair[1]))
        })
        let exp = Int64(query["exp"]!)!
        let sig = query["sig"]!
        #expect(links.verify(customer: "shopify:snow.myshopify.com:1", channel: "email", exp: exp, sig: sig, now: now))
        #expect(!links.verify(customer: "shopify:snow.myshopify.com:2", channel: "email", exp: exp, sig: sig, now: now))
        #expect(!links.verify(customer: "shopify:snow.myshopify.com:1", channel: "sms", exp: exp, sig: sig, now: now))
        #expect(!links.verify(customer: "shopify:snow.myshopify.com:1", channel: "email", exp: exp + 1, sig: sig, now: now))
        #expect(!links.verify(customer: "shopify:snow.myshopify.com:1", channel: "email", exp: exp, sig: sig, now: now + .seconds(7200)))
    }

    @Test("the unsubscribe route needs no token: a good link refuses marketing e-mail, a bad one answers 403")
    func unsubscribeRoute() async throws {
        let harness = try Harness(start: mayMorning, channels: [:])
        let customer = "shopify:snow.myshopify.com:1"
        let good = harness.app.links.url(customer: customer, channel: .email, expires: mayMorning + .seconds(3600))
        let path = String(good[try #require(good.range(of: "/v1/")).lowerBound...])
        let router = Router(context: RapportRequestContext.self)
        router.add(middleware: BearerAuthentication(authenticator: harness.runtime.authenticator))
        harness.app.registerRoutes(on: router)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: path.replacingOccurrences(of: "sig=", with: "sig=A"), method: .get) { response in
                #expect(response.status == .forbidden)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try await harness.contact(customer)?.preferences["email"]?["marketing"] == false)
    }

    @Test("Standard Webhooks signature matches the specification's example")
    func webhookSignature() throws {
        // The example of the Standard Webhooks specification.
        let signer = try #require(WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let body = Data(#"{"test": 2432232314}"#.utf8)
        #expect(signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body)
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }
}
