import Foundation
import Testing

@Suite("OpenAPI documents", .timeLimit(.minutes(1)))
struct OpenAPIDocumentTests {
    static let services = ["Intake", "Classification", "Loyalty", "Complaints", "Notifications"]

    @Test("every service publishes a valid OpenAPI document with its health and metrics routes", arguments: services)
    func documentIsValid(service: String) async throws {
        let python = try Deployment.requireExecutable("python3", package: "python3")
        let path = "Services/\(service)/openapi.yaml"
        let document = try String(contentsOf: Deployment.repoRoot.appendingPathComponent(path), encoding: .utf8)
        #expect(document.contains("/health:"))
        #expect(document.contains("/metrics:"))
        let result = try await Deployment.run(python, [
            "-c",
            "import sys, yaml; from openapi_spec_validator import validate; validate(yaml.safe_load(open(sys.argv[1])))",
            path,
        ])
        #expect(
            result.status == 0,
            "\(path) is not a valid OpenAPI document (scripts/test.sh installs openapi-spec-validator): \(result.stderr)")
    }
}
