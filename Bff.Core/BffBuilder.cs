using Bff;
using Bff.Api;
using Bff.Claims;
using Bff.Login;
using Bff.Logout;
using Bff.Security;
using Bff.Security.Internal;
using Bff.Sessions;
using Bff.Tokens;
using Bff.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <see cref="BffServiceCollectionExtensions.AddBff(IServiceCollection, IConfiguration, Action{BffOptions})"/>:
/// replaces the pieces an app swaps (each call replaces what <c>AddBff</c> registered) and adds the
/// parts the BFF sets up only when asked, such as Data Protection.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddBff(builder.Configuration)
///     .AddDataProtection()
///     .AddUserMapper&lt;MyUserMapper&gt;()
///     .AddEndpoint&lt;IUserEndpoint, MyUserEndpoint&gt;();
/// </code>
/// </example>
public sealed class BffBuilder
{
    internal BffBuilder(IServiceCollection services, IConfiguration configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The configuration the BFF is bound from (empty when it is configured in code only).</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Replaces the default <see cref="IUserMapper"/> (how a sign-in finds or creates the local user).</summary>
    /// <typeparam name="TMapper">The mapper, a singleton.</typeparam>
    public BffBuilder AddUserMapper<TMapper>()
        where TMapper : class, IUserMapper
    {
        Services.Replace(ServiceDescriptor.Singleton<IUserMapper, TMapper>());
        return this;
    }

    /// <summary>Replaces the default <see cref="IKeycloakClaimsMapper"/> (how the identity provider's claims become roles).</summary>
    /// <typeparam name="TMapper">The mapper, a singleton.</typeparam>
    public BffBuilder AddClaimsMapper<TMapper>()
        where TMapper : class, IKeycloakClaimsMapper
    {
        Services.Replace(ServiceDescriptor.Singleton<IKeycloakClaimsMapper, TMapper>());
        return this;
    }

    /// <summary>
    /// Replaces where sessions are kept (<see cref="ISessionStorage"/>: LiteDB, or Redis with
    /// <c>Bff:Storage:Sessions=Redis</c>). The storage receives only bytes the BFF has already protected.
    /// </summary>
    /// <typeparam name="TStorage">The storage, a singleton.</typeparam>
    public BffBuilder AddSessionStorage<TStorage>()
        where TStorage : class, ISessionStorage
    {
        Services.Replace(ServiceDescriptor.Singleton<ISessionStorage, TStorage>());
        return this;
    }

    /// <summary>Replaces where local users are kept (<see cref="IUserStore"/>, LiteDB by default).</summary>
    /// <typeparam name="TStore">The store, a singleton.</typeparam>
    public BffBuilder AddUserStore<TStore>()
        where TStore : class, IUserStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IUserStore, TStore>());
        return this;
    }

    /// <summary>
    /// Replaces how a session's tokens are read and refreshed (<see cref="IUserTokenManager"/>: the
    /// tokens live in the server-side session; the default refreshes once per session however many
    /// requests wait).
    /// </summary>
    /// <typeparam name="TManager">The token manager, a singleton.</typeparam>
    public BffBuilder AddUserTokenManager<TManager>()
        where TManager : class, IUserTokenManager
    {
        Services.Replace(ServiceDescriptor.Singleton<IUserTokenManager, TManager>());
        return this;
    }

    /// <summary>
    /// Replaces where the ids of accepted back-channel logout tokens are remembered so that a replay is
    /// refused (<see cref="ILogoutTokenReplayCache"/>: the BFF's LiteDB database, or Redis with
    /// <c>Bff:Storage:Sessions=Redis</c>); it takes the Redis one's place too. Behind a load balancer it
    /// must be shared by every instance, or a token replayed to another instance is accepted there.
    /// </summary>
    /// <typeparam name="TCache">The cache, a singleton.</typeparam>
    public BffBuilder AddLogoutTokenReplayCache<TCache>()
        where TCache : class, ILogoutTokenReplayCache
    {
        Services.Replace(ServiceDescriptor.Singleton<ILogoutTokenReplayCache, TCache>());
        return this;
    }

    /// <summary>
    /// Replaces the handler of one management endpoint, e.g. <c>AddEndpoint&lt;IUserEndpoint, MyUserEndpoint&gt;()</c>;
    /// the endpoint stays at its path (<see cref="BffOptions.UserPath"/>, ...) with its conventions
    /// (antiforgery header, rate limit, ...). Resolved per request.
    /// </summary>
    /// <typeparam name="TEndpoint">The endpoint's interface (<see cref="ILoginEndpoint"/>, <see cref="IUserEndpoint"/>, ...).</typeparam>
    /// <typeparam name="TImplementation">The handler, transient.</typeparam>
    public BffBuilder AddEndpoint<TEndpoint, TImplementation>()
        where TEndpoint : class, IBffEndpoint
        where TImplementation : class, TEndpoint
    {
        Services.Replace(ServiceDescriptor.Transient<TEndpoint, TImplementation>());
        return this;
    }

    /// <summary>Sets the identity provider connection in code (after any binding of the <c>Oidc</c> section).</summary>
    /// <param name="configure">Sets <see cref="BffOidcOptions"/>.</param>
    public BffBuilder ConfigureOpenIdConnect(Action<BffOidcOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Lets the BFF set up ASP.NET Core Data Protection, which protects its sessions and cookies: keys
    /// persisted in <c>DataProtection:KeysPath</c> (one key ring in Redis with the Redis session storage)
    /// under <c>DataProtection:ApplicationName</c>, encrypted at rest with <c>DataProtection:CertificatePath</c>
    /// when set. Without this call the host's own Data Protection setup is used as it is.
    /// </summary>
    /// <param name="configure">Changes to <see cref="BffDataProtectionOptions"/> after binding, if any.</param>
    public BffBuilder AddDataProtection(Action<BffDataProtectionOptions>? configure = null)
    {
        Services.AddBffDataProtection(Configuration, configure);
        Bff.Redis.Internal.RedisStorageServiceCollectionExtensions.AddBffRedisKeyRing(Services);
        return this;
    }
}
