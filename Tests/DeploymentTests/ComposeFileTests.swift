import Foundation
import Testing

/// Checks the deployment files without a Docker engine: `docker-compose config` validates and
/// resolves Compose/compose.yaml, Redis is configured as a database, and every script parses.
@Suite(.timeLimit(.minutes(1)))
struct ComposeFileTests {
    static let repoRoot = Deployment.repoRoot

    static let rapportServices: [(name: String, port: Int)] = [
        ("intake", 8080), ("classification", 8081), ("loyalty", 8082),
        ("complaints", 8083), ("notifications", 8084),
    ]
    static let consumerServices = ["classification", "loyalty", "complaints", "notifications"]

    /// A well-formed master key (base64 of 32 bytes) for the child environment only.
    static let testMasterKey = Data(repeating: 7, count: 32).base64EncodedString()

    @Test func composeFileResolvesWithReplicasHealthchecksAndPrivateRedis() async throws {
        let config = try await Self.composeConfig(masterKey: Self.testMasterKey)
        #expect(config.status == 0, "docker-compose config failed:\n\(config.stderr)")
        let services = Self.serviceBlocks(ofConfig: config.stdout)

        for name in ["redis"] + Self.rapportServices.map(\.name) {
            let present = services[name] != nil
            #expect(present, "service \(name) missing from compose.yaml; found \(services.keys.sorted())")
        }
        for name in Self.consumerServices {
            let twoReplicas = Self.trimmedLines(services[name] ?? "").contains("replicas: 2")
            #expect(twoReplicas, "\(name) should run 2 replicas (deploy.replicas)")
        }
        for (name, port) in Self.rapportServices {
            let block = services[name] ?? ""
            let lines = Self.trimmedLines(block)
            let hasHealthcheck = lines.contains("healthcheck:")
            let probesHealth = block.contains("http://127.0.0.1:\(port)/health")
            let listensOnPort = lines.contains("RAPPORT_HTTP_PORT: '\(port)'") || lines.contains("RAPPORT_HTTP_PORT: \"\(port)\"")
            let getsMasterKey = lines.contains("RAPPORT_MASTER_KEY: \(Self.testMasterKey)")
            let reachesRedis = lines.contains("RAPPORT_REDIS_URL: redis://redis:6379")
            let listensBeyondLoopback = lines.contains("RAPPORT_HTTP_HOST: 0.0.0.0")
            let restarts = lines.contains("restart: unless-stopped")
            let runsItsBinary = lines.contains("- rapport-\(name)")
            #expect(hasHealthcheck, "\(name) has no healthcheck")
            #expect(probesHealth, "\(name)'s healthcheck should probe http://127.0.0.1:\(port)/health")
            #expect(listensOnPort, "\(name) should get RAPPORT_HTTP_PORT \(port)")
            #expect(getsMasterKey, "\(name) does not get RAPPORT_MASTER_KEY")
            #expect(reachesRedis, "\(name) should reach Redis by its service name")
            #expect(listensBeyondLoopback, "\(name) must listen on 0.0.0.0 inside its container")
            #expect(restarts, "\(name) should restart unless stopped")
            #expect(runsItsBinary, "\(name) should run the rapport-\(name) binary")
        }
        let intake = services["intake"] ?? ""
        let intakePublished = intake.contains("target: 8080") || intake.contains("8080:8080")
        #expect(intakePublished, "intake should publish port 8080")

        let redis = services["redis"] ?? ""
        let redisLines = Self.trimmedLines(redis)
        let redisHealthcheck = redisLines.contains("healthcheck:")
        let redisPublished = redisLines.contains("ports:")
        let redisVolume = redis.contains("redis-data:/data")
        let redisConfigReadOnly = redis.contains("/usr/local/etc/redis/redis.conf:ro")
        #expect(redisHealthcheck, "redis has no healthcheck")
        #expect(!redisPublished, "Redis must not be published to the host (hiredis 0.14 has no TLS)")
        #expect(redisVolume, "Redis data should live in the redis-data volume")
        #expect(redisConfigReadOnly, "redis.conf should be mounted read-only")
    }

    @Test func composeRefusesToStartWithoutMasterKey() async throws {
        let config = try await Self.composeConfig(masterKey: nil)
        #expect(config.status != 0, "compose.yaml must require RAPPORT_MASTER_KEY")
        #expect(config.stderr.contains("RAPPORT_MASTER_KEY"), "the error should name RAPPORT_MASTER_KEY:\n\(config.stderr)")
    }

    @Test func redisIsConfiguredAsADatabase() throws {
        let text = try String(contentsOf: Self.repoRoot.appendingPathComponent("Compose/redis.conf"), encoding: .utf8)
        let directives = Self.trimmedLines(text).filter { !$0.hasPrefix("#") }
        for expected in [
            "appendonly yes", "appendfsync everysec", "aof-use-rdb-preamble yes",
            "save 900 1 300 10 60 10000", "dir /data", "maxmemory-policy noeviction",
        ] {
            let present = directives.contains(expected)
            #expect(present, "Compose/redis.conf lacks `\(expected)`")
        }
    }

    @Test func everyScriptParses() async throws {
        let scripts = Self.shellScripts()
        #expect(scripts.count >= 4, "expected the scripts in scripts/, Compose/ and .ci/run; found \(scripts)")
        for script in scripts {
            let result = try await Deployment.run("/bin/bash", ["-n", script.path])
            #expect(result.status == 0, "bash -n \(script.path) failed:\n\(result.stderr)")
        }
        // The README's two commands are run directly, so they must be executable.
        for command in ["Compose/run-local.sh", "scripts/test.sh", "scripts/send-test-webhook.sh", ".ci/run"] {
            let path = Self.repoRoot.appendingPathComponent(command).path
            let executable = FileManager.default.isExecutableFile(atPath: path)
            #expect(executable, "\(command) is not executable (chmod +x)")
        }
    }

    // MARK: - Helpers

    /// `docker-compose -f Compose/compose.yaml config`, ignoring any Compose/.env of the
    /// developer (an empty --env-file), with the master key set or removed.
    static func composeConfig(masterKey: String?) async throws -> Deployment.Output {
        let compose = try #require(
            Deployment.findExecutable("docker-compose"),
            "docker-compose is not installed: run scripts/test.sh, which installs it (Debian package docker-compose)"
        )
        let emptyEnvFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("rapport-empty-\(UUID().uuidString).env")
        try Data().write(to: emptyEnvFile)
        defer { try? FileManager.default.removeItem(at: emptyEnvFile) }

        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("RAPPORT_") || key == "REDIS_PASSWORD" {
            environment[key] = nil
        }
        environment["RAPPORT_MASTER_KEY"] = masterKey
        return try await Deployment.run(
            compose,
            ["--env-file", emptyEnvFile.path, "-f", "Compose/compose.yaml", "config"],
            environment: environment
        )
    }

    /// The text of each service under the top-level `services:` key of `config` output.
    static func serviceBlocks(ofConfig yaml: String) -> [String: String] {
        var blocks: [String: String] = [:]
        var inServices = false
        var current: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if let first = line.first, first != " " {
                inServices = line.trimmingCharacters(in: .whitespaces) == "services:"
                current = nil
            } else if inServices, line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") {
                let name = String(line.dropFirst(2).dropLast())
                current = name
                blocks[name] = ""
            } else if let name = current {
                blocks[name, default: ""] += line + "\n"
            }
        }
        return blocks
    }

    static func trimmedLines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Every *.sh under scripts/ and Compose/, and .ci/run.
    static func shellScripts() -> [URL] {
        var found: [URL] = []
        for folder in ["scripts", "Compose"] {
            let url = repoRoot.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in walker where file.pathExtension == "sh" {
                found.append(file)
            }
        }
        let ci = repoRoot.appendingPathComponent(".ci/run")
        if FileManager.default.fileExists(atPath: ci.path) {
            found.append(ci)
        }
        return found.sorted { $0.path < $1.path }
    }
}
