import ServiceSupport

await ServiceMain.run(.classification) { _ in
    ServiceMain.Parts(handler: ClassificationHandler())
}
