using System.Text.Json;

namespace Bff.Testing;

/// <summary>
/// Token requests as a confidential client makes them (<c>client_secret_post</c>), straight to a realm's
/// token endpoint (<c>{authority}/protocol/openid-connect/token</c>): the DevIdp's or a real Keycloak's.
/// </summary>
public static class TokenEndpoint
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The token endpoint of a realm authority.</summary>
    public static Uri Of(Uri authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return new Uri(authority.AbsoluteUri.TrimEnd('/') + "/protocol/openid-connect/token");
    }

    /// <summary>Posts <paramref name="fields"/> with the client's id and secret; the raw response (dispose it), for tests of refusals.</summary>
    public static Task<HttpResponseMessage> SendAsync(Uri authority, TestClient client, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(fields);
        var form = new Dictionary<string, string>(fields) { ["client_id"] = client.ClientId, ["client_secret"] = client.Secret };
        return Http.PostAsync(Of(authority), new FormUrlEncodedContent(form), cancellationToken);
    }

    /// <summary>Posts <paramref name="fields"/> with the client's id and secret and returns the token response; throws (with the error body) unless it is a success.</summary>
    public static async Task<JsonElement> PostAsync(Uri authority, TestClient client, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(authority, client, fields, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The token endpoint answered {(int)response.StatusCode}: {body}", null, response.StatusCode);
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The password grant (the client needs direct access grants).</summary>
    public static Task<JsonElement> PasswordGrantAsync(Uri authority, TestClient client, TestUser user, string scope = "openid profile email", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return PasswordGrantAsync(authority, client, user.Username, user.Password, scope, cancellationToken);
    }

    /// <summary>The password grant for a user name and password (a wrong one throws with the provider's error).</summary>
    public static Task<JsonElement> PasswordGrantAsync(Uri authority, TestClient client, string username, string password, string scope = "openid profile email", CancellationToken cancellationToken = default) =>
        PostAsync(authority, client, new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = username,
            ["password"] = password,
            ["scope"] = scope,
        }, cancellationToken);

    /// <summary>The client-credentials grant (the client needs a service account).</summary>
    public static Task<JsonElement> ClientCredentialsAsync(Uri authority, TestClient client, CancellationToken cancellationToken = default) =>
        PostAsync(authority, client, new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, cancellationToken);

    /// <summary>Redeems an authorization code (PKCE: the verifier of the challenge sent).</summary>
    public static Task<JsonElement> RedeemCodeAsync(Uri authority, TestClient client, string code, Uri redirectUri, string codeVerifier, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        return PostAsync(authority, client, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri.ToString(),
            ["code_verifier"] = codeVerifier,
        }, cancellationToken);
    }

    /// <summary>The refresh_token grant.</summary>
    public static Task<JsonElement> RefreshAsync(Uri authority, TestClient client, string refreshToken, CancellationToken cancellationToken = default) =>
        PostAsync(authority, client, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, cancellationToken);

    /// <summary>The payload of a JWT, unvalidated (for reading claims in a test; never to trust a token).</summary>
    public static JsonElement Payload(string jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        var part = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonDocument.Parse(Convert.FromBase64String(part)).RootElement.Clone();
    }
}
