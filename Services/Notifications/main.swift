import ServiceSupport

await ServiceMain.run(.notifications) { _ in
    ServiceMain.Parts(handler: NotificationsHandler())
}
