using System.Text.Json.Serialization;

namespace Bff.Sessions.Internal;

/// <summary>
/// What a session says about its user and browser, protected as one payload: a storage keeps only
/// hashes of the subject and sid (<see cref="SessionIndex"/>) and these bytes, which it cannot read.
/// </summary>
internal sealed record SessionDetails(
    [property: JsonPropertyName("sub")] string? Subject,
    [property: JsonPropertyName("sid")] string? SessionId,
    [property: JsonPropertyName("iss")] string? Issuer,
    [property: JsonPropertyName("ua")] string? UserAgent,
    [property: JsonPropertyName("ip")] string? IpAddress);
