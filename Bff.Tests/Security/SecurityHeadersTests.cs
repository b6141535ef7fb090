using System.Net;
using System.Text.RegularExpressions;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Security;

/// <summary>The headers of Bff.Core/Security on pages, the API and the SPA, over real HTTP.</summary>
public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;
    private BrowserClient alice = null!;

    public async Task InitializeAsync()
    {
        // The in-process host's web root is the test's bin folder; serve the app's real wwwroot
        // (the SPA and the stylesheet) as the published app does.
        var webRoot = RepositoryFiles.PathOf("Bff.Web/wwwroot");
        rig = await TokenTestRig.StartAsync(configure: builder =>
        {
            builder.Environment.WebRootPath = webRoot;
            builder.Environment.WebRootFileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(webRoot);
        });
        alice = await rig.SignInAsync("alice");
    }

    public async Task DisposeAsync()
    {
        alice.Dispose();
        await rig.DisposeAsync();
    }

    private static void AssertBaseHeaders(HttpResponseMessage response)
    {
        var what = response.RequestMessage!.RequestUri!.PathAndQuery;
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var nosniff), what);
        Assert.Equal("nosniff", Assert.Single(nosniff));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        var scriptSrc = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src", StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-inline", scriptSrc, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", scriptSrc, StringComparison.Ordinal);
    }

    private static void AssertNoStore(HttpResponseMessage response) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true, $"{response.RequestMessage!.RequestUri!.PathAndQuery}: Cache-Control {response.Headers.CacheControl}");

    // The SPA's shell is the same file for everybody (no personal data; it fetches that from the
    // API), so it is revalidated (no-cache) rather than no-store; Razor pages render the user's data.
    [Theory]
    [InlineData("/", true)]
    [InlineData("/Profile", true)]
    [InlineData("/Users", true)]
    [InlineData("/app", false)]
    [InlineData("/app/notes/1", false)]
    public async Task Signed_in_pages_are_not_framed_sniffed_cached_or_scriptable_inline(string path, bool personal)
    {
        using var response = await alice.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertBaseHeaders(response);
        if (personal)
        {
            AssertNoStore(response);
        }
        else
        {
            Assert.True(response.Headers.CacheControl?.NoCache == true || response.Headers.CacheControl?.NoStore == true, $"{path}: {response.Headers.CacheControl}");
        }

        var html = await response.Content.ReadAsStringAsync();
        // The CSP would block them anyway; the pages must not depend on what it blocks.
        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineHandlerOrStyle(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/api/notes")]
    [InlineData("/bff/user")]
    [InlineData("/api/remote/whoami")]
    public async Task Signed_in_api_answers_are_no_store(string path)
    {
        using var response = await alice.GetApiAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertBaseHeaders(response);
        AssertNoStore(response);
    }

    [Theory]
    [InlineData("/api/notes")]
    [InlineData("/bff/user")]
    [InlineData("/bff/login?returnUrl=%2F%2Fevil.example")]
    public async Task Anonymous_api_and_management_answers_are_no_store_too(string path)
    {
        using var anonymous = rig.Bff.CreateRawClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-CSRF", "1");

        using var response = await anonymous.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path}: {(int)response.StatusCode}");
        AssertBaseHeaders(response);
        AssertNoStore(response);
    }

    [Fact]
    public async Task Static_files_keep_their_own_caching_but_get_the_headers()
    {
        using var response = await alice.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/css/site.css"), followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertBaseHeaders(response);
        Assert.NotEqual(true, response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task The_signed_out_home_page_has_the_headers_and_loads_its_styles_from_a_file()
    {
        using var anonymous = rig.Bff.CreateRawClient();
        using var response = await anonymous.GetAsync(new Uri("/", UriKind.Relative));

        AssertBaseHeaders(response);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("href=\"/css/site.css\"", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(InlineScript(), html);
    }

    // The sign-out form posts here and is redirected on to the identity provider (Keycloak mode):
    // form-action names exactly those two origins, so an injected form cannot send anything elsewhere.
    [Theory]
    [InlineData("/", false)]
    [InlineData("/Profile", true)]
    public async Task Form_action_allows_this_origin_and_the_identity_providers_origin_only(string path, bool signedIn)
    {
        using var anonymous = rig.Bff.CreateRawClient();
        using var response = signedIn
            ? await alice.SendAsync(new HttpRequestMessage(HttpMethod.Get, path))
            : await anonymous.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var formAction = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("form-action ", StringComparison.Ordinal));
        var idpOrigin = rig.Idp.Authority().GetLeftPart(UriPartial.Authority);
        Assert.StartsWith("http://127.0.0.1:", idpOrigin, StringComparison.Ordinal);
        Assert.Equal(["form-action", "'self'", idpOrigin], formAction.Split(' '));
    }

    [Theory]
    [InlineData("/app")]
    [InlineData("/app/notes/1")]
    public async Task The_SPA_s_declared_policy_is_the_one_CSP_its_shell_carries(string path)
    {
        using var response = await alice.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), followRedirects: false);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Bff.Web.Api.SpaEndpoints.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task Extra_form_action_origins_are_added_to_the_derived_directive()
    {
        await using var other = await TokenTestRig.StartAsync(bffSettings: new Dictionary<string, string?>
        {
            ["Bff:SecurityHeaders:FormActionOrigins:0"] = "https://logout.example.test",
            ["Bff:SecurityHeaders:FormActionOrigins:1"] = "https://sso.example.test:8443/",
        });
        using var anonymous = other.Bff.CreateRawClient();

        using var response = await anonymous.GetAsync(new Uri("/", UriKind.Relative));

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var formAction = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("form-action ", StringComparison.Ordinal));
        Assert.Equal(
            ["form-action", "'self'", other.Idp.Authority().GetLeftPart(UriPartial.Authority), "https://logout.example.test", "https://sso.example.test:8443"],
            formAction.Split(' '));
    }

    // A <script> element without a src attribute.
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    // onclick=, onload=, ... or style= attributes, and javascript: URLs.
    [GeneratedRegex(@"\s(on[a-z]+|style)\s*=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandlerOrStyle();
}
