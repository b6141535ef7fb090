using Bff.DevIdp.Realms;

namespace Bff.Tests.DevIdp;

/// <summary>Redirect URIs matched as Keycloak 26 matches them, and never more permissively (near misses refused).</summary>
public class RedirectUriMatcherTests
{
    private const string Server = "http://127.0.0.1:8080";

    [Theory]
    [InlineData("https://spa.acme.test/app/x")]
    [InlineData("https://spa.acme.test/app/")]
    [InlineData("https://spa.acme.test/app")] // Keycloak: "/app/*" also allows "/app" itself
    [InlineData("https://spa.acme.test/app/deep/er?any=query")] // queries are not compared under a wildcard
    [InlineData("https://SPA.acme.TEST/app/x")] // host compared case-insensitively
    [InlineData("https://spa.acme.test/callback")]
    public void Trailing_wildcard_and_exact_uris_match(string requested) =>
        Assert.True(RedirectUriMatcher.Matches(requested, ["https://spa.acme.test/app/*", "https://spa.acme.test/callback"], null, Server));

    [Theory]
    [InlineData("https://spa.acme.test/application")] // not under /app/
    [InlineData("https://spa.acme.test.evil.test/app/x")]
    [InlineData("https://evil.test/app/x")]
    [InlineData("https://evil.test/?next=https://spa.acme.test/app/")]
    [InlineData("http://spa.acme.test/app/x")] // scheme downgrade
    [InlineData("https://spa.acme.test:8443/app/x")] // another port
    [InlineData("https://user@spa.acme.test/app/x")] // user info
    [InlineData("https://spa.acme.test@evil.test/app/x")]
    [InlineData("https://spa.acme.test/app/../admin")] // climbs out of the wildcard
    [InlineData("https://spa.acme.test/app/%2e%2e/admin")]
    [InlineData("https://spa.acme.test/app/%2E%2E%2Fadmin")]
    [InlineData("https://spa.acme.test/app/..%5cadmin")]
    [InlineData("https://spa.acme.test/app/x#fragment")]
    [InlineData("https://spa.acme.test/app/x?code=injected")] // response parameter pollution
    [InlineData("https://spa.acme.test/app/x?STATE=injected")]
    [InlineData("https://spa.acme.test/callback/extra")] // exact means exact
    [InlineData("https://spa.acme.test/callback?x=1")]
    [InlineData("https://spa.acme.test/Callback")] // path is case-sensitive
    [InlineData("/app/x")]
    [InlineData("spa.acme.test/app/x")]
    [InlineData("")]
    [InlineData(null)]
    public void Near_misses_are_refused(string? requested) =>
        Assert.False(RedirectUriMatcher.Matches(requested, ["https://spa.acme.test/app/*", "https://spa.acme.test/callback"], null, Server));

    [Theory]
    [InlineData("https://anything.test/cb", true)]
    [InlineData("http://127.0.0.1:5123/signin-oidc", true)]
    [InlineData("javascript:alert(1)", false)] // "*" is http(s) only
    [InlineData("data:text/html,hi", false)]
    [InlineData("com.globex.app:/oauth2redirect", false)]
    [InlineData("https://user@anything.test/cb", false)]
    public void A_full_wildcard_allows_any_http_uri_only(string requested, bool allowed) =>
        Assert.Equal(allowed, RedirectUriMatcher.Matches(requested, ["*"], null, Server));

    [Theory]
    [InlineData("http://localhost:5000/signin-oidc", true)]
    [InlineData("http://localhost:5000/", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://localhost:5001/signin-oidc", false)]
    [InlineData("http://localhost:5000.evil.test/signin-oidc", false)]
    [InlineData("http://127.0.0.1:5000/signin-oidc", false)]
    [InlineData("https://localhost:5000/signin-oidc", false)]
    [InlineData("http://127.0.0.1:8080/signin-oidc", false)] // not the DevIdp's origin either: rootUrl wins
    public void Relative_uris_resolve_against_the_root_url(string requested, bool allowed) =>
        Assert.Equal(allowed, RedirectUriMatcher.Matches(requested, ["/*"], "http://localhost:5000", Server));

    [Theory]
    [InlineData("http://127.0.0.1:8080/realms/acme/account/", true)]
    [InlineData("http://127.0.0.1:8080/realms/acme/account/#/", false)]
    [InlineData("http://127.0.0.1:8080/realms/globex/account/", false)]
    [InlineData("http://127.0.0.1:9090/realms/acme/account/", false)]
    public void The_auth_base_url_placeholder_is_the_DevIdps_own_address(string requested, bool allowed) =>
        Assert.Equal(allowed, RedirectUriMatcher.Matches(requested, ["/realms/acme/account/*"], "${authBaseUrl}", Server));

    [Fact]
    public void Without_a_root_url_relative_uris_resolve_against_the_DevIdp()
    {
        Assert.True(RedirectUriMatcher.Matches("http://127.0.0.1:8080/cb", ["/cb"], null, Server));
        Assert.False(RedirectUriMatcher.Matches("http://localhost:8080/cb", ["/cb"], "", Server));
    }

    [Theory]
    [InlineData("https://app.test/")]
    [InlineData("https://app.test")]
    [InlineData("https://app.test/anything")]
    public void A_wildcard_right_after_the_host_applies_to_the_path(string requested) =>
        Assert.True(RedirectUriMatcher.Matches(requested, ["https://app.test*"], null, Server));

    [Theory]
    [InlineData("https://app.test.evil.test/")]
    [InlineData("https://app.testevil.test/")]
    [InlineData("https://app.test:8443/")]
    public void A_wildcard_right_after_the_host_never_widens_the_host(string requested) =>
        Assert.False(RedirectUriMatcher.Matches(requested, ["https://app.test*"], null, Server));

    [Theory]
    [InlineData("http://localhost:*/cb")]
    [InlineData("http://localhost:*")]
    [InlineData("https://*.app.test/cb")]
    public void Host_and_port_wildcards_are_not_honoured(string pattern) =>
        Assert.False(RedirectUriMatcher.Matches("http://localhost:4000/cb", [pattern], null, Server)
            || RedirectUriMatcher.Matches("https://x.app.test/cb", [pattern], null, Server));

    [Fact]
    public void A_custom_scheme_matches_only_where_registered()
    {
        Assert.True(RedirectUriMatcher.Matches("com.globex.app:/oauth2redirect", ["com.globex.app:/oauth2redirect"], null, Server));
        Assert.False(RedirectUriMatcher.Matches("com.evil.app:/oauth2redirect", ["com.globex.app:/oauth2redirect", "*"], null, Server));
    }

    [Fact]
    public void Plus_in_post_logout_redirect_uris_stands_for_the_redirect_uris()
    {
        var client = new DevIdpClient("c")
        {
            RedirectUris = ["/*", "https://other.test/cb"],
            PostLogoutRedirectUris = ["+", "https://extra.test/bye"],
            RootUrl = "http://localhost:5000",
        };

        var patterns = RedirectUriMatcher.PostLogoutPatterns(client).ToList();

        Assert.Equal(["/*", "https://other.test/cb", "https://extra.test/bye"], patterns);
        Assert.True(RedirectUriMatcher.Matches("http://localhost:5000/signout-callback-oidc", patterns, client.RootUrl, Server));
        Assert.True(RedirectUriMatcher.Matches("https://extra.test/bye", patterns, client.RootUrl, Server));
        Assert.False(RedirectUriMatcher.Matches("https://extra.test/bye/more", patterns, client.RootUrl, Server));
    }

    [Fact]
    public void Without_the_attribute_no_post_logout_redirect_is_allowed()
    {
        var client = new DevIdpClient("c") { RedirectUris = ["*"] };

        Assert.False(RedirectUriMatcher.Matches("https://any.test/", RedirectUriMatcher.PostLogoutPatterns(client), null, Server));
    }
}
