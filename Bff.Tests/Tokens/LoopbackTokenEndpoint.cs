using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Bff.Tests.Tokens;

/// <summary>
/// A minimal OAuth token endpoint on real loopback HTTP for the token service's unit tests:
/// discovery, refresh_token grant with Keycloak-style rotation and reuse detection, revocation, and
/// switches for slowness and failures. (The DevIdp covers the full protocol in integration tests;
/// this one lets a test control each answer.)
/// </summary>
public sealed class LoopbackTokenEndpoint : IAsyncDisposable
{
    public const string ClientId = "bff";
    public const string ClientSecret = "test-secret";

    private readonly ConcurrentDictionary<string, bool> liveRefreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> usedRefreshTokens = new(StringComparer.Ordinal);
    private int refreshGrants;
    private int revocations;
    private LoopbackSite? site;

    public Uri BaseAddress => site?.BaseAddress ?? throw new InvalidOperationException("Not started.");

    /// <summary>The number of refresh_token grants received.</summary>
    public int RefreshGrants => Volatile.Read(ref refreshGrants);

    /// <summary>The number of revocation requests received.</summary>
    public int Revocations => Volatile.Read(ref revocations);

    /// <summary>How long each token response is held back, so concurrent callers overlap.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The <c>expires_in</c> of issued access tokens.</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>When set, the token endpoint answers this status with an empty body.</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>Whether refresh tokens rotate (a new one per refresh).</summary>
    public bool Rotate { get; set; } = true;

    public static async Task<LoopbackTokenEndpoint> StartAsync()
    {
        var endpoint = new LoopbackTokenEndpoint();
        endpoint.site = await LoopbackSite.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", (HttpContext c) => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = endpoint.Issuer,
                ["token_endpoint"] = endpoint.Issuer + "/token",
                ["revocation_endpoint"] = endpoint.Issuer + "/revoke",
                ["jwks_uri"] = endpoint.Issuer + "/jwks",
            }));
            app.MapGet("/jwks", () => Results.Json(new { keys = Array.Empty<object>() }));
            app.MapPost("/token", (Delegate)endpoint.TokenAsync);
            app.MapPost("/revoke", (Delegate)endpoint.RevokeAsync);
        });
        return endpoint;
    }

    public string Issuer => BaseAddress.AbsoluteUri.TrimEnd('/');

    /// <summary>Issues a refresh token the endpoint will accept once.</summary>
    public string IssueRefreshToken()
    {
        var token = "rt-" + Guid.NewGuid().ToString("N");
        liveRefreshTokens[token] = true;
        return token;
    }

    public bool IsLive(string refreshToken) => liveRefreshTokens.ContainsKey(refreshToken);

    public Task StopAsync() => site?.StopAsync() ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => site?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }

        Interlocked.Increment(ref refreshGrants);
        await Task.Delay(Delay);
        if (FailWithStatus is { } status)
        {
            return Results.StatusCode(status);
        }

        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Results.Json(new { error = "invalid_client" }, statusCode: 401);
        }

        var presented = form["refresh_token"].ToString();
        if (!liveRefreshTokens.ContainsKey(presented))
        {
            if (usedRefreshTokens.ContainsKey(presented))
            {
                // Keycloak with "Revoke Refresh Token": a reused token kills the whole session.
                liveRefreshTokens.Clear();
            }

            return Results.Json(new { error = "invalid_grant", error_description = "Token is not active" }, statusCode: 400);
        }

        string? next = null;
        if (Rotate)
        {
            liveRefreshTokens.TryRemove(presented, out _);
            usedRefreshTokens[presented] = true;
            next = IssueRefreshToken();
        }

        return Results.Json(new Dictionary<string, object?>
        {
            ["access_token"] = "at-" + Guid.NewGuid().ToString("N"),
            ["token_type"] = "Bearer",
            ["expires_in"] = ExpiresIn,
            ["refresh_token"] = next,
        });
    }

    private async Task<IResult> RevokeAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        Interlocked.Increment(ref revocations);
        liveRefreshTokens.TryRemove(form["token"].ToString(), out _);
        return Results.Ok();
    }
}
