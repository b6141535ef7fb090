using System.Text.Json.Serialization;

namespace Bff.Sessions.Internal;

/// <summary>
/// What a session says about its user and browser, protected as one payload: a storage keeps only
/// hashes of the session key, subject and sid (<see cref="SessionIndex"/>) and these bytes, which it
/// cannot read. The session key is here so that a session found by subject or sid can be named by its
/// key again (the storage knows only its hash).
/// </summary>
internal sealed record SessionDetails(
    [property: JsonPropertyName("sub")] string? Subject,
    [property: JsonPropertyName("sid")] string? SessionId,
    [property: JsonPropertyName("iss")] string? Issuer,
    [property: JsonPropertyName("ua")] string? UserAgent,
    [property: JsonPropertyName("ip")] string? IpAddress,
    [property: JsonPropertyName("key")] string? Key);
