using System.Collections.Concurrent;

namespace Bff.Tokens.Internal;

/// <summary>
/// Runs at most one piece of work per key at a time in this process; callers that arrive while it
/// runs wait for the same result instead of starting their own.
/// </summary>
/// <remarks>
/// Important: this coordinates within one process only. Several BFF instances sharing sessions
/// would each refresh once; with refresh token rotation the loser then sees invalid_grant. Run one
/// instance per session store, or put a distributed lock in front of the refresh.
/// </remarks>
internal sealed class SingleFlight<TKey, TResult>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TResult>>> inFlight;

    public SingleFlight(IEqualityComparer<TKey>? comparer = null) =>
        inFlight = new ConcurrentDictionary<TKey, Lazy<Task<TResult>>>(comparer);

    /// <summary>The number of keys with work running, for tests.</summary>
    public int Count => inFlight.Count;

    /// <summary>
    /// Joins the work running for <paramref name="key"/>, or starts <paramref name="work"/> if none runs.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="work">The work to start when none runs.</param>
    /// <param name="joined">Called when this caller joined work already running (for the waiters metric).</param>
    public Task<TResult> RunAsync(TKey key, Func<Task<TResult>> work, Action? joined = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Approximate under a race (work ending this instant), which is all a metric needs.
        if (joined is not null && inFlight.ContainsKey(key))
        {
            joined();
        }

        // GetOrAdd may build several Lazy instances under a race, but only the stored one is ever
        // evaluated, and Lazy with ExecutionAndPublication starts the work exactly once. Task.Run
        // keeps the work itself out of Lazy's lock: the factory only schedules it.
        var lazy = inFlight.GetOrAdd(
            key,
            static (_, w) => new Lazy<Task<TResult>>(() => Task.Run(w), LazyThreadSafetyMode.ExecutionAndPublication),
            work);
        return AwaitAndForgetAsync(key, lazy);
    }

    private async Task<TResult> AwaitAndForgetAsync(TKey key, Lazy<Task<TResult>> lazy)
    {
        try
        {
            return await lazy.Value;
        }
        finally
        {
            // Remove exactly this flight (not a newer one for the same key); later callers start
            // afresh and see the stored result of this one.
            inFlight.TryRemove(new KeyValuePair<TKey, Lazy<Task<TResult>>>(key, lazy));
        }
    }
}
