using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Bff.DevIdp;
using Bff.Sessions;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Logout;

/// <summary>What logout, back-channel and session tests do again and again, over real HTTP.</summary>
public static class LogoutKit
{
    /// <summary>The <c>/bff/user</c> claims, or <see langword="null"/> when the answer is 401.</summary>
    public static async Task<JsonElement?> UserAsync(this BrowserClient browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        using var response = await browser.GetApiAsync("/bff/user");
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>The value of one claim of <c>/bff/user</c>.</summary>
    public static string Claim(this JsonElement claims, string type) =>
        claims.EnumerateArray().First(c => c.GetProperty("type").GetString() == type).GetProperty("value").GetString()!;

    /// <summary>The server-side sessions of a subject.</summary>
    public static Task<IReadOnlyList<ServerSession>> SessionsOfAsync(this BffHost bff, string subject) =>
        bff.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: subject));

    /// <summary>
    /// Redeems a refresh token at the identity provider's token endpoint as the BFF's client would and
    /// returns the OAuth error (<c>invalid_grant</c> once revoked), or <see langword="null"/> when it still works.
    /// </summary>
    public static async Task<string?> RefreshErrorAsync(Uri authority, string refreshToken)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(authority.AbsoluteUri.TrimEnd('/') + "/protocol/openid-connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
            ["client_id"] = "bff",
            ["client_secret"] = "bff-dev-secret",
        }));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return response.IsSuccessStatusCode ? null : body.GetProperty("error").GetString();
    }

    /// <summary>
    /// Starts a login at the BFF and reports whether the identity provider asked for the password (the
    /// form) or signed the browser in silently from its SSO session, finishing the login either way.
    /// </summary>
    public static async Task<(bool FormShown, HttpResponseMessage Landed)> LoginAgainAsync(this BrowserClient browser, TestUser user, string returnUrl = "/Profile")
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(user);
        var page = await browser.GetAsync("/bff/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var formShown = await KeycloakLoginForm.IsLoginPageAsync(page);
        if (formShown)
        {
            page = await KeycloakLoginForm.SubmitAsync(browser, page, user.Username, user.Password);
        }

        return (formShown, page);
    }

    /// <summary>
    /// An administrator ends a user's sessions at the DevIdp (Keycloak's admin <c>POST /users/{id}/logout</c>):
    /// the DevIdp then sends its real logout tokens to every client's back-channel URL.
    /// </summary>
    public static async Task AdminLogoutAsync(DevIdpServer idp, string userId)
    {
        ArgumentNullException.ThrowIfNull(idp);
        using var http = new HttpClient();
        using var tokenResponse = await http.PostAsync(new Uri(idp.Authority().AbsoluteUri + "/protocol/openid-connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = TestClients.AdminTool.ClientId,
            ["client_secret"] = TestClients.AdminTool.Secret,
        }));
        var accessToken = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(idp.BaseAddress, $"admin/realms/bff/users/{userId}/logout"));
        request.Headers.Authorization = new("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
