using Bff.Tests.TestInfra;
using Bff.Web;

namespace Bff.Tests.Web;

/// <summary>
/// Bff.Web carries no identity provider: without <c>Oidc:Authority</c> it does not start, and in
/// Development it says that the launcher (Bff.AppHost) is what starts the development default.
/// </summary>
public sealed class AuthorityRequiredTests
{
    [Fact]
    public async Task In_Development_an_empty_authority_fails_start_up_pointing_to_the_launcher()
    {
        using var folder = new BffTempFolder();
        var settings = BffHost.Settings(folder, new Uri("http://unused.example/"));
        settings["Oidc:Authority"] = "";

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => BffHost.StartAsync(settings, environment: "Development"));

        Assert.Equal(BffWebApp.MissingDevelopmentAuthorityMessage, ex.Message);
        Assert.Contains("Oidc:Authority", ex.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project Bff.AppHost", ex.Message, StringComparison.Ordinal);
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
