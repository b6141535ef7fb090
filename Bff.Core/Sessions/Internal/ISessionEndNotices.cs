namespace Bff.Sessions.Internal;

/// <summary>
/// Implemented by a session storage that several instances share (Redis): carries "session ended
/// (reason)" between instances on the same channel as its change notices, so that a tab whose event
/// stream is open on another instance hears why its session ended.
/// </summary>
internal interface ISessionEndNotices
{
    /// <summary>Tells the other instances that the session with this public id ended.</summary>
    Task PublishEndedAsync(string publicId, string reason);

    /// <summary>Calls <paramref name="ended"/> with the public id and reason of each session another instance ended.</summary>
    void SubscribeEnded(Action<string, string> ended);
}
