import Crypto
import Foundation
import Model
import Testing

@testable import Intake

/// Base64 HMAC-SHA256 of `message` under `secret`, as a platform computes it.
func sign(_ message: Data, secret: Data) -> String {
    Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))).base64EncodedString()
}

func sign(_ message: Data, secret: String) -> String {
    sign(message, secret: Data(secret.utf8))
}

@Suite("Body signatures of Shopify and WooCommerce")
struct BodySignatureTests {
    let body = Data(#"{"id":820982911946154508,"email":"jon@example.com","total_price":"199.00"}"#.utf8)

    @Test("a signature over the raw body with the configured secret verifies")
    func good() {
        let verifier = BodySignatureVerifier(secrets: ["shpss_current"])
        #expect(verifier.verify(body: body, signature: sign(body, secret: "shpss_current")))
    }

    @Test("a body changed by one byte does not verify")
    func tamperedBody() {
        let verifier = BodySignatureVerifier(secrets: ["shpss_current"])
        let signature = sign(body, secret: "shpss_current")
        var tampered = body
        tampered[tampered.count - 3] = UInt8(ascii: "8")
        #expect(!verifier.verify(body: tampered, signature: signature))
        // Re-serialised JSON (same meaning, other bytes) is a different body too.
        let reserialised = Data(#"{"id": 820982911946154508, "email": "jon@example.com", "total_price": "199.00"}"#.utf8)
        #expect(!verifier.verify(body: reserialised, signature: signature))
    }

    @Test("a changed, truncated, missing or non-base64 signature header does not verify")
    func tamperedHeader() throws {
        let verifier = BodySignatureVerifier(secrets: ["shpss_current"])
        let signature = sign(body, secret: "shpss_current")
        var mac = try #require(Data(base64Encoded: signature))
        mac[0] ^= 0x01
        #expect(!verifier.verify(body: body, signature: mac.base64EncodedString()))
        #expect(!verifier.verify(body: body, signature: mac.prefix(16).base64EncodedString()))
        #expect(!verifier.verify(body: body, signature: nil))
        #expect(!verifier.verify(body: body, signature: ""))
        #expect(!verifier.verify(body: body, signature: "not base64 at all!"))
    }

    @Test("a signature made with another secret does not verify, and no secret verifies nothing")
    func wrongSecret() {
        #expect(!BodySignatureVerifier(secrets: ["shpss_current"]).verify(body: body, signature: sign(body, secret: "shpss_other")))
        #expect(!BodySignatureVerifier(secrets: []).verify(body: body, signature: sign(body, secret: "")))
    }

    @Test("during a rotation both the old and the new secret verify, a retired one no longer")
    func rotation() {
        let rotating = BodySignatureVerifier(secrets: ["new-secret", "old-secret"])
        #expect(rotating.verify(body: body, signature: sign(body, secret: "old-secret")))
        #expect(rotating.verify(body: body, signature: sign(body, secret: "new-secret")))
        let rotated = BodySignatureVerifier(secrets: ["new-secret"])
        #expect(!rotated.verify(body: body, signature: sign(body, secret: "old-secret")))
    }
}

@Suite("Standard Webhooks signatures")
struct StandardWebhooksSignatureTests {
    // The example published with the Standard Webhooks specification.
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    static let timestamp = "1614265330"
    static let body = Data(#"{"test": 2432232314}"#.utf8)
    static let signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    static let sentAt = Timestamp(unixMilliseconds: 1_614_265_330_000)

    func verifier(secrets: [String] = [secret], at now: Timestamp = sentAt) throws -> StandardWebhooksVerifier {
        try StandardWebhooksVerifier(secrets: secrets, clock: ManualTimeSource(now))
    }

    @Test("the specification's published example verifies")
    func publishedExample() throws {
        let result = try verifier().verify(id: Self.id, timestamp: Self.timestamp, signature: Self.signature, body: Self.body)
        #expect(result == .success(.init(id: Self.id, timestamp: Self.sentAt)))
    }

    @Test("a secret whose base64 padding was dropped verifies like the padded one")
    func unpaddedSecret() throws {
        // Key bytes 0...31; signature of "msg_padding.1614265330.{"test": 1}" computed independently.
        let signature = "v1,8CVhiw41htB+PSjvVo8Q8oAXLnUloBUfl58xv/VYOsY="
        let body = Data(#"{"test": 1}"#.utf8)
        for secret in ["whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"] {
            let result = try verifier(secrets: [secret]).verify(id: "msg_padding", timestamp: Self.timestamp, signature: signature, body: body)
            #expect(result == .success(.init(id: "msg_padding", timestamp: Self.sentAt)))
        }
    }

    @Test("a changed body, id or timestamp breaks the signature")
    func tampered() throws {
        let verifier = try verifier()
        #expect(verifier.verify(id: Self.id, timestamp: Self.timestamp, signature: Self.signature, body: Data(#"{"test": 2432232315}"#.utf8)) == .failure(.badSignature))
        #expect(verifier.verify(id: "msg_other", timestamp: Self.timestamp, signature: Self.signature, body: Self.body) == .failure(.badSignature))
        #expect(verifier.verify(id: Self.id, timestamp: "1614265331", signature: Self.signature, body: Self.body) == .failure(.badSignature))
        // One character off the published value (`tQ` for `tm`), as a mistyped copy would be.
        #expect(verifier.verify(id: Self.id, timestamp: Self.timestamp, signature: "v1,g0hM9SsE+OTPJTGt/tQIKtSyZlE3uFJELVlNIOLJ1OE=", body: Self.body) == .failure(.badSignature))
    }

    @Test("a timestamp more than five minutes away from the clock is refused, even correctly signed")
    func tolerance() throws {
        let inside = Self.sentAt + .seconds(300)
        #expect(try verifier(at: inside).verify(id: Self.id, timestamp: Self.timestamp, signature: Self.signature, body: Self.body) == .success(.init(id: Self.id, timestamp: Self.sentAt)))
        #expect(try verifier(at: Self.sentAt - .seconds(300)).verify(id: Self.id, timestamp: Self.timestamp, signature: Self.signature, body: Self.body) == .success(.init(id: Self.id, timestamp: Self.sentAt)))
        for now in [Self.sentAt + .seconds(301), Self.sentAt - .seconds(301), Self.sentAt + .seconds(86400)] {
            #expect(try verifier(at: now).verify(id: Self.id, timestamp: Self.timestamp, signature: Self.signature, body: Self.body) == .failure(.outsideTolerance))
        }
        #expect(try verifier().verify(id: Self.id, timestamp: "16142653.30", signature: Self.signature, body: Self.body) == .failure(.badTimestamp))
    }

    @Test("one good signature among several in the header is enough; other versions are skipped")
    func multipleSignatures() throws {
        let verifier = try verifier()
        let header = "v1,Zm9yZ2VkIHNpZ25hdHVyZSBmb3IgdGVzdGluZyAhISEhIQ== v1a,c29tZXRoaW5nIGVsc2U= \(Self.signature)"
        #expect(verifier.verify(id: Self.id, timestamp: Self.timestamp, signature: header, body: Self.body) == .success(.init(id: Self.id, timestamp: Self.sentAt)))
        let allBad = "v1,Zm9yZ2VkIHNpZ25hdHVyZSBmb3IgdGVzdGluZyAhISEhIQ== v2,\(Self.signature.dropFirst(3))"
        #expect(verifier.verify(id: Self.id, timestamp: Self.timestamp, signature: allBad, body: Self.body) == .failure(.badSignature))
    }

    @Test("with rotated secrets, a delivery signed by either verifies")
    func rotation() throws {
        let newSecret = "whsec_" + Data(repeating: 42, count: 24).base64EncodedString()
        let verifier = try verifier(secrets: [newSecret, Self.secret])
        #expect(verifier.verify(id: Self.id, timestamp: Self.timestamp, signature: Self.signature, body: Self.body) == .success(.init(id: Self.id, timestamp: Self.sentAt)))
        let signedNew = "v1," + sign(Data("\(Self.id).\(Self.timestamp).".utf8) + Self.body, secret: Data(repeating: 42, count: 24))
        #expect(verifier.verify(id: Self.id, timestamp: Self.timestamp, signature: signedNew, body: Self.body) == .success(.init(id: Self.id, timestamp: Self.sentAt)))
        #expect(try self.verifier().verify(id: Self.id, timestamp: Self.timestamp, signature: signedNew, body: Self.body) == .failure(.badSignature))
    }

    @Test("missing headers are refused; a malformed secret stops start-up naming the variable, not the secret")
    func missingAndMalformed() throws {
        let verifier = try verifier()
        #expect(verifier.verify(id: nil, timestamp: Self.timestamp, signature: Self.signature, body: Self.body) == .failure(.missingHeaders))
        #expect(verifier.verify(id: Self.id, timestamp: nil, signature: Self.signature, body: Self.body) == .failure(.missingHeaders))
        #expect(verifier.verify(id: Self.id, timestamp: Self.timestamp, signature: " ", body: Self.body) == .failure(.missingHeaders))
        let error = #expect(throws: StandardWebhookSecretError.self) {
            try StandardWebhooksVerifier(secrets: [Self.secret, "whsec_%%%not-base64"], clock: ManualTimeSource(Self.sentAt))
        }
        #expect(error?.description.contains("RAPPORT_STANDARD_WEBHOOK_SECRETS") == true)
        #expect(error?.description.contains("number 2") == true)
        #expect(error?.description.contains("not-base64") == false)
    }
}

@Suite("Platform times")
struct PlatformTimeTests {
    @Test("ISO 8601 with offsets, UTC without a zone, and fractions are read exactly", arguments: [
        ("2021-12-31T19:00:00-05:00", Int64(1_640_995_200_000)),
        ("2022-01-01T00:00:00Z", 1_640_995_200_000),
        ("2017-03-22T19:28:08", 1_490_210_888_000),
        ("2022-11-03T20:26:10.344522Z", 1_667_507_170_344),
        ("2024-02-29T08:00:00+08:00", 1_709_164_800_000),
        ("2025-03-01T08:00:00.5+0000", 1_740_816_000_500),
    ])
    func parses(text: String, milliseconds: Int64) {
        #expect(PlatformTime.parse(text) == Timestamp(unixMilliseconds: milliseconds))
    }

    @Test("malformed times are refused", arguments: ["", "2021-12-31", "2021-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2021-12-31T19:00:00-05", "2021-12-31T19:00:00Zjunk", "yesterday"])
    func refuses(text: String) {
        #expect(PlatformTime.parse(text) == nil)
    }
}
