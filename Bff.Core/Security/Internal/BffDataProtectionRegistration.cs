using System.Security.Cryptography.X509Certificates;
using Bff.Sessions.Internal;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>
/// The BFF's Data Protection setup, added only when the app asks for it: keys in
/// <c>DataProtection:KeysPath</c> (or one key ring in Redis with the Redis session storage) under one
/// application name, encrypted at rest with a certificate when one is configured.
/// </summary>
internal static class BffDataProtectionRegistration
{
    public static void AddBffDataProtection(this IServiceCollection services, IConfiguration configuration, Action<BffDataProtectionOptions>? configure)
    {
        var section = configuration.GetSection(BffDataProtectionOptions.SectionName);
        var optionsBuilder = services.AddOptions<BffDataProtectionOptions>().Bind(section);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder
            .PostConfigure(options => options.CertificatePath = string.IsNullOrEmpty(options.CertificatePath) ? null : options.CertificatePath)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffDataProtectionOptions>, BffDataProtectionOptionsValidator>());

        var dataProtection = services.AddDataProtection();

        // Keys encrypted at rest with a certificate when one is configured. Loaded here, because the
        // framework takes the certificate when it is registered; the same options class, from the
        // same section, so the keys are read in one place. A path that does not load leaves the keys
        // unprotected here and fails start-up in BffDataProtectionOptionsValidator with the reason.
        var settings = section.Get<BffDataProtectionOptions>() ?? new BffDataProtectionOptions();
        configure?.Invoke(settings);
        if (settings.CertificatePath is { Length: > 0 } certificatePath)
        {
            var contentRoot = configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory();
            var certificate = KeyEncryptionCertificate.Load(Path.GetFullPath(certificatePath, contentRoot), settings.CertificatePassword, out _);
            if (certificate is not null)
            {
                // New keys are encrypted with the current certificate; keys are read with it or with
                // any previous one, so that rotating the certificate does not end every session.
                var previous = settings.PreviousCertificates
                    .Where(file => !string.IsNullOrEmpty(file.Path))
                    .Select(file => KeyEncryptionCertificate.Load(Path.GetFullPath(file.Path, contentRoot), file.Password, out _))
                    .OfType<X509Certificate2>();
                dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
            }
        }

        // Keys persist in DataProtection:KeysPath under one fixed application name, so a restarted
        // app, or a second instance on the same keys, reads the sessions and cookies of the first.
        services.AddOptions<DataProtectionOptions>()
            .Configure<IOptions<BffDataProtectionOptions>>((options, keys) => options.ApplicationDiscriminator = keys.Value.ApplicationName);
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider, IOptions<BffDataProtectionOptions>, IHostEnvironment, ILoggerFactory>((options, provider, keys, environment, loggerFactory) =>
            {
                if (SessionStorageServiceCollectionExtensions.IsRedis(provider))
                {
                    // Several instances: the Redis registration puts the key ring in Redis.
                    return;
                }

                var directory = new DirectoryInfo(Path.GetFullPath(keys.Value.KeysPath, environment.ContentRootPath));
                options.XmlRepository = new FileSystemXmlRepository(directory, loggerFactory);
            });
    }
}
