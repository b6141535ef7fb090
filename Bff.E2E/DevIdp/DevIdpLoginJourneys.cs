using Bff.E2E.TestInfra;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using static Microsoft.Playwright.Assertions;

namespace Bff.E2E.DevIdp;

/// <summary>
/// The DevIdp in a real Chromium, the way the BFF will use it: an authorization request for the
/// client <c>bff</c> (code + PKCE S256), the login form, the redirect back with a code that
/// redeems, and single sign-on for the next request in the same browser.
/// </summary>
/// <remarks>
/// The client's redirect URI is a small receiver site on a free port, registered at run time with
/// <see cref="Bff.DevIdp.DevIdpServer.ConfigureClient"/> (Playwright's request routing does not see
/// the redirect of a navigation, so the browser must really reach the URI).
/// </remarks>
[Collection(BrowserGroup.Name)]
public sealed class DevIdpLoginJourneys(BrowserFixture browser, DevIdpFixture idp) : IClassFixture<DevIdpFixture>
{
    [Fact]
    public async Task Signing_in_through_the_form_then_a_second_authorization_completes_without_it()
    {
        await Journey.RunAsync(browser, async (context, page) =>
        {
            await using var callbacks = await ReceiveCallbacksAsync();
            var redirectUri = callbacks.RedirectUri;

            // First authorization: the form is shown, alice signs in, the browser is sent back with a code.
            var first = AuthorizationRequest.Create();
            await page.GotoAsync(first.Url(idp.Authority, "bff", redirectUri).ToString());
            await new LoginPage(page).SubmitAsync(TestUsers.Alice.Username, TestUsers.Alice.Password);
            await Expect(page.Locator("#callback")).ToBeVisibleAsync();

            var firstCode = CodeFor(page.Url, first);
            var firstTokens = await TokenEndpoint.RedeemCodeAsync(idp.Authority, TestClients.Bff, firstCode, redirectUri, first.Verifier);
            var firstId = TokenEndpoint.Payload(firstTokens.GetProperty("id_token").GetString()!);
            Assert.Equal("alice", firstId.GetProperty("preferred_username").GetString());
            Assert.Equal(first.Nonce, firstId.GetProperty("nonce").GetString());

            // Second authorization in the same browser: straight back to the client, no form on the way.
            var documents = new List<string>();
            page.FrameNavigated += (_, frame) =>
            {
                if (frame == page.MainFrame)
                {
                    documents.Add(frame.Url);
                }
            };
            var second = AuthorizationRequest.Create();
            await page.GotoAsync(second.Url(idp.Authority, "bff", redirectUri).ToString());
            await Expect(page.Locator("#callback")).ToBeVisibleAsync();

            Assert.All(documents, url => Assert.StartsWith(redirectUri.ToString(), url, StringComparison.Ordinal));
            var secondTokens = await TokenEndpoint.RedeemCodeAsync(idp.Authority, TestClients.Bff, CodeFor(page.Url, second), redirectUri, second.Verifier);
            var secondId = TokenEndpoint.Payload(secondTokens.GetProperty("id_token").GetString()!);
            Assert.Equal(firstId.GetProperty("sub").GetString(), secondId.GetProperty("sub").GetString());
            Assert.Equal(firstId.GetProperty("sid").GetString(), secondId.GetProperty("sid").GetString());
            Assert.Equal(2, callbacks.Received.Count);
        });
    }

    [Fact]
    public async Task The_form_post_response_mode_delivers_the_code_by_a_POST_from_the_browser()
    {
        // The BFF uses response_mode=form_post (keeps the code out of URLs and Referer headers).
        await Journey.RunAsync(browser, async (context, page) =>
        {
            await using var callbacks = await ReceiveCallbacksAsync();
            var redirectUri = callbacks.RedirectUri;
            var request = AuthorizationRequest.Create();

            await page.GotoAsync(request.Url(idp.Authority, "bff", redirectUri, responseMode: "form_post").ToString());
            await new LoginPage(page).SubmitAsync(TestUsers.Bob.Username, TestUsers.Bob.Password);
            await Expect(page.Locator("#callback")).ToBeVisibleAsync();

            var (method, url, body) = Assert.Single(callbacks.Received);
            Assert.Equal("POST", method);
            Assert.Equal(redirectUri.ToString(), url);
            var fields = QueryHelpers.ParseQuery(body);
            Assert.Equal(request.State, fields["state"].ToString());
            var tokens = await TokenEndpoint.RedeemCodeAsync(idp.Authority, TestClients.Bff, fields["code"].ToString(), redirectUri, request.Verifier);
            Assert.Equal("bob", TokenEndpoint.Payload(tokens.GetProperty("id_token").GetString()!).GetProperty("preferred_username").GetString());
        });
    }

    [Fact]
    public async Task A_wrong_password_keeps_the_form_and_says_so()
    {
        await Journey.RunAsync(browser, async (context, page) =>
        {
            await using var callbacks = await ReceiveCallbacksAsync();
            var redirectUri = callbacks.RedirectUri;
            var login = new LoginPage(page);

            await page.GotoAsync(AuthorizationRequest.Create().Url(idp.Authority, "bff", redirectUri).ToString());
            await login.SubmitAsync(TestUsers.Alice.Username, "not-her-password");

            await Expect(login.Error).ToBeVisibleAsync();
            await login.ExpectShownAsync();
            Assert.Empty(callbacks.Received);
        });
    }

    /// <summary>Starts a receiver for the redirect URI, registers it for client <c>bff</c>, and records what arrives.</summary>
    private async Task<Receiver> ReceiveCallbacksAsync()
    {
        var receiver = new Receiver();
        receiver.Site = await LoopbackSite.StartAsync(app => app.Map("/signin-oidc", async (HttpContext http) =>
        {
            var body = http.Request.HasFormContentType
                ? string.Join('&', (await http.Request.ReadFormAsync()).Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value.ToString())}"))
                : "";
            receiver.Received.Add((http.Request.Method, $"{http.Request.Scheme}://{http.Request.Host}{http.Request.Path}", body));
            return Results.Content("<!doctype html><title>client</title><p id=\"callback\">callback received</p>", "text/html");
        }));
        var uri = receiver.RedirectUri.ToString();
        idp.Server.ConfigureClient("bff", "bff", client => client.RedirectUris = [.. client.RedirectUris, uri]);
        return receiver;
    }

    private sealed class Receiver : IAsyncDisposable
    {
        public LoopbackSite Site { get; set; } = null!;

        public Uri RedirectUri => new(Site.BaseAddress, "signin-oidc");

        public List<(string Method, string Url, string Body)> Received { get; } = [];

        public ValueTask DisposeAsync() => Site.DisposeAsync();
    }

    private static string CodeFor(string url, AuthorizationRequest request)
    {
        var query = QueryHelpers.ParseQuery(new Uri(url).Query);
        Assert.Equal(request.State, query["state"].ToString());
        Assert.False(query.ContainsKey("error"), $"the DevIdp answered an error: {url}");
        return Assert.Single(query["code"])!;
    }
}
