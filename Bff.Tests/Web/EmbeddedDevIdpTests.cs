using System.Net;
using Bff.Configuration;
using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Tests.Web;

/// <summary>The no-Docker default: Development without Oidc:Authority signs in against an in-process DevIdp.</summary>
public sealed class EmbeddedDevIdpTests
{
    [Fact]
    public async Task Development_without_an_authority_starts_the_DevIdp_and_signs_in_against_it()
    {
        using var folder = new BffTempFolder();
        var settings = BffHost.Settings(folder, new Uri("http://unused.example/"));
        settings["Oidc:Authority"] = "";
        settings["DevIdp:Urls"] = "http://127.0.0.1:0";
        await using var bff = await BffHost.StartAsync(settings, environment: "Development");

        var authority = new Uri(bff.Services.GetRequiredService<IOptions<BffOidcOptions>>().Value.Authority);
        Assert.True(authority.IsLoopback);
        Assert.Equal("/realms/bff", authority.AbsolutePath);

        using var raw = bff.CreateRawClient();
        var login = await raw.GetAsync("/bff/login?returnUrl=%2F");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith(authority.AbsoluteUri + "/protocol/openid-connect/auth?", login.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_Development_an_empty_authority_fails_start_up_naming_the_setting()
    {
        using var folder = new BffTempFolder();
        var settings = BffHost.Settings(folder, new Uri("http://unused.example/"));
        settings["Oidc:Authority"] = "";

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => BffHost.StartAsync(settings, environment: "Production"));

        Assert.Contains("Oidc:Authority", ex.Message, StringComparison.Ordinal);
    }
}
