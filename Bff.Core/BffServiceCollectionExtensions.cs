using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Bff;
using Bff.Api;
using Bff.Claims;
using Bff.Claims.Internal;
using Bff.Login;
using Bff.Login.Internal;
using Bff.Logout;
using Bff.Proxy;
using Bff.Security.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tokens;
using Bff.Users;
using Bff.Users.Internal;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The BFF's service registration entry point.</summary>
public static class BffServiceCollectionExtensions
{
    /// <summary>
    /// Adds the BFF: options bound from <c>Oidc</c>, <c>Bff</c>, <c>ConnectionStrings:Bff</c> and
    /// <c>DataProtection</c> (validated at start-up), the cookie and OpenID Connect schemes,
    /// server-side sessions, local users and Keycloak role mapping. Parts registered before this
    /// call (<see cref="IUserMapper"/>, <see cref="IKeycloakClaimsMapper"/>, <see cref="IUserStore"/>,
    /// <see cref="ISessionStorage"/>) are kept. <see cref="IServerSessionStore"/> is always the BFF's
    /// own, so that whatever storage an app plugs in receives only protected bytes.
    /// </summary>
    public static BffBuilder AddBff(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        AddOptions(services, configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BffDatabase>();
        AddDataProtection(services, configuration);

        services.AddBffSessionStorage(configuration);
        // Important: not TryAdd. The protection layer is what keeps tokens out of every storage; an
        // app changes where sessions go by registering an ISessionStorage instead.
        services.RemoveAll<IServerSessionStore>();
        services.TryAddSingleton<ProtectedServerSessionStore>();
        services.AddSingleton<IServerSessionStore>(provider => provider.GetRequiredService<ProtectedServerSessionStore>());
        services.TryAddSingleton<BffTicketStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CookieAuthenticationOptions>, ConfigureSessionStore>());
        services.AddHostedService<SessionCleanupService>();

        services.TryAddSingleton<IUserStore, LiteDbUserStore>();
        services.TryAddSingleton<IUserMapper, DefaultUserMapper>();
        services.TryAddSingleton<IKeycloakClaimsMapper, KeycloakClaimsMapper>();
        services.TryAddSingleton<SignInClaimsResolver>();

        services.AddAuthentication(options =>
            {
                // Pages challenge the cookie scheme, which sends people to /bff/login (API paths get
                // 401 JSON instead); only /bff/login challenges the identity provider.
                options.DefaultScheme = BffAuthenticationDefaults.CookieScheme;
                options.DefaultChallengeScheme = BffAuthenticationDefaults.CookieScheme;
            })
            .AddCookie(BffAuthenticationDefaults.CookieScheme)
            .AddOpenIdConnect(BffAuthenticationDefaults.OpenIdConnectScheme, _ => { });
        services.TryAddTransient<BffOpenIdConnectEvents>();
        services.ConfigureOptions<ConfigureCookieOptions>();
        // After AddCookie: it wraps the ticket format ASP.NET Core's post-configure step creates.
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, ConfigureSessionCookieFormat>();
        // After AddOpenIdConnect: its post-configure step must run before ours (see the class).
        services.ConfigureOptions<ConfigureOpenIdConnectOptions>();

        services.AddAuthorizationBuilder()
            .AddPolicy(BffAuthenticationDefaults.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireRole("admin"));

        // Tokens, the API scheme (bearer or cookie + X-CSRF) and remote APIs.
        var bffSection = configuration.GetSection(BffOptions.SectionName);
        services.AddBffTokenManagement(bffSection);
        services.AddBffApiAuthentication(bffSection);
        services.AddBffRemoteApis();

        // Forwarded headers only from known proxies (loopback unless Bff:ForwardedHeaders:KnownProxies).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>, Bff.Security.ConfigureKnownProxies>());

        // /bff/login: a fixed window per client address (each start is a pushed authorization request).
        services.AddBffLoginRateLimit();

        // Seen logout-token ids live in the session database, so a replay after a restart is refused
        // (before AddBffLogout, whose in-memory default is for hosts without the BFF's database).
        services.TryAddSingleton<ILogoutTokenReplayCache, Bff.Logout.Internal.LiteDbLogoutTokenReplayCache>();

        // Logout, back-channel logout and session management.
        services.AddBffLogout(configuration);
        services.UseRedisReplayCacheWhenConfigured();

        // Security headers on every answer; the app adds app.UseBffSecurityHeaders().
        services.AddBffSecurityHeaders(configuration);

        return new BffBuilder(services, configuration);
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BffOidcOptions>()
            .Bind(configuration.GetSection(BffOidcOptions.SectionName))
            .PostConfigure<IHostEnvironment>((options, environment) => options.RequireHttpsMetadata ??= !environment.IsDevelopment())
            .ValidateOnStart();
        services.AddOptions<BffOptions>()
            .Bind(configuration.GetSection(BffOptions.SectionName))
            .ValidateOnStart();
        services.AddOptions<BffStorageOptions>()
            .Configure(options =>
            {
                options.ConnectionString = configuration.GetConnectionString("Bff") ?? options.ConnectionString;
                options.KeysPath = configuration["DataProtection:KeysPath"] ?? options.KeysPath;
                options.ApplicationName = configuration["DataProtection:ApplicationName"] ?? options.ApplicationName;
                options.CertificatePath = configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificate ? certificate : null;
                options.CertificatePassword = configuration["DataProtection:CertificatePassword"];
                foreach (var previous in PreviousCertificates(configuration))
                {
                    options.PreviousCertificates.Add(previous);
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffOidcOptions>, BffOidcOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffOptions>, BffOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffStorageOptions>, BffStorageOptionsValidator>());
    }

    private static IEnumerable<KeyCertificateFile> PreviousCertificates(IConfiguration configuration) =>
        configuration.GetSection("DataProtection:PreviousCertificates").GetChildren()
            .Where(section => !string.IsNullOrEmpty(section["Path"]))
            .Select(section => new KeyCertificateFile(section["Path"]!, section["Password"]));

    private static void AddDataProtection(IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection();

        // Keys encrypted at rest with a certificate when one is configured. Loaded here, because the
        // framework takes the certificate when it is registered; a path that does not load leaves the
        // keys unprotected here and fails start-up in BffStorageOptionsValidator with the reason.
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            var contentRoot = configuration[HostDefaults.ContentRootKey] ?? Directory.GetCurrentDirectory();
            var certificate = KeyEncryptionCertificate.Load(Path.GetFullPath(certificatePath, contentRoot), configuration["DataProtection:CertificatePassword"], out _);
            if (certificate is not null)
            {
                // New keys are encrypted with the current certificate; keys are read with it or with
                // any previous one, so that rotating the certificate does not end every session.
                var previous = PreviousCertificates(configuration)
                    .Select(file => KeyEncryptionCertificate.Load(Path.GetFullPath(file.Path, contentRoot), file.Password, out _))
                    .OfType<X509Certificate2>();
                dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
            }
        }

        // Keys persist in DataProtection:KeysPath under one fixed application name, so a restarted
        // app, or a second instance on the same keys, reads the sessions and cookies of the first.
        services.AddOptions<DataProtectionOptions>()
            .Configure<IOptions<BffStorageOptions>>((options, storage) => options.ApplicationDiscriminator = storage.Value.ApplicationName);
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceProvider, IOptions<BffStorageOptions>, IHostEnvironment, ILoggerFactory>((options, provider, storage, environment, loggerFactory) =>
            {
                if (SessionStorageServiceCollectionExtensions.IsRedis(provider))
                {
                    // Several instances: one key ring in Redis, so a cookie made by one instance opens
                    // on every other. The certificate above still encrypts each key before it is stored.
                    options.XmlRepository = SessionStorageServiceCollectionExtensions.KeyRing(
                        provider.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(),
                        provider.GetRequiredService<IOptions<SessionStorageOptions>>().Value);
                    return;
                }

                var directory = new DirectoryInfo(Path.GetFullPath(storage.Value.KeysPath, environment.ContentRootPath));
                options.XmlRepository = new FileSystemXmlRepository(directory, loggerFactory);
            });
    }
}
