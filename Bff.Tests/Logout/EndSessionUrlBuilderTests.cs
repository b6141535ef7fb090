using Bff.Logout.Internal;
using Bff.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Bff.Tests.Logout;

/// <summary>
/// The RP-initiated logout URL, and the degrade to a local logout when the provider offers no
/// end_session_endpoint (a static provider configuration stands in for discovery).
/// </summary>
public sealed class EndSessionUrlBuilderTests
{
    private static (EndSessionUrlBuilder Builder, OpenIdConnectOptions Options) Create(string? endSessionEndpoint)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = "https://idp.example/realms/bff", EndSessionEndpoint = endSessionEndpoint };
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.Configure<OpenIdConnectOptions>(BffAuthenticationDefaults.OpenIdConnectScheme, o =>
        {
            o.ClientId = "bff";
            o.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            o.StateDataFormat = new PropertiesDataFormat(new EphemeralDataProtectionProvider().CreateProtector("test"));
        });
        services.AddSingleton<EndSessionUrlBuilder>();
        var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIdConnectOptions>>().Get(BffAuthenticationDefaults.OpenIdConnectScheme);
        return (provider.GetRequiredService<EndSessionUrlBuilder>(), options);
    }

    private static DefaultHttpContext Request()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("app.example");
        return context;
    }

    [Fact]
    public async Task The_URL_carries_id_token_hint_client_id_the_callback_and_a_protected_state_with_the_return_url()
    {
        var (builder, options) = Create("https://idp.example/realms/bff/protocol/openid-connect/logout");

        var url = await builder.BuildAsync(Request(), "the-id-token", "/notes?x=1");

        Assert.NotNull(url);
        var query = QueryHelpers.ParseQuery(new Uri(url).Query);
        Assert.StartsWith("https://idp.example/realms/bff/protocol/openid-connect/logout?", url, StringComparison.Ordinal);
        Assert.Equal("the-id-token", query["id_token_hint"]);
        Assert.Equal("bff", query["client_id"]);
        Assert.Equal("https://app.example/signout-callback-oidc", query["post_logout_redirect_uri"]);
        Assert.Equal("/notes?x=1", options.StateDataFormat.Unprotect(query["state"])!.RedirectUri);
    }

    [Fact]
    public async Task Without_an_ID_token_the_URL_still_names_the_client()
    {
        var (builder, _) = Create("https://idp.example/logout");

        var query = QueryHelpers.ParseQuery(new Uri((await builder.BuildAsync(Request(), null, "/"))!).Query);

        Assert.False(query.ContainsKey("id_token_hint"));
        Assert.Equal("bff", query["client_id"]);
    }

    [Fact]
    public async Task Without_an_end_session_endpoint_there_is_no_URL_and_logout_stays_local()
    {
        var (builder, _) = Create(null);

        Assert.Null(await builder.BuildAsync(Request(), "the-id-token", "/"));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36", "Chrome on Linux")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Windows")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0", "Edge on Windows")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "Safari on iOS")]
    [InlineData(null, "Unknown browser")]
    public void The_sessions_page_labels_user_agents(string? userAgent, string expected) =>
        Assert.Equal(expected, UserAgentLabel.Describe(userAgent));
}
