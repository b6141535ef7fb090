using System.Net;
using System.Text.Json;
using Bff.Sessions;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Logout;

/// <summary>What logout, back-channel and session tests do again and again, over real HTTP.</summary>
public static class LogoutKit
{
    /// <summary>An API call as the SPA makes it (cookie, and <c>X-CSRF: 1</c> unless told otherwise); no redirects followed.</summary>
    public static Task<BrowserPage> ApiAsync(this BffBrowser browser, BffHost bff, HttpMethod method, string path, bool antiforgery = true)
    {
        var request = new HttpRequestMessage(method, new Uri(bff.BaseAddress, path));
        request.Headers.Add("Accept", "application/json");
        if (antiforgery)
        {
            request.Headers.Add("X-CSRF", "1");
        }

        return browser.SendAsync(request, followRedirects: false);
    }

    /// <summary>The <c>/bff/user</c> claims, or <see langword="null"/> when the answer is 401.</summary>
    public static async Task<JsonElement?> UserAsync(this BffBrowser browser, BffHost bff)
    {
        var page = await browser.ApiAsync(bff, HttpMethod.Get, "/bff/user");
        if (page.Status == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, page.Status);
        return JsonDocument.Parse(page.Html).RootElement.Clone();
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

    /// <summary>Whether a page is the identity provider's login form.</summary>
    public static bool IsLoginForm(this BrowserPage page) => BrowserForm.Parse(page, KeycloakLoginForm.FormId) is not null;

    /// <summary>
    /// Starts a login at the BFF and reports whether the identity provider asked for the password (the
    /// form) or signed the browser in silently from its SSO session, finishing the login either way.
    /// </summary>
    public static async Task<(bool FormShown, BrowserPage Landed)> LoginAgainAsync(this BffBrowser browser, BffHost bff, TestUser user, string returnUrl = "/Profile")
    {
        var page = await browser.GetAsync(new Uri(bff.BaseAddress, "/bff/login?returnUrl=" + Uri.EscapeDataString(returnUrl)));
        var formShown = page.IsLoginForm();
        if (formShown)
        {
            page = await browser.SubmitFormAsync(page, new Dictionary<string, string> { ["username"] = user.Username, ["password"] = user.Password }, KeycloakLoginForm.FormId);
        }

        return (formShown, await browser.CompleteFormPostAsync(page));
    }
}
