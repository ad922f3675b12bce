import ServiceSupport

await ServiceMain.run(.complaints) { runtime in
    let service = try ComplaintsService(runtime: runtime)
    return ServiceMain.Parts(handler: service.handler, routes: service.register(on:))
}
