namespace Bff.Tokens.Internal;

/// <summary>
/// The coordinator of a single instance: the in-process single flight is already one refresh per
/// session, so every lease is granted at once and nobody ever waits.
/// </summary>
internal sealed class LocalRefreshCoordinator : IRefreshCoordinator
{
    public Task<IRefreshLease?> TryAcquireAsync(string sessionKey, CancellationToken cancellationToken = default) =>
        Task.FromResult<IRefreshLease?>(NoLease.Instance);

    public Task WaitForRefreshAsync(string sessionKey, TimeSpan upTo, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    private sealed class NoLease : IRefreshLease
    {
        public static readonly NoLease Instance = new();

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
