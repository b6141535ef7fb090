using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Bff.Tokens.Internal;

/// <summary>
/// Attaches the current user's access token to outgoing requests, and on a 401 from the API
/// retries once with a freshly refreshed token. Add it with
/// <see cref="TokenHttpClientBuilderExtensions.AddUserAccessTokenHandler"/>.
/// </summary>
/// <remarks>
/// The retry sends the same request message again, so its content must be re-readable
/// (<see cref="StringContent"/>, <see cref="ByteArrayContent"/>, JSON content); a one-shot stream
/// body is not retried. When no token can be had, <see cref="UserAccessTokenUnavailableException"/>
/// says why, so the caller can send the user to log in (re-authentication) or show a 503 (transient).
/// </remarks>
internal sealed class UserAccessTokenHandler(IHttpContextAccessor httpContextAccessor, IUserTokenManager tokens) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = httpContextAccessor.HttpContext
            ?? throw new InvalidOperationException("UserAccessTokenHandler needs a current HTTP request (it sends the signed-in user's token).");

        var first = await GetTokenAsync(context, forceRefresh: false, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue(first.TokenType, first.AccessToken);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !CanResend(request))
        {
            return response;
        }

        // The API refused a token we believed valid (revoked, clock skew, key rollover): refresh
        // once and try again; a second 401 goes back to the caller.
        response.Dispose();
        var second = await GetTokenAsync(context, forceRefresh: true, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue(second.TokenType, second.AccessToken);
        return await base.SendAsync(request, cancellationToken);
    }

    private static bool CanResend(HttpRequestMessage request) =>
        request.Content is null or ByteArrayContent or System.Net.Http.Json.JsonContent or FormUrlEncodedContent;

    private async Task<UserTokenResult> GetTokenAsync(HttpContext context, bool forceRefresh, CancellationToken cancellationToken)
    {
        var result = await tokens.GetAccessTokenAsync(
            context,
            forceRefresh ? new UserTokenRequestParameters { ForceRefresh = true } : null,
            cancellationToken);
        return result.Succeeded ? result : throw new UserAccessTokenUnavailableException(result);
    }
}
