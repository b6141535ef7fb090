using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Bff.DevIdp;
using Bff.Tests.TestInfra;
using Duende.IdentityModel.Client;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bff.Tests.DevIdp;

/// <summary>An authorization request, as a client would build it (PKCE S256, state and nonce by default).</summary>
internal sealed record AuthorizeRequest
{
    public string ClientId { get; init; } = TestClients.Bff.ClientId;
    public string? RedirectUri { get; init; } = TestClients.Bff.RedirectUri;
    public string Scope { get; init; } = "openid profile email";
    public string State { get; init; } = Pkce.RandomString();
    public string Nonce { get; init; } = Pkce.RandomString();
    public string Verifier { get; init; } = Pkce.CreateVerifier();
    public string? CodeChallenge { get; init; }
    public string? CodeChallengeMethod { get; init; } = "S256";
    public string? ResponseMode { get; init; }
    public string? Prompt { get; init; }

    public Uri ToUri(Uri authorizationEndpoint)
    {
        var query = HttpUtility.ParseQueryString(string.Empty);
        query["client_id"] = ClientId;
        query["response_type"] = "code";
        query["scope"] = Scope;
        query["state"] = State;
        query["nonce"] = Nonce;
        Set("redirect_uri", RedirectUri);
        Set("code_challenge", CodeChallenge ?? (CodeChallengeMethod == "S256" ? Pkce.S256(Verifier) : CodeChallengeMethod == "plain" ? Verifier : null));
        Set("code_challenge_method", CodeChallengeMethod);
        Set("response_mode", ResponseMode);
        Set("prompt", Prompt);
        return new UriBuilder(authorizationEndpoint) { Query = query.ToString() }.Uri;

        void Set(string name, string? value)
        {
            if (value is not null)
            {
                query[name] = value;
            }
        }
    }
}

/// <summary>Steps of the authorization code flow against the DevIdp, over real HTTP.</summary>
internal static class CodeFlow
{
    /// <summary>The parameters the DevIdp sent back to the client: a redirect's query or a form_post page's fields.</summary>
    public static async Task<Dictionary<string, string>> ReadAuthorizationResponseAsync(HttpResponseMessage response, string redirectUri)
    {
        if ((int)response.StatusCode is 302 or 303 && response.Headers.Location is { } location)
        {
            Assert.StartsWith(redirectUri + "?", location.AbsoluteUri, StringComparison.Ordinal);
            var query = HttpUtility.ParseQueryString(location.Query);
            return query.AllKeys.OfType<string>().ToDictionary(k => k, k => query[k]!);
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var form = HtmlForm.Parse(await response.Content.ReadAsStringAsync(), response.RequestMessage!.RequestUri!);
        Assert.Equal(redirectUri, form.Action.AbsoluteUri);
        Assert.Equal("POST", form.Method);
        return form.Fields.ToDictionary(f => f.Key, f => f.Value);
    }

    /// <summary>Signs in through the login form and returns the authorization response parameters.</summary>
    public static async Task<Dictionary<string, string>> AuthorizeAsync(BrowserClient browser, DevIdpServer idp, AuthorizeRequest request, TestUser user)
    {
        var response = await KeycloakLoginForm.SignInAsync(browser, request.ToUri(idp.Endpoint("auth")), user, followRedirects: false);
        return await ReadAuthorizationResponseAsync(response, request.RedirectUri!);
    }

    /// <summary>Exchanges a code at the token endpoint with the bff client's secret.</summary>
    public static Task<TokenResponse> RedeemAsync(DevIdpServer idp, string code, AuthorizeRequest request, string? secret = null, string? verifier = null) =>
        PostAsync(idp, TestClients.Bff with { ClientId = request.ClientId, Secret = secret ?? TestClients.Bff.Secret }, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = request.RedirectUri!,
            ["code_verifier"] = verifier ?? request.Verifier,
        });

    /// <summary>A full login: form, code, tokens.</summary>
    public static async Task<TokenResponse> LoginAsync(BrowserClient browser, DevIdpServer idp, TestUser user, AuthorizeRequest? request = null)
    {
        request ??= new AuthorizeRequest();
        var parameters = await AuthorizeAsync(browser, idp, request, user);
        var tokens = await RedeemAsync(idp, parameters["code"], request);
        Assert.False(tokens.IsError, tokens.Error + " " + tokens.ErrorDescription);
        return tokens;
    }

    public static Task<TokenResponse> RefreshAsync(DevIdpServer idp, string refreshToken, TestClient? client = null) =>
        PostAsync(idp, client ?? TestClients.Bff, new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken });

    public static Task<TokenResponse> PasswordAsync(DevIdpServer idp, TestUser user, string scope = "openid") =>
        PostAsync(idp, TestClients.Bff, new()
        {
            ["grant_type"] = "password",
            ["username"] = user.Username,
            ["password"] = user.Password,
            ["scope"] = scope,
        });

    public static Task<TokenResponse> ClientCredentialsAsync(DevIdpServer idp, TestClient client) =>
        PostAsync(idp, client, new() { ["grant_type"] = "client_credentials" });

    /// <summary>
    /// A token request through the suites' one token-endpoint helper (<see cref="TokenEndpoint"/>), read as
    /// IdentityModel's <see cref="TokenResponse"/>, the library the BFF itself reads token responses with,
    /// so that a refusal is a result to assert on, not an exception.
    /// </summary>
    private static async Task<TokenResponse> PostAsync(DevIdpServer idp, TestClient client, Dictionary<string, string> fields)
    {
        var response = await TokenEndpoint.SendAsync(idp.Authority(), client, fields);
        return await ProtocolResponse.FromHttpResponseAsync<TokenResponse>(response);
    }

    public static async Task<JsonElement> IntrospectAsync(DevIdpServer idp, string token)
    {
        using var http = new HttpClient();
        var response = await http.IntrospectTokenAsync(new TokenIntrospectionRequest
        {
            Address = idp.Endpoint("token/introspect").AbsoluteUri,
            ClientId = TestClients.Bff.ClientId,
            ClientSecret = TestClients.Bff.Secret,
            Token = token,
        });
        Assert.Equal(System.Net.HttpStatusCode.OK, response.HttpStatusCode);
        return response.Json!.Value;
    }

    /// <summary>The JWT's payload (signature not checked; tests that care verify against the JWKS).</summary>
    public static JsonElement Payload(string jwt) => TokenEndpoint.Payload(jwt);

    public static JsonWebToken Read(string jwt) => new(jwt);

    public static async Task<JsonElement> GetJsonAsync(Uri uri)
    {
        using var http = new HttpClient();
        return await http.GetFromJsonAsync<JsonElement>(uri);
    }
}
