import Hummingbird
import Logging
import Model
import ServiceSupport

/// `POST /v1/complaints` (scope `complaints:submit`): a complaint becomes one
/// `complaint.submitted` event on the customer's partition, its text sealed.
struct ComplaintRoute: Sendable {
    static let source = "complaints"

    let desk: WebhookDesk

    func register(on router: Router<RapportRequestContext>) {
        router.group("/v1/complaints")
            .add(middleware: RequireScope<RapportRequestContext>(.complaintsSubmit))
            .post { request, context in
                try await handle(request, submitter: context.principal?.name ?? "unknown", logger: context.logger)
            }
    }

    func handle(_ request: Request, submitter: String, logger: Logger) async throws -> Response {
        try await desk.answer(source: Self.source, logger: logger) {
            let body = try await desk.readJSON(request, bucket: Self.source)
            let form = try PlatformJSON.decode(ComplaintForm.self, from: body)
            let now = desk.clock.now()
            let (customer, complaint) = try form.complaint(now: now)
            // Submitter and id name the complaint: two front ends may number theirs alike.
            let id = "complaint:\(submitter):\(complaint.complaintID)"
            let event = IntakeEvent(
                id: id, destination: .customer(customer), occurred: complaint.submittedAt, source: "intake", event: complaint)
            return try await desk.persist(.event(event), deliveryKey: id, correlation: id, logger: logger)
        }
    }
}
