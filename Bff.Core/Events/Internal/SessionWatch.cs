using Bff.Sessions;

namespace Bff.Events.Internal;

/// <summary>
/// The open streams of one session on this instance, and the one timer that serves them all: a
/// heartbeat every <see cref="BffEventsOptions.Heartbeat"/>, which also re-reads the session (from
/// memory when nothing changed), the <c>expiring</c> warning <see cref="BffEventsOptions.ExpiryWarning"/>
/// before the session's end, and the end itself at its expiry. The session's idle expiry moves
/// whenever another request renews it, so every firing reads it again rather than trusting a
/// schedule made earlier.
/// </summary>
internal sealed class SessionWatch
{
    // Fires a little after the expiry instant, so the read at that moment finds the session expired.
    private static readonly TimeSpan AfterExpiry = TimeSpan.FromMilliseconds(100);

    // A session used up to its absolute lifetime has its idle expiry capped at (or, by the cookie's own
    // clock, a moment before) the absolute one: within this, the absolute lifetime is what ended it.
    private static readonly TimeSpan SameMoment = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly List<SessionEventStream> _streams = [];
    private readonly SessionEventHub _hub;
    private readonly string _sessionKey;
    private readonly string _publicId;
    private readonly ITimer _timer;
    private DateTimeOffset? _warnedFor;
    private (DateTimeOffset At, bool Idle)? _lastSeenExpiry;
    private DateTimeOffset _absoluteExpiry = DateTimeOffset.MaxValue;
    private bool _ended;
    private int _checking;

    public SessionWatch(SessionEventHub hub, string sessionKey, string publicId)
    {
        _hub = hub;
        _sessionKey = sessionKey;
        _publicId = publicId;
        _timer = hub.Time.CreateTimer(_ => _ = CheckAsync(), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public enum AddResult
    {
        Added,
        Full,
        Ended,
    }

    public AddResult TryAdd(int max, out SessionEventStream? stream)
    {
        stream = null;
        lock (_gate)
        {
            if (_ended)
            {
                return AddResult.Ended;
            }

            if (_streams.Count >= max)
            {
                return AddResult.Full;
            }

            stream = new SessionEventStream(_publicId);
            _streams.Add(stream);
            if (_lastSeenExpiry is { } expiry)
            {
                // A late tab learns what the others know (the first check sends it to the first tab).
                var now = _hub.Time.GetUtcNow();
                stream.Write(_warnedFor is not null ? SessionEventFrames.Expiring(expiry.At, expiry.Idle, now) : SessionEventFrames.Session(expiry.At, expiry.Idle, now));
            }

            return AddResult.Added;
        }
    }

    public bool Remove(SessionEventStream stream)
    {
        lock (_gate)
        {
            return _streams.Remove(stream);
        }
    }

    /// <summary>Ends the watch when its last stream went; <see langword="true"/> when it did.</summary>
    public bool TryRetire()
    {
        lock (_gate)
        {
            if (_streams.Count > 0 || _ended)
            {
                return false;
            }

            _ended = true;
        }

        _timer.Dispose();
        return true;
    }

    /// <summary>Ends every stream with <paramref name="lastFrame"/> and stops the timer; returns how many streams there were.</summary>
    public int End(string? lastFrame)
    {
        SessionEventStream[] streams;
        lock (_gate)
        {
            if (_ended)
            {
                return 0;
            }

            _ended = true;
            streams = [.. _streams];
            _streams.Clear();
        }

        _timer.Dispose();
        foreach (var stream in streams)
        {
            stream.Complete(lastFrame);
        }

        return streams.Length;
    }

    private async Task CheckAsync()
    {
        // One check at a time: a slow storage read must not pile up firings.
        if (Interlocked.Exchange(ref _checking, 1) == 1)
        {
            return;
        }

        var options = _hub.Options;
        var next = options.Heartbeat;
        try
        {
            var session = await _hub.ReadAsync(_sessionKey).ConfigureAwait(false);
            var now = _hub.Time.GetUtcNow();
            if (session is null)
            {
                if (_lastSeenExpiry is { } last && last.At <= now)
                {
                    _hub.Expired(_sessionKey, _absoluteExpiry - SameMoment <= now ? SessionEndReason.AbsoluteTimeout : SessionEndReason.IdleTimeout);
                }
                else
                {
                    _hub.Vanished(_publicId);
                }

                return;
            }

            _absoluteExpiry = session.Expires;
            var idle = session.IdleExpires is { } idleExpires && idleExpires < session.Expires - SameMoment;
            var endsAt = idle ? session.IdleExpires!.Value : session.Expires;
            Broadcast(options, endsAt, idle, now);
            next = Schedule(options, endsAt, now);
        }
        catch (Exception ex)
        {
            // The storage is unreachable for now: keep the streams, try again at the next heartbeat.
            _hub.WatchFailed(ex);
        }
        finally
        {
            Volatile.Write(ref _checking, 0);
        }

        lock (_gate)
        {
            if (!_ended)
            {
                _timer.Change(next, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Sends what the streams need to hear now: the expiry, the warning, or a heartbeat.</summary>
    private void Broadcast(BffEventsOptions options, DateTimeOffset endsAt, bool idle, DateTimeOffset now)
    {
        string? frame;
        lock (_gate)
        {
            var first = _lastSeenExpiry is null;
            _lastSeenExpiry = (endsAt, idle);
            if (endsAt - now <= options.ExpiryWarning)
            {
                frame = _warnedFor == endsAt ? null : SessionEventFrames.Expiring(endsAt, idle, now);
                _warnedFor = endsAt;
            }
            else if (first || _warnedFor is not null)
            {
                // The first word on the stream, or the session was renewed after a warning: the new expiry.
                frame = SessionEventFrames.Session(endsAt, idle, now);
                _warnedFor = null;
            }
            else
            {
                frame = null;
            }

            foreach (var stream in _streams)
            {
                stream.Write(frame ?? SessionEventFrames.Heartbeat);
            }
        }
    }

    private static TimeSpan Schedule(BffEventsOptions options, DateTimeOffset endsAt, DateTimeOffset now)
    {
        var untilEnd = endsAt - now + AfterExpiry;
        var untilWarning = endsAt - options.ExpiryWarning - now;
        var next = options.Heartbeat;
        if (untilWarning > TimeSpan.Zero && untilWarning < next)
        {
            next = untilWarning;
        }

        if (untilEnd < next)
        {
            next = untilEnd;
        }

        return next < TimeSpan.Zero ? TimeSpan.Zero : next;
    }
}
