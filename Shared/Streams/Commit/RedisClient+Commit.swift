import Model

extension RedisClient {
    /// Decides and commits one change outside a consumer (an API call, a test): `decide` reads
    /// through the transaction and queues writes; if a watched key changed before `EXEC`, it is
    /// called again on fresh state. Returns what the accepted call of `decide` returned.
    public func commit<T: Sendable>(
        clock: any TimeSource, maxAttempts: Int = 64,
        _ decide: @escaping @Sendable (StateTransaction) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            for _ in 0..<maxAttempts {
                let transaction = StateTransaction(connection: connection, now: clock.now())
                let result: T
                do {
                    result = try decide(transaction)
                } catch {
                    _ = try? connection.send(["UNWATCH"])
                    throw error
                }
                if try transaction.execute() { return result }
            }
            throw CommitError.contended(attempts: maxAttempts)
        }
    }
}
