namespace Bff.Tokens;

/// <summary>
/// Makes sure one refresh per session runs across every BFF instance sharing the session store, on
/// top of the in-process single flight that already makes it one per instance.
/// </summary>
/// <remarks>
/// The default, for one instance, grants every lease at once. With Redis configured the lease is a
/// Redis key per session (<c>SET NX PX</c> with a random owner), renewed while the token endpoint
/// call runs and deleted only by its owner; instances that do not get it wait for the holder's
/// notice. The lease saves a refresh token from being redeemed twice; the session store's
/// compare-and-set on the session's version is what keeps a holder that lost its lease from
/// writing over newer tokens.
/// </remarks>
internal interface IRefreshCoordinator
{
    /// <summary>
    /// Takes the refresh lease of a session, or returns <see langword="null"/> when another instance
    /// holds it. Throws when the coordination store cannot be reached.
    /// </summary>
    /// <param name="sessionKey">The server-side session key.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    Task<IRefreshLease?> TryAcquireAsync(string sessionKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until the holder of the session's lease announces a refresh (or gives the lease up), or
    /// at most <paramref name="upTo"/>; the caller then reads the session again. Returning does not
    /// say the session changed.
    /// </summary>
    /// <param name="sessionKey">The server-side session key.</param>
    /// <param name="upTo">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    Task WaitForRefreshAsync(string sessionKey, TimeSpan upTo, CancellationToken cancellationToken = default);
}

/// <summary>
/// A held refresh lease. Disposing it releases the lease, if it is still this holder's, and wakes
/// the instances waiting for it, which then read the session again: dispose it after the new tokens
/// are written (or the refresh failed), never before.
/// </summary>
internal interface IRefreshLease : IAsyncDisposable
{
    /// <summary>
    /// Cancelled when the lease could not be renewed in time (the coordination store is unreachable
    /// or the lease ran out), so another instance may take it: stop the refresh if it can still be
    /// stopped.
    /// </summary>
    CancellationToken Lost { get; }
}
