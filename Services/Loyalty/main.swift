import ServiceSupport

await ServiceMain.run(.loyalty) { runtime in
    let loyalty = try Loyalty(runtime: runtime)
    if loyalty.keys == nil {
        runtime.logger.warning(
            "RAPPORT_MASTER_KEY is not set: birthday bonuses are off, because loyalty cannot open the sealed birthday")
    }
    return ServiceMain.Parts(
        handler: loyalty.handler, routes: loyalty.api.register(on:), services: [loyalty.makeRelay()])
}
