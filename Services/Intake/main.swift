import ServiceSupport

// Intake consumes no stream: it only verifies, normalises and appends, so it has no handler.
await ServiceMain.run(.intake) { runtime in
    let routes = try IntakeRoutes(runtime: runtime)
    return ServiceMain.Parts(handler: nil, routes: routes.register(on:))
}
