import ServiceSupport

await ServiceMain.run(.notifications) { runtime in
    let app = try NotificationsApp(runtime: runtime)
    return ServiceMain.Parts(handler: app.handler, routes: app.registerRoutes, services: [app.worker])
}
