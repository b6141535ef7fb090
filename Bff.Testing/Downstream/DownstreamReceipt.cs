using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bff.Testing;

/// <summary>
/// What the downstream test API (Bff.DevIdp's <c>DownstreamApiServer</c>: <c>GET /whoami</c>,
/// <c>/echo/**</c>) received, as it answers it: the caller the bearer token names, the token's audience,
/// scopes and lifetime, a fingerprint of the token (never the token), and the request's method, path,
/// query and header names (never their values). Read it from the answer the app's proxy passed on.
/// </summary>
public sealed record DownstreamReceipt
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The token's <c>preferred_username</c>.</summary>
    [JsonPropertyName("preferred_username")]
    public string? PreferredUsername { get; init; }

    /// <summary>The token's <c>sub</c>.</summary>
    [JsonPropertyName("sub")]
    public string? Subject { get; init; }

    /// <summary>The token's realm roles.</summary>
    [JsonPropertyName("roles")]
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The token's client roles, as <c>client:role</c>.</summary>
    [JsonPropertyName("client_roles")]
    public IReadOnlyList<string> ClientRoles { get; init; } = [];

    /// <summary>The token's audiences.</summary>
    [JsonPropertyName("audience")]
    public IReadOnlyList<string> Audience { get; init; } = [];

    /// <summary>The token's scopes.</summary>
    [JsonPropertyName("scope")]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The token's <c>iat</c> (Unix seconds).</summary>
    [JsonPropertyName("token_issued_at")]
    public long? TokenIssuedAt { get; init; }

    /// <summary>The token's <c>exp</c> (Unix seconds).</summary>
    [JsonPropertyName("token_expires_at")]
    public long? TokenExpiresAt { get; init; }

    /// <summary>The first 16 hex digits of the token's SHA-256: tells two tokens apart without showing either.</summary>
    [JsonPropertyName("token_fingerprint")]
    public string? TokenFingerprint { get; init; }

    /// <summary>The request's method.</summary>
    [JsonPropertyName("method")]
    public string? Method { get; init; }

    /// <summary>The request's path at the API.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    /// <summary>The request's query string (with its <c>?</c>), or empty.</summary>
    [JsonPropertyName("query")]
    public string? Query { get; init; }

    /// <summary>The names of the headers received, lower case.</summary>
    [JsonPropertyName("received_headers")]
    public IReadOnlyList<string> ReceivedHeaders { get; init; } = [];

    /// <summary>Parses the API's JSON answer.</summary>
    public static DownstreamReceipt Parse(string json) =>
        JsonSerializer.Deserialize<DownstreamReceipt>(json, Json) ?? throw new FormatException("The downstream API's answer is empty.");

    /// <summary>Reads the API's answer from a response (passed on by the app's proxy); throws with the body unless it is a success.</summary>
    public static async Task<DownstreamReceipt> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The downstream API answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        return Parse(body);
    }
}
