import Foundation
import Testing

@testable import ServiceSupport

@Suite("Personal data protection")
struct ProtectionTests {
    private let customer = "shopify:snowdevil.myshopify.com:706405506930370084"

    private func keyring(_ id: String = "k1", retired: [MasterKey] = []) throws -> MasterKeyring {
        MasterKeyring(current: try MasterKey(id: id, base64: MasterKey.generateBase64()), retired: retired)
    }

    @Test("a sealed field opens with the same key, customer and field")
    func roundTrip() throws {
        let key = DataKey.generate()
        let sealed = try FieldSealer.seal("Ada Lovelace", field: "name", customer: customer, key: key)
        #expect(sealed.hasPrefix("s1:"))
        #expect(!sealed.contains("Ada"))
        #expect(try FieldSealer.open(sealed, field: "name", customer: customer, key: key) == "Ada Lovelace")
        #expect(try FieldSealer.open(FieldSealer.seal("", field: "phone", customer: customer, key: key), field: "phone", customer: customer, key: key) == "")
    }

    @Test("a sealed field moved to another customer or field does not open")
    func boundToCustomerAndField() throws {
        let key = DataKey.generate()
        let sealed = try FieldSealer.seal("ada@example.com", field: "email", customer: customer, key: key)
        #expect {
            try FieldSealer.open(sealed, field: "email", customer: "shopify:other:1", key: key)
        } throws: { error in
            "\(error)" == "the sealed value of field 'email' does not open with this data key: it belongs to another customer or field, or it was altered"
        }
        #expect(throws: ProtectionError.self) { try FieldSealer.open(sealed, field: "phone", customer: customer, key: key) }
        #expect(throws: ProtectionError.self) { try FieldSealer.open(sealed, field: "email", customer: customer, key: .generate()) }
    }

    @Test("a tampered or malformed sealed value fails without echoing it")
    func tampered() throws {
        let key = DataKey.generate()
        let sealed = try FieldSealer.seal("+44 20 7946 0000", field: "phone", customer: customer, key: key)
        var bytes = try #require(Data(base64Encoded: String(sealed.dropFirst(3))))
        bytes[bytes.count / 2] ^= 0x01
        let tampered = "s1:" + bytes.base64EncodedString()
        #expect(throws: ProtectionError.self) { try FieldSealer.open(tampered, field: "phone", customer: customer, key: key) }
        #expect {
            try FieldSealer.open("+44 20 7946 0000", field: "phone", customer: customer, key: key)
        } throws: { error in
            !"\(error)".contains("7946")
        }
        #expect(throws: ProtectionError.self) { try FieldSealer.open("s1:!!", field: "phone", customer: customer, key: key) }
    }

    @Test("a wrapped data key round-trips through its stored form and unwraps for its customer")
    func wrapRoundTrip() throws {
        let ring = try keyring()
        let key = DataKey.generate()
        let wrapped = try ring.wrap(key, customer: customer)
        #expect(wrapped.keyID == "k1")
        let stored = try WrappedDataKey(stringValue: wrapped.stringValue)
        #expect(stored == wrapped)
        #expect(wrapped.stringValue.hasPrefix("k1:"))
        let unwrapped = try ring.unwrap(stored, customer: customer)
        let sealed = try FieldSealer.seal("Ada", field: "name", customer: customer, key: key)
        #expect(try FieldSealer.open(sealed, field: "name", customer: customer, key: unwrapped) == "Ada")
    }

    @Test("a different key under the same id gives the message naming RAPPORT_MASTER_KEY")
    func wrongMasterKey() throws {
        let wrapped = try keyring().wrap(.generate(), customer: customer)
        #expect {
            try keyring().unwrap(wrapped, customer: customer)
        } throws: { error in
            "\(error)".hasPrefix("the master key 'k1' does not open this data key: RAPPORT_MASTER_KEY is not the key it was sealed with")
        }
        let ring = try keyring()
        let own = try ring.wrap(.generate(), customer: customer)
        #expect(throws: ProtectionError.self) { try ring.unwrap(own, customer: "shopify:other:1") }
    }

    @Test("a data key wrapped by an unconfigured master key names the missing id")
    func unknownMasterKey() throws {
        let wrapped = try keyring("k0").wrap(.generate(), customer: customer)
        #expect {
            try keyring("k1").unwrap(wrapped, customer: customer)
        } throws: { error in
            "\(error)" == "the data key was wrapped with master key 'k0', which is not configured: set RAPPORT_MASTER_KEY_ID/RAPPORT_MASTER_KEY or RAPPORT_RETIRED_MASTER_KEYS to include it"
        }
    }

    @Test("after a rotation the retired key still unwraps, and rewrap moves the data key to the current key")
    func rotation() throws {
        let old = try MasterKey(id: "k1", base64: MasterKey.generateBase64())
        let before = MasterKeyring(current: old)
        let dataKey = DataKey.generate()
        let wrapped = try before.wrap(dataKey, customer: customer)
        let sealed = try FieldSealer.seal("1990-04-01", field: "birthday", customer: customer, key: dataKey)

        let after = try keyring("k2", retired: [old])
        #expect(after.needsRewrap(wrapped))
        #expect(try FieldSealer.open(sealed, field: "birthday", customer: customer, key: after.unwrap(wrapped, customer: customer)) == "1990-04-01")

        let rewrapped = try after.rewrap(wrapped, customer: customer)
        #expect(rewrapped.keyID == "k2")
        #expect(!after.needsRewrap(rewrapped))
        #expect(try after.rewrap(rewrapped, customer: customer) == rewrapped)
        let withoutOld = MasterKeyring(current: after.current)
        #expect(try FieldSealer.open(sealed, field: "birthday", customer: customer, key: withoutOld.unwrap(rewrapped, customer: customer)) == "1990-04-01")
    }

    @Test("master keys must be 32 bytes of base64 with a plain id, and never print their bytes")
    func masterKeyForm() throws {
        #expect(throws: ProtectionError.self) { try MasterKey(id: "k1", base64: "c2hvcnQ=") }
        #expect(throws: ProtectionError.self) { try MasterKey(id: "k:1", base64: MasterKey.generateBase64()) }
        #expect(throws: ProtectionError.self) { try MasterKey(id: "", base64: MasterKey.generateBase64()) }
        let base64 = MasterKey.generateBase64()
        let key = try MasterKey(id: "k1", base64: base64)
        #expect(key.description == "MasterKey(k1)")
        var dumped = ""
        dump(key, to: &dumped)
        #expect(!dumped.contains(base64))
    }

    @Test("a stored wrapped key in the wrong form is refused")
    func badStoredForm() {
        for text in ["", "k1", "k1:", "k1:bm90IGEga2V5", ":AAAA", "k:1:AAAA"] {
            #expect(throws: ProtectionError.self) { try WrappedDataKey(stringValue: text) }
        }
    }
}
