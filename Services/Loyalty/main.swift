import ServiceSupport

await ServiceMain.run(.loyalty) { _ in
    ServiceMain.Parts(handler: LoyaltyHandler())
}
