import Testing

@testable import Streams

@Suite("Redis endpoint from RAPPORT_REDIS_URL")
struct RedisEndpointTests {
    @Test("host alone gets the default port and database 0")
    func hostOnly() throws {
        let endpoint = try RedisEndpoint(url: "redis://redis.internal")
        #expect(endpoint == RedisEndpoint(host: "redis.internal", port: 6379, database: 0))
    }

    @Test("port and database index are read")
    func portAndDatabase() throws {
        let endpoint = try RedisEndpoint(url: "redis://10.0.0.5:6380/3")
        #expect(endpoint.host == "10.0.0.5")
        #expect(endpoint.port == 6380)
        #expect(endpoint.database == 3)
    }

    @Test("a password alone and a user with a password are read, percent-decoded")
    func credentials() throws {
        let passwordOnly = try RedisEndpoint(url: "redis://:s3cr%40t%3A%2F@localhost:6379")
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "s3cr@t:/")

        let withUser = try RedisEndpoint(url: "redis://rapport:hunter2@localhost/1")
        #expect(withUser.username == "rapport")
        #expect(withUser.password == "hunter2")
        #expect(withUser.database == 1)
    }

    @Test("an IPv6 host is written in brackets")
    func ipv6() throws {
        let withPort = try RedisEndpoint(url: "redis://[::1]:6390/2")
        #expect(withPort.host == "::1")
        #expect(withPort.port == 6390)
        #expect(withPort.database == 2)
        #expect(try RedisEndpoint(url: "redis://[fe80::1]").port == 6379)
        #expect(withPort.description == "redis://[::1]:6390/2")
    }

    @Test("description and dump show *** instead of the password")
    func redactedDescription() throws {
        let endpoint = try RedisEndpoint(url: "redis://:hunter2@localhost:6379/0")
        #expect(endpoint.description == "redis://:***@localhost:6379/0")
        var dumped = ""
        dump(endpoint, to: &dumped)
        #expect(!dumped.contains("hunter2"))
        #expect("\(endpoint)".contains("hunter2") == false)
    }

    @Test(
        "malformed URLs are refused with a message naming RAPPORT_REDIS_URL and the expected form",
        arguments: [
            "localhost:6379",
            "http://localhost",
            "rediss://localhost",
            "redis://",
            "redis://localhost:0",
            "redis://localhost:65536",
            "redis://localhost:port",
            "redis://localhost/16",
            "redis://localhost/-1",
            "redis://localhost/db",
            "redis://::1:6379",
            "redis://[::1",
            "redis://local host",
            "redis://localhost?timeout=5",
        ]
    )
    func malformed(url: String) {
        #expect {
            try RedisEndpoint(url: url)
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("RAPPORT_REDIS_URL: ") && message.contains("redis://[[user]:password@]host[:port][/db]")
        }
    }

    @Test("errors never repeat the password, even when the URL is mistyped")
    func errorsHideThePassword() {
        for url in ["redis://:hunter2@localhost:notaport", "redis://user:hunter2", "redis://rapport:hunter2@/0", "redis://:hun%zzter2@localhost"] {
            #expect {
                try RedisEndpoint(url: url)
            } throws: { error in
                !"\(error)".contains("hunter2") && !"\(error)".contains("hun%zz")
            }
        }
    }

    @Test("a user without a password is refused, since Redis ACL AUTH needs both")
    func userWithoutPassword() {
        #expect(throws: RedisEndpointError.self) { try RedisEndpoint(url: "redis://rapport@localhost") }
        #expect(throws: RedisEndpointError.self) { try RedisEndpoint(url: "redis://rapport:@localhost") }
    }
}
