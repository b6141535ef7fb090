using Bff;
using Bff.Claims;
using Bff.Claims.Internal;
using Bff.Events;
using Bff.Events.Internal;
using Bff.Login;
using Bff.Login.Internal;
using Bff.Logout;
using Bff.Logout.Internal;
using Bff.Proxy.Internal;
using Bff.Security.Internal;
using Bff.Sessions;
using Bff.Sessions.Internal;
using Bff.Tokens.Internal;
using Bff.Users;
using Bff.Users.Internal;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The BFF's service registration entry point.</summary>
public static class BffServiceCollectionExtensions
{
    /// <summary>
    /// Adds the BFF: options bound from <c>Oidc</c>, <c>Bff</c> and <c>ConnectionStrings:Bff</c> of
    /// <paramref name="configuration"/> (validated at start-up), the cookie and OpenID Connect schemes,
    /// server-side sessions, local users, Keycloak role mapping and the management endpoints' handlers.
    /// Parts registered before this call (<see cref="IUserMapper"/>, <see cref="IKeycloakClaimsMapper"/>,
    /// <see cref="IUserStore"/>, <see cref="ISessionStorage"/>, an endpoint handler) are kept, and the
    /// returned builder replaces them after it. <see cref="IServerSessionStore"/> is always the BFF's
    /// own, so that whatever storage an app plugs in receives only protected bytes. Data Protection
    /// stays the host's unless the app calls <see cref="BffBuilder.AddDataProtection"/>.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration (its root: the BFF reads several sections).</param>
    /// <param name="configure">Changes to <see cref="BffOptions"/> after binding, if any.</param>
    public static BffBuilder AddBff(this IServiceCollection services, IConfiguration configuration, Action<BffOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        AddOptions(services, configuration);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<BffDatabase>();

        services.AddBffSessionStorage(configuration);
        // Important: not TryAdd. The protection layer is what keeps tokens out of every storage; an
        // app changes where sessions go by registering an ISessionStorage instead.
        services.RemoveAll<IServerSessionStore>();
        services.TryAddSingleton<ProtectedServerSessionStore>();
        services.AddSingleton<IServerSessionStore>(provider => provider.GetRequiredService<ProtectedServerSessionStore>());
        services.TryAddSingleton<IInternalSessionStore>(provider => provider.GetRequiredService<ProtectedServerSessionStore>());
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
        // One instance: the handler resolves its events on every request (see the class).
        services.TryAddSingleton<BffOpenIdConnectEvents>();
        services.ConfigureOptions<ConfigureCookieOptions>();
        // After AddCookie: it wraps the ticket format ASP.NET Core's post-configure step creates.
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, ConfigureSessionCookieFormat>();
        // Post-configure too, so that it wraps the app's own OnValidatePrincipal (see the class).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<CookieAuthenticationOptions>, ConfigureSessionFeature>());
        // After AddOpenIdConnect: its post-configure step must run before ours (see the class).
        services.ConfigureOptions<ConfigureOpenIdConnectOptions>();

        // The management endpoints' handlers, resolved per request (BffBuilder.AddEndpoint replaces one).
        services.TryAddTransient<ILoginEndpoint, DefaultLoginEndpoint>();
        services.TryAddTransient<IUserEndpoint, DefaultUserEndpoint>();
        services.TryAddTransient<ILogoutEndpoint, DefaultLogoutEndpoint>();
        services.TryAddTransient<IBackchannelLogoutEndpoint, DefaultBackchannelLogoutEndpoint>();
        services.TryAddTransient<ISessionsEndpoint, DefaultSessionsEndpoint>();
        services.TryAddTransient<IEventsEndpoint, DefaultEventsEndpoint>();

        // Tokens, the API scheme (bearer or cookie + X-CSRF) and remote APIs.
        var bffSection = configuration.GetSection(BffOptions.SectionName);
        services.AddBffTokenManagement(bffSection);
        services.AddBffApiAuthentication(bffSection);
        services.AddBffRemoteApis();

        // Forwarded headers only from known proxies (loopback unless Bff:ForwardedHeaders:KnownProxies).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>, Bff.Security.Internal.ConfigureKnownProxies>());

        // /bff/login: a fixed window per client address (each start is a pushed authorization request).
        services.AddBffLoginRateLimit();

        // Step-up: RequireAcr / [BffRequireAcr] policies and their 401 or step-up redirect.
        services.AddBffStepUp();

        // Keycloak application-initiated actions (/bff/account/{action}) and their callback.
        Bff.Account.Internal.AccountServiceCollectionExtensions.AddBffAccountActions(services, bffSection);

        // Seen logout-token ids live in the session database, so a replay after a restart is refused
        // (before AddBffLogout, whose in-memory default is for hosts without the BFF's database).
        services.TryAddSingleton<ILogoutTokenReplayCache, Bff.Logout.Internal.LiteDbLogoutTokenReplayCache>();

        // Logout, back-channel logout and session management.
        services.AddBffLogout(configuration);

        // Security headers on every answer; the app adds app.UseBffSecurityHeaders().
        services.AddBffSecurityHeaders(configuration);

        // The Bff meter and activity source, and the session-ended signal with /bff/events on it.
        Bff.Telemetry.Internal.TelemetryServiceCollectionExtensions.AddBffMetrics(services, bffSection);
        Bff.Events.Internal.SessionEventsServiceCollectionExtensions.AddBffSessionEvents(services, bffSection);

        // Last: with Bff:Storage:Sessions=Redis, the Redis parts in place of the defaults registered above.
        Bff.Redis.Internal.RedisStorageServiceCollectionExtensions.AddBffRedisStorage(services, configuration);

        return new BffBuilder(services, configuration);
    }

    /// <summary>
    /// Adds the BFF configured in code only: nothing is read from configuration. Set the identity
    /// provider with <see cref="BffBuilder.ConfigureOpenIdConnect"/> (or <c>services.Configure&lt;BffOidcOptions&gt;</c>).
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets <see cref="BffOptions"/>.</param>
    public static BffBuilder AddBff(this IServiceCollection services, Action<BffOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddBff(new ConfigurationBuilder().Build(), configure);
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
        services.AddBffOptionsParts();
        services.AddOptions<BffStorageOptions>()
            .Configure(options => options.ConnectionString = configuration.GetConnectionString("Bff") ?? options.ConnectionString)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffOidcOptions>, BffOidcOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffOptions>, BffOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffStorageOptions>, Bff.Sessions.Internal.BffStorageOptionsValidator>());
    }
}
