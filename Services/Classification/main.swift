import ServiceSupport

await ServiceMain.run(.classification, assemble: ClassificationService.assemble)
