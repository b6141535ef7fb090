namespace Bff.Sessions;

/// <summary>Where sessions are kept (<c>Bff:Storage</c>, plus <c>ConnectionStrings:Redis</c>).</summary>
public sealed class SessionStorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Bff:Storage";

    /// <summary>
    /// <see cref="SessionStorageKind.LiteDb"/> (one process) or <see cref="SessionStorageKind.Redis"/>
    /// (several instances; also puts the Data Protection key ring and the logout-token replay cache in
    /// Redis). Defaults to <see cref="SessionStorageKind.LiteDb"/>.
    /// </summary>
    public SessionStorageKind Sessions { get; set; } = SessionStorageKind.LiteDb;

    /// <summary>
    /// The prefix of every Redis key and channel the session storage, the refresh leases, the key ring and the replay
    /// cache use, so that several BFFs (or tests) can share one Redis. Defaults to <c>bff:</c>.
    /// </summary>
    public string RedisKeyPrefix { get; set; } = "bff:";
}

/// <summary>The session storages the BFF ships.</summary>
public enum SessionStorageKind
{
    /// <summary>The BFF's LiteDB file (<c>ConnectionStrings:Bff</c>).</summary>
    LiteDb,

    /// <summary>Redis (<c>ConnectionStrings:Redis</c>, a StackExchange.Redis configuration string).</summary>
    Redis,
}
