import ServiceSupport

await ServiceMain.run(.intake) { _ in
    ServiceMain.Parts(handler: nil)
}
