using Bff.Tests.TestInfra;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Bff.Tests;

public class OptionsValidationTests
{
    private static async Task<string> StartFailureAsync(IDictionary<string, string?> overrides, string environment = "Production")
    {
        using var folder = new BffTempFolder();
        using var host = BffServices.CreateHost(folder, overrides, environment);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        return ex is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : ex.Message;
    }

    [Fact]
    public async Task A_valid_configuration_starts()
    {
        using var folder = new BffTempFolder();
        using var host = BffServices.CreateHost(folder);
        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Oidc:Authority", "", "Oidc:Authority")]
    [InlineData("Oidc:Authority", "not a url", "Oidc:Authority")]
    [InlineData("Oidc:Authority", "http://idp.example.test/realms/bff", "Oidc:RequireHttpsMetadata")]
    [InlineData("Oidc:ClientId", "", "Oidc:ClientId")]
    [InlineData("Oidc:ClientSecret", "", "Oidc:ClientSecret")]
    [InlineData("Oidc:SignAlgorithm", "HS256", "Oidc:SignAlgorithm")]
    [InlineData("Oidc:SignAlgorithm", "none", "Oidc:SignAlgorithm")]
    [InlineData("Oidc:SignAlgorithm", "RS256 HS512", "Oidc:SignAlgorithm")]
    [InlineData("Bff:LogoutMode", "Everywhere", "Bff:LogoutMode")]
    [InlineData("Bff:LogoutMode", "7", "Bff:LogoutMode")]
    [InlineData("Bff:Users:LinkExistingBy", "Phone", "Bff:Users:LinkExistingBy")]
    [InlineData("Bff:Session:IdleTimeout", "00:00:00", "Bff:Session:IdleTimeout")]
    [InlineData("Bff:RemoteApis:x:Path", "api/x", "Bff:RemoteApis:x:Path")]
    [InlineData("ConnectionStrings:Bff", "", "ConnectionStrings:Bff")]
    [InlineData("Bff:SecurityHeaders:ContentSecurityPolicy", "default-src 'self'; form-action 'self' https:", "Bff:SecurityHeaders:ContentSecurityPolicy")]
    [InlineData("Bff:SecurityHeaders:ContentSecurityPolicy", "default-src 'self'; form-action *", "Bff:SecurityHeaders:ContentSecurityPolicy")]
    [InlineData("Bff:SecurityHeaders:FormActionOrigins:0", "https://sso.example.test/realms/bff", "Bff:SecurityHeaders:FormActionOrigins")]
    [InlineData("Bff:SecurityHeaders:FormActionOrigins:0", "https:", "Bff:SecurityHeaders:FormActionOrigins")]
    public async Task A_wrong_setting_fails_start_up_naming_the_key(string key, string value, string named)
    {
        var message = await StartFailureAsync(new Dictionary<string, string?> { [key] = value });
        Assert.Contains(named, message, StringComparison.Ordinal);
    }

    // Each setting is checked by one validator, beside its feature's options (Sessions, Login, Users,
    // Logout, Security, Proxy, Events, Login's Oidc, the root's paths): a wrong value is named once,
    // not once per feature that reads it. (Enums get a number: a name that is no member fails binding
    // before any validator runs.)
    [Theory]
    [InlineData("Bff:LogoutMode", "7")]
    [InlineData("Bff:Session:CookieName", " ")]
    [InlineData("Bff:Session:IdleTimeout", "00:00:00")]
    [InlineData("Bff:Session:CacheSize", "-1")]
    [InlineData("Bff:Session:SharedCacheLifetime", "00:00:00")]
    [InlineData("Bff:Session:CleanupInterval", "00:00:00")]
    [InlineData("Bff:PublicOrigin", "https://app.example.test/somewhere")]
    [InlineData("Bff:ForwardedHeaders:KnownProxies:0", "proxy.example.test")]
    [InlineData("Bff:Login:MaxPendingLogins", "0")]
    [InlineData("Bff:Login:AllowedParameters", "prompt redirect_uri")]
    [InlineData("Bff:Login:RateLimit:PermitLimit", "-1")]
    [InlineData("Bff:Users:LinkExistingBy", "9")]
    [InlineData("Bff:LoginPath", "bff/login")]
    [InlineData("Bff:EventsPath", "//elsewhere.example.test/")]
    [InlineData("Bff:ErrorPath", "Error")]
    [InlineData("Bff:AccessDeniedPath", "AccessDenied")]
    [InlineData("Bff:ApiPathPrefixes:0", "api")]
    [InlineData("Bff:RemoteApis:x:Path", "api/x")]
    [InlineData("Bff:Events:Heartbeat", "00:00:00")]
    [InlineData("Oidc:ClientId", "")]
    [InlineData("ConnectionStrings:Bff", "")]
    public async Task A_wrong_setting_is_named_exactly_once(string key, string value)
    {
        var message = await StartFailureAsync(new Dictionary<string, string?> { [key] = value });
        var named = key.EndsWith(":0", StringComparison.Ordinal) ? key[..^2] : key;
        Assert.Equal(1, message.Split(named + " ").Length - 1);
    }

    [Fact]
    public async Task Http_authority_is_allowed_in_Development_by_default()
    {
        using var folder = new BffTempFolder();
        using var host = BffServices.CreateHost(folder, new Dictionary<string, string?> { ["Oidc:Authority"] = "http://localhost:8080/realms/bff" }, "Development");
        await host.StartAsync();
        Assert.False(host.Services.GetRequiredService<IOptions<Bff.Login.BffOidcOptions>>().Value.RequireHttpsMetadata);
        await host.StopAsync();
    }
}
