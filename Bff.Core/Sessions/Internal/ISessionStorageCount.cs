namespace Bff.Sessions.Internal;

/// <summary>
/// Implemented by a session storage that can count its live sessions cheaply (LiteDB: one index
/// range); feeds the <c>bff.sessions.active</c> gauge. A storage without it reports no value.
/// </summary>
internal interface ISessionStorageCount
{
    /// <summary>The sessions whose idle and absolute expiry are both later than <paramref name="now"/>.</summary>
    long CountLive(DateTimeOffset now);
}
