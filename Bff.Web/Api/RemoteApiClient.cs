using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bff.Tokens;
using Bff.Web.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Web.Api;

/// <summary>
/// Server-side calls to the remote API named <see cref="RemoteApiName"/>: the one the proxy serves at
/// <c>/api/remote/</c>, at the same <c>Bff:RemoteApis:Remote:Destination</c>, so pages and the SPA
/// reach one API with one setting. Every call carries the signed-in user's access token
/// (<c>AddUserAccessTokenHandler()</c>, refreshed when needed). When no token can be had the
/// handler's <see cref="UserAccessTokenUnavailableException"/> goes up to the page, where the BFF's
/// filter turns it into a login or a 503 page; failures of the API itself come back as a
/// <see cref="WhoAmIResult"/>.
/// </summary>
public sealed class RemoteApiClient(HttpClient http, ILogger<RemoteApiClient> logger)
{
    /// <summary>The name under <c>Bff:RemoteApis</c> of the API this client calls.</summary>
    public const string RemoteApiName = "Remote";

    /// <summary>
    /// How long a call may take, the token lookup included. Longer than the token service's own bound
    /// on a refresh (<c>Bff:TokenEndpointTimeout</c>, 10 s by default), so an identity provider that
    /// hangs shows as such (503) rather than as a slow API.
    /// </summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Whether <c>Bff:RemoteApis:Remote:Destination</c> is set.</summary>
    public static bool IsConfiguredIn(BffOptions options) => Destination(options) is not null;

    /// <summary>Registers the client: base address from the proxy's setting, the user's token on every call.</summary>
    public static IHttpClientBuilder Register(IServiceCollection services) =>
        services.AddHttpClient<RemoteApiClient>()
            .ConfigureHttpClient((sp, client) =>
            {
                client.Timeout = DefaultTimeout;
                if (Destination(sp.GetRequiredService<IOptions<BffOptions>>().Value) is { } destination)
                {
                    client.BaseAddress = destination;
                }
            })
            .AddUserAccessTokenHandler();

    /// <summary>
    /// <c>GET /whoami</c>: the API's view of the caller. Throws <see cref="UserAccessTokenUnavailableException"/>
    /// when no access token can be had; any failure of the API is a result, never an exception.
    /// </summary>
    public async Task<WhoAmIResult> GetWhoAmIAsync(CancellationToken cancellationToken)
    {
        if (http.BaseAddress is null)
        {
            return WhoAmIResult.Fail(RemoteFailure.NotConfigured);
        }

        try
        {
            using var response = await http.GetAsync(new Uri("whoami", UriKind.Relative), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var failure = response.StatusCode == HttpStatusCode.Forbidden ? RemoteFailure.Forbidden : RemoteFailure.ErrorStatus;
                WebLog.RemoteApiFailed(logger, failure, (int)response.StatusCode, null);
                return WhoAmIResult.Fail(failure, (int)response.StatusCode);
            }

            var answer = await response.Content.ReadFromJsonAsync<WhoAmI>(cancellationToken);
            if (answer is null)
            {
                WebLog.RemoteApiFailed(logger, RemoteFailure.InvalidAnswer, (int)response.StatusCode, null);
                return WhoAmIResult.Fail(RemoteFailure.InvalidAnswer, (int)response.StatusCode);
            }

            return new WhoAmIResult(answer);
        }
        catch (HttpRequestException ex)
        {
            // Refused, reset, DNS: the API is not there. The message names the address, never a header.
            WebLog.RemoteApiFailed(logger, RemoteFailure.Unreachable, null, ex);
            return WhoAmIResult.Fail(RemoteFailure.Unreachable);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            WebLog.RemoteApiFailed(logger, RemoteFailure.Timeout, null, ex);
            return WhoAmIResult.Fail(RemoteFailure.Timeout);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not JSON, or not the shape we read.
            WebLog.RemoteApiFailed(logger, RemoteFailure.InvalidAnswer, null, ex);
            return WhoAmIResult.Fail(RemoteFailure.InvalidAnswer);
        }
    }

    private static Uri? Destination(BffOptions options) =>
        options.RemoteApis.TryGetValue(RemoteApiName, out var api) && api.Destination is { IsAbsoluteUri: true } destination
            // A base address must end with '/' or its last segment is replaced by relative paths.
            ? destination.AbsoluteUri.EndsWith('/') ? destination : new Uri(destination.AbsoluteUri + "/")
            : null;
}

/// <summary>Why a call to the remote API failed.</summary>
public enum RemoteFailure
{
    /// <summary><c>Bff:RemoteApis:Remote:Destination</c> is not set.</summary>
    NotConfigured,

    /// <summary>The API could not be reached (refused, reset, name not found).</summary>
    Unreachable,

    /// <summary>The API did not answer in time.</summary>
    Timeout,

    /// <summary>The API answered 403: the user may not do this there.</summary>
    Forbidden,

    /// <summary>The API answered another error status (5xx, or a 4xx the BFF cannot fix, such as a second 401).</summary>
    ErrorStatus,

    /// <summary>The API answered 2xx with a body that is not the expected JSON.</summary>
    InvalidAnswer,
}

/// <summary>The outcome of <c>GET /whoami</c>: the answer, or why not (and the API's status, when it answered).</summary>
public sealed record WhoAmIResult(WhoAmI? Answer, RemoteFailure? Failure = null, int? StatusCode = null)
{
    /// <summary>A failed call.</summary>
    public static WhoAmIResult Fail(RemoteFailure failure, int? statusCode = null) => new(null, failure, statusCode);
}

/// <summary>The downstream test API's <c>GET /whoami</c> answer: what it saw of the caller (never the token).</summary>
public sealed record WhoAmI
{
    [JsonPropertyName("sub")]
    public string? Subject { get; init; }

    [JsonPropertyName("preferred_username")]
    public string? UserName { get; init; }

    [JsonPropertyName("roles")]
    public IReadOnlyList<string>? Roles { get; init; }

    [JsonPropertyName("client_roles")]
    public IReadOnlyList<string>? ClientRoles { get; init; }

    [JsonPropertyName("audience")]
    public IReadOnlyList<string>? Audience { get; init; }

    [JsonPropertyName("scope")]
    public IReadOnlyList<string>? Scopes { get; init; }

    [JsonPropertyName("token_issued_at")]
    public long? TokenIssuedAt { get; init; }

    [JsonPropertyName("token_expires_at")]
    public long? TokenExpiresAt { get; init; }
}
