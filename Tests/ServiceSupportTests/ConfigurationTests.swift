import Foundation
import Logging
import Streams
import Testing

@testable import ServiceSupport

@Suite("Configuration from RAPPORT_* variables")
struct ConfigurationTests {
    /// Runs `load` and returns the error it throws, so tests can check what it names.
    private func loadError(_ environment: [String: String], service: ServiceName = .intake) -> ConfigurationError? {
        do {
            _ = try RapportConfiguration.load(service: service, environment: environment)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test("an empty environment gives the documented defaults")
    func defaults() throws {
        let configuration = try RapportConfiguration.load(service: .loyalty, environment: [:])
        #expect(configuration.service == .loyalty)
        #expect(configuration.redis == RedisEndpoint(host: "127.0.0.1", port: 6379))
        #expect(configuration.httpHost == "127.0.0.1")
        #expect(configuration.httpPort == 8082)
        #expect(configuration.partitions == 4)
        #expect(configuration.shopifySecrets.isEmpty)
        #expect(configuration.wooCommerceSecrets.isEmpty)
        #expect(configuration.standardWebhookSecrets.isEmpty)
        #expect(configuration.adminToken == nil)
        #expect(configuration.masterKeyring == nil)
        #expect(configuration.maxDeliveries == 5)
        #expect(configuration.logFormat == .text)
        #expect(configuration.logLevel == .info)
        #expect(configuration.consumerName.hasSuffix("-\(ProcessInfo.processInfo.processIdentifier)"))
        #expect(configuration.rules.path == nil)
        #expect(configuration.rules.tokens.isEmpty)
    }

    @Test("each service has its own default port and executable name")
    func servicePorts() {
        #expect(ServiceName.allCases.map(\.defaultPort) == [8080, 8081, 8082, 8083, 8084])
        #expect(ServiceName.intake.executableName == "rapport-intake")
        #expect(ServiceName.notifications.executableName == "rapport-notifications")
    }

    @Test("every variable is read when set")
    func everything() throws {
        let configuration = try RapportConfiguration.load(service: .complaints, environment: [
            "RAPPORT_REDIS_URL": "redis://:pw@redis:6380/2",
            "RAPPORT_HTTP_HOST": "0.0.0.0",
            "RAPPORT_HTTP_PORT": "9000",
            "RAPPORT_PARTITIONS": "16",
            "RAPPORT_SHOPIFY_SECRETS": " new-secret , old-secret,, ",
            "RAPPORT_WOOCOMMERCE_SECRETS": "wc",
            "RAPPORT_STANDARD_WEBHOOK_SECRETS": "whsec_a,whsec_b",
            "RAPPORT_ADMIN_TOKEN": "local-admin",
            "RAPPORT_MAX_DELIVERIES": "3",
            "RAPPORT_CLAIM_IDLE_SECONDS": "40",
            "RAPPORT_LOG_FORMAT": "JSON",
            "RAPPORT_LOG_LEVEL": "debug",
            "RAPPORT_CONSUMER_NAME": "complaints-a",
            "RAPPORT_SOMETHING_NEW": "ignored",
        ])
        #expect(configuration.redis == RedisEndpoint(host: "redis", port: 6380, password: "pw", database: 2))
        #expect(configuration.httpHost == "0.0.0.0")
        #expect(configuration.httpPort == 9000)
        #expect(configuration.partitions == 16)
        #expect(configuration.shopifySecrets == ["new-secret", "old-secret"])
        #expect(configuration.wooCommerceSecrets == ["wc"])
        #expect(configuration.standardWebhookSecrets == ["whsec_a", "whsec_b"])
        #expect(configuration.adminToken == "local-admin")
        #expect(configuration.maxDeliveries == 3)
        #expect(configuration.claimIdleSeconds == 40)
        #expect(configuration.logFormat == .json)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.consumerName == "complaints-a")
    }

    @Test("blank values count as unset")
    func blankIsUnset() throws {
        let configuration = try RapportConfiguration.load(service: .intake, environment: [
            "RAPPORT_HTTP_PORT": "", "RAPPORT_ADMIN_TOKEN": "  ", "RAPPORT_SHOPIFY_SECRETS": "",
        ])
        #expect(configuration.httpPort == 8080)
        #expect(configuration.adminToken == nil)
        #expect(configuration.shopifySecrets.isEmpty)
    }

    @Test(
        "a bad value stops start-up with an error naming its variable and the accepted form",
        arguments: [
            ("RAPPORT_HTTP_PORT", "80a", "1 to 65535"),
            ("RAPPORT_HTTP_PORT", "0", "1 to 65535"),
            ("RAPPORT_HTTP_PORT", "70000", "1 to 65535"),
            ("RAPPORT_PARTITIONS", "0", "1 to 1024"),
            ("RAPPORT_PARTITIONS", "1025", "1 to 1024"),
            ("RAPPORT_PARTITIONS", "four", "1 to 1024"),
            ("RAPPORT_MAX_DELIVERIES", "0", "1 to 1000"),
            ("RAPPORT_MAX_DELIVERIES", "1001", "1 to 1000"),
            ("RAPPORT_CLAIM_IDLE_SECONDS", "0", "1 to 86400"),
            ("RAPPORT_LOG_FORMAT", "yaml", "text, json"),
            ("RAPPORT_LOG_LEVEL", "loud", "trace, debug, info"),
            ("RAPPORT_HTTP_HOST", "local host", "host name or IP address"),
            ("RAPPORT_REDIS_URL", "redis://localhost/99", "redis://[[user]:password@]host[:port][/db]"),
            ("RAPPORT_MASTER_KEY", "c2hvcnQ=", "exactly 32 bytes"),
            ("RAPPORT_MASTER_KEY", "not base64!", "exactly 32 bytes"),
        ]
    )
    func badValue(variable: String, value: String, acceptedForm: String) throws {
        let error = try #require(loadError([variable: value]))
        #expect(error.key == variable)
        #expect(error.description.hasPrefix("\(variable): "))
        #expect(error.description.contains(acceptedForm))
    }

    @Test("an out-of-range number is shown back, so the operator sees what was read")
    func showsNonSecretValue() throws {
        let error = try #require(loadError(["RAPPORT_PARTITIONS": "2048"]))
        #expect(error.description == "RAPPORT_PARTITIONS: expected a whole number from 1 to 1024, got \"2048\"")
    }

    @Test("a bad Redis URL error does not repeat the password")
    func redisErrorHidesPassword() throws {
        let error = try #require(loadError(["RAPPORT_REDIS_URL": "redis://:hunter2@localhost:99999"]))
        #expect(error.key == "RAPPORT_REDIS_URL")
        #expect(error.description.hasPrefix("RAPPORT_REDIS_URL: the port must be a number from 1 to 65535"))
        #expect(!error.description.contains("hunter2"))
    }

    @Test("the description masks every secret")
    func descriptionMasksSecrets() throws {
        let masterKey = MasterKey.generateBase64()
        let configuration = try RapportConfiguration.load(service: .intake, environment: [
            "RAPPORT_REDIS_URL": "redis://:hunter2@redis:6379",
            "RAPPORT_SHOPIFY_SECRETS": "shpss_topsecret",
            "RAPPORT_ADMIN_TOKEN": "admin-topsecret",
            "RAPPORT_MASTER_KEY": masterKey,
        ])
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, dumped] {
            #expect(!text.contains("hunter2"))
            #expect(!text.contains("topsecret"))
            #expect(!text.contains(masterKey))
        }
        #expect(configuration.description.contains("redis=redis://:***@redis:6379/0"))
        #expect(configuration.description.contains("master_keys=[k1 (current)]"))
    }
}

@Suite("Master keys from configuration")
struct MasterKeyConfigurationTests {
    @Test("the current key defaults to id k1 and retired keys are listed as id:base64")
    func keyring() throws {
        let configuration = try RapportConfiguration.load(service: .notifications, environment: [
            "RAPPORT_MASTER_KEY": MasterKey.generateBase64(),
            "RAPPORT_RETIRED_MASTER_KEYS": "k0:\(MasterKey.generateBase64()), old-2024:\(MasterKey.generateBase64())",
        ])
        let keyring = try MasterKeyring(configuration: configuration)
        #expect(keyring.current.id == "k1")
        #expect(keyring.retired.map(\.id) == ["k0", "old-2024"])
    }

    @Test("RAPPORT_MASTER_KEY_ID names the current key")
    func namedKey() throws {
        let configuration = try RapportConfiguration.load(service: .intake, environment: [
            "RAPPORT_MASTER_KEY": MasterKey.generateBase64(), "RAPPORT_MASTER_KEY_ID": "2025-06",
        ])
        #expect(configuration.masterKeyring?.current.id == "2025-06")
    }

    @Test("without RAPPORT_MASTER_KEY a keyring cannot be made, and the error says how to set one")
    func missingKey() throws {
        let configuration = try RapportConfiguration.load(service: .intake, environment: [:])
        #expect {
            try MasterKeyring(configuration: configuration)
        } throws: { error in
            "\(error)".contains("RAPPORT_MASTER_KEY is not set")
        }
    }

    @Test("retired keys without a current key, a bad retired entry or a reused id stop start-up")
    func inconsistentKeys() throws {
        let key = MasterKey.generateBase64()
        let cases: [([String: String], String)] = [
            (["RAPPORT_RETIRED_MASTER_KEYS": "k0:\(key)"], "RAPPORT_MASTER_KEY"),
            (["RAPPORT_MASTER_KEY": key, "RAPPORT_RETIRED_MASTER_KEYS": key], "RAPPORT_RETIRED_MASTER_KEYS"),
            (["RAPPORT_MASTER_KEY": key, "RAPPORT_RETIRED_MASTER_KEYS": "k1:\(MasterKey.generateBase64())"], "RAPPORT_RETIRED_MASTER_KEYS"),
            (["RAPPORT_MASTER_KEY": key, "RAPPORT_RETIRED_MASTER_KEYS": "k0:c2hvcnQ="], "RAPPORT_RETIRED_MASTER_KEYS"),
            (["RAPPORT_MASTER_KEY": key, "RAPPORT_MASTER_KEY_ID": "k:1"], "RAPPORT_MASTER_KEY_ID"),
        ]
        for (environment, variable) in cases {
            #expect {
                try RapportConfiguration.load(service: .intake, environment: environment)
            } throws: { error in
                let error = error as? ConfigurationError
                return error?.key == variable && error?.description.contains(key) == false
            }
        }
    }
}
