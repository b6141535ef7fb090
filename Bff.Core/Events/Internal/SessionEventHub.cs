using System.Collections.Concurrent;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Events.Internal;

/// <summary>
/// This instance's open event streams, grouped by session (<see cref="SessionWatch"/>). Hears every
/// <see cref="SessionLifecycle.Ended"/> of this instance and tells the other instances over the
/// session storage's channel (<see cref="ISessionEndNotices"/>, Redis) and hears theirs, so a tab
/// learns why its session ended whichever instance ended it and whichever its stream is open on.
/// </summary>
internal sealed class SessionEventHub : IDisposable
{
    private readonly ConcurrentDictionary<string, SessionWatch> _watches = new(StringComparer.Ordinal);
    private readonly IInternalSessionStore _store;
    private readonly SessionLifecycle _lifecycle;
    private readonly ISessionEndNotices? _notices;
    private readonly IOptionsMonitor<BffEventsOptions> _options;
    private readonly IOptionsMonitor<BffSessionOptions> _sessionOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<SessionEventHub> _logger;
    private readonly CancellationTokenRegistration _stopping;
    private int _open;
    private bool _closed;

    public SessionEventHub(
        IInternalSessionStore store,
        ISessionStorage storage,
        SessionLifecycle lifecycle,
        IOptionsMonitor<BffEventsOptions> options,
        IOptionsMonitor<BffSessionOptions> sessionOptions,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<SessionEventHub> logger)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(lifetime);
        _store = store;
        _lifecycle = lifecycle;
        _options = options;
        _sessionOptions = sessionOptions;
        _time = time;
        _logger = logger;
        _notices = storage as ISessionEndNotices;
        lifecycle.Ended += OnEndedHere;
        _notices?.SubscribeEnded((publicId, reason) => Deliver(publicId, SessionEndReasonNames.FromWireName(reason)));

        // Kestrel waits for open requests when the app stops: end the streams first (the SPA reconnects
        // to another instance), so a shutdown is not held up by its open tabs.
        _stopping = lifetime.ApplicationStopping.Register(CloseAll);
    }

    internal TimeProvider Time => _time;

    internal BffEventsOptions Options => _options.CurrentValue;

    /// <summary>The number of open streams on this instance, for tests.</summary>
    internal int OpenStreams => Volatile.Read(ref _open);

    /// <summary>Opens a stream for the session, or says which limit refused it.</summary>
    public OpenResult TryOpen(string sessionKey, out SessionEventStream? stream)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        stream = null;
        var options = _options.CurrentValue;
        if (_closed)
        {
            return OpenResult.TooManyStreams;
        }

        if (Interlocked.Increment(ref _open) > options.MaxStreams)
        {
            Interlocked.Decrement(ref _open);
            return OpenResult.TooManyStreams;
        }

        var publicId = SessionPublicId.Of(sessionKey);
        while (true)
        {
            var watch = _watches.GetOrAdd(publicId, id => new SessionWatch(this, sessionKey, id));
            switch (watch.TryAdd(options.MaxStreamsPerSession, out stream))
            {
                case SessionWatch.AddResult.Added:
                    return OpenResult.Opened;
                case SessionWatch.AddResult.Full:
                    Interlocked.Decrement(ref _open);
                    return OpenResult.TooManyForSession;
                default:
                    // The watch ended while we looked it up: take it out and make a new one.
                    _watches.TryRemove(new KeyValuePair<string, SessionWatch>(publicId, watch));
                    break;
            }
        }
    }

    /// <summary>The endpoint's response ended (the tab went away): forget its stream.</summary>
    public void Close(SessionEventStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!_watches.TryGetValue(stream.PublicId, out var watch) || !watch.Remove(stream))
        {
            // Already ended with its session (and counted off then).
            return;
        }

        Interlocked.Decrement(ref _open);
        if (watch.TryRetire())
        {
            _watches.TryRemove(new KeyValuePair<string, SessionWatch>(stream.PublicId, watch));
        }
    }

    /// <summary>Reads the session for a watch; <see langword="null"/> when it is gone or expired.</summary>
    internal Task<ServerSession?> ReadAsync(string sessionKey) => _store.GetAsync(sessionKey, includeTokens: false, CancellationToken.None);

    /// <summary>A watch saw its session expire: that is an ending like any other, raised once here.</summary>
    internal void Expired(string sessionKey, SessionEndReason reason) => _lifecycle.SessionEnd(sessionKey, reason);

    /// <summary>A watch found its session gone without a notice (missed, or deleted underneath): end its streams here only.</summary>
    internal void Vanished(string publicId) => Deliver(publicId, SessionEndReason.Unknown);

    internal void WatchFailed(Exception exception) => _logger.SessionWatchFailed(exception);

    internal TimeSpan IdleTimeout => _sessionOptions.CurrentValue.IdleTimeout;

    private void OnEndedHere(SessionEnded ended)
    {
        Deliver(ended.PublicId, ended.Reason);
        if (_notices is not null)
        {
            _ = PublishAsync(ended);
        }
    }

    private async Task PublishAsync(SessionEnded ended)
    {
        try
        {
            await _notices!.PublishEndedAsync(ended.PublicId, ended.Reason.ToWireName()).ConfigureAwait(false);
        }
        catch (Exception ex) when (StorageOutage.Is(ex))
        {
            // Redis is down: other instances' streams find the session gone at their next heartbeat.
            _logger.SessionEndNotPublished(ex.GetType().Name);
        }
    }

    private void Deliver(string publicId, SessionEndReason reason)
    {
        if (_watches.TryRemove(publicId, out var watch))
        {
            Interlocked.Add(ref _open, -watch.End(SessionEventFrames.Ended(reason)));
        }
    }

    private void CloseAll()
    {
        _closed = true;
        foreach (var (publicId, watch) in _watches)
        {
            if (_watches.TryRemove(new KeyValuePair<string, SessionWatch>(publicId, watch)))
            {
                Interlocked.Add(ref _open, -watch.End(null));
            }
        }
    }

    public void Dispose()
    {
        _lifecycle.Ended -= OnEndedHere;
        _stopping.Dispose();
        CloseAll();
    }

    internal enum OpenResult
    {
        Opened,
        TooManyForSession,
        TooManyStreams,
    }
}
