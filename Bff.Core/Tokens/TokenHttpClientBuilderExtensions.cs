using Bff.Tokens.Internal;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tokens;

/// <summary>Adds the user's access token to HttpClients made by the HttpClient factory.</summary>
public static class TokenHttpClientBuilderExtensions
{
    /// <summary>
    /// Sends the current user's access token with every request of this client, refreshing it as
    /// needed and retrying once on a 401. When no token can be had a request throws
    /// <see cref="UserAccessTokenUnavailableException"/>, which Razor Pages turn into a login (or a
    /// 503 page) and BFF API endpoints into 401/503 JSON.
    /// </summary>
    /// <param name="builder">The HttpClient builder.</param>
    public static IHttpClientBuilder AddUserAccessTokenHandler(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddHttpMessageHandler<UserAccessTokenHandler>();
    }
}
