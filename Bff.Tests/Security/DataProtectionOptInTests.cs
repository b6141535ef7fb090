using Bff.Tests.TestInfra;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Tests.Security;

/// <summary>
/// The BFF sets Data Protection up only when the app asks (<c>AddBff(...).AddDataProtection()</c>); a
/// host with its own Data Protection keeps it. Real key files on disk, real protect/unprotect.
/// </summary>
public sealed class DataProtectionOptInTests
{
    [Fact]
    public void A_host_that_did_not_ask_keeps_its_own_Data_Protection_setup()
    {
        using var folder = new BffTempFolder();
        var hostKeys = Path.Combine(folder.Path, "host-keys");
        using var host = Build(folder, services => services.AddDataProtection().SetApplicationName("host-app").PersistKeysToFileSystem(new DirectoryInfo(hostKeys)), askBff: false);

        Protect(host);

        Assert.Equal("host-app", host.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        Assert.NotEmpty(Directory.GetFiles(hostKeys, "key-*.xml"));
        Assert.False(Directory.Exists(folder.KeysPath) && Directory.GetFiles(folder.KeysPath).Length > 0, "the BFF wrote keys to DataProtection:KeysPath although the app did not ask it to");
    }

    [Fact]
    public void A_host_that_asked_gets_the_BFF_s_key_ring_in_DataProtection_KeysPath()
    {
        using var folder = new BffTempFolder();
        using var host = Build(folder, _ => { }, askBff: true);

        Protect(host);

        Assert.Equal("Bff", host.Services.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        Assert.NotEmpty(Directory.GetFiles(folder.KeysPath, "key-*.xml"));
    }

    private static void Protect(IHost host)
    {
        var protector = host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        Assert.Equal("x", protector.Unprotect(protector.Protect("x")));
        _ = host.Services.GetRequiredService<IKeyManager>().GetAllKeys();
    }

    private static IHost Build(BffTempFolder folder, Action<IServiceCollection> hostSetup, bool askBff)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", ContentRootPath = folder.Path, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(BffServices.ValidConfiguration(folder));
        builder.Services.AddLogging();
        hostSetup(builder.Services);
        var bff = builder.Services.AddBff(builder.Configuration);
        if (askBff)
        {
            bff.AddDataProtection();
        }

        return builder.Build();
    }
}
