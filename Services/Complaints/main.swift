import ServiceSupport

await ServiceMain.run(.complaints) { _ in
    ServiceMain.Parts(handler: ComplaintsHandler())
}
