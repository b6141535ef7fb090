using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Tokens.Internal;

/// <summary>Registers the token service.</summary>
internal static class TokenServiceCollectionExtensions
{
    /// <summary>The in-process refresh coordination as registered here, which the Redis registration replaces when it is still this one.</summary>
    public static readonly ServiceDescriptor LocalRefresh = ServiceDescriptor.Singleton<IRefreshCoordinator, LocalRefreshCoordinator>();

    /// <summary>
    /// Adds <see cref="IUserTokenManager"/> and its parts, with <see cref="BffTokenOptions"/> bound
    /// from <paramref name="bffSection"/> (the <c>Bff</c> section) when given. Every part is added
    /// with TryAdd, so an application can replace one by registering it first.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="bffSection">The <c>Bff</c> configuration section, or <see langword="null"/>.</param>
    public static IServiceCollection AddBffTokenManagement(this IServiceCollection services, IConfiguration? bffSection = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<BffTokenOptions>();
        if (bffSection is not null)
        {
            options.Bind(bffSection);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffTokenOptions>, BffTokenOptionsValidator>());

        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(DuendeOidcTokenClient.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<BffTokenOptions>>().Value.TokenEndpointTimeout);
        services.TryAddSingleton<IOidcClientSettingsProvider, OpenIdConnectSettingsProvider>();
        services.TryAddSingleton<IOidcTokenClient, DuendeOidcTokenClient>();
        // One instance needs only the single flight; the Redis registration puts a Redis lease in
        // its place (one refresh per session across instances) when Redis is configured.
        services.TryAdd(LocalRefresh);
        services.TryAddSingleton<SessionTokenService>();
        services.TryAddSingleton<IUserTokenManager, DefaultUserTokenManager>();
        services.AddBffTokenCache();
        services.TryAddTransient<UserAccessTokenHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Bff.Api.Internal.IBffApiEndpointFilter, UserAccessTokenEndpointFilter>());
        services.TryAddSingleton<Bff.Sessions.Internal.IRefreshTokenRevocation, OidcRefreshTokenRevocation>();
        services.Configure<Microsoft.AspNetCore.Mvc.MvcOptions>(mvc => mvc.Filters.Add<UserAccessTokenExceptionFilter>());
        return services;
    }
}
