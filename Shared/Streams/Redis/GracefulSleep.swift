import ServiceLifecycle

/// Waits `duration`, returning early when a graceful shutdown begins, so a loop's pause never
/// delays a stop.
func pause(_ duration: Duration) async {
    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
}
