using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.TestInfra;

/// <summary>
/// Builds a (not started) host with <c>AddBff</c> on a valid configuration plus overrides, for unit
/// tests of options, stores and mappers on a real LiteDB file in a temp folder.
/// </summary>
public static class BffServices
{
    public static Dictionary<string, string?> ValidConfiguration(BffTempFolder folder) => new()
    {
        ["Oidc:Authority"] = "https://idp.example.test/realms/bff",
        ["Oidc:ClientId"] = "bff",
        ["Oidc:ClientSecret"] = "secret",
        ["ConnectionStrings:Bff"] = $"Filename={folder.DatabaseFile}",
        ["DataProtection:KeysPath"] = folder.KeysPath,
    };

    // configure runs before AddBff (parts registered there are kept); afterBff runs after it (e.g.
    // AddBffUserStorage, which replaces the user store AddBff registers).
    public static IHost CreateHost(
        BffTempFolder folder,
        IDictionary<string, string?>? overrides = null,
        string environment = "Production",
        Action<IServiceCollection>? configure = null,
        Action<IServiceCollection>? afterBff = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = environment,
            ContentRootPath = folder.Path,
            DisableDefaults = true,
        });
        var settings = ValidConfiguration(folder);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        configure?.Invoke(builder.Services);
        builder.Services.AddBff(builder.Configuration).AddDataProtection();
        afterBff?.Invoke(builder.Services);
        return builder.Build();
    }
}
