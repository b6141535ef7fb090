using Bff.Login.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bff.Account.Internal;

/// <summary>Registers the account actions endpoint and its callback.</summary>
internal static class AccountServiceCollectionExtensions
{
    public static IServiceCollection AddBffAccountActions(this IServiceCollection services, IConfiguration bffSection)
    {
        services.AddOptions<BffAccountOptions>().Bind(bffSection.GetSection("Account")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffAccountOptions>, BffAccountOptionsValidator>());
        services.TryAddTransient<IAccountEndpoint, DefaultAccountEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoginCallbackHandler, AccountActionCallback>());
        return services;
    }
}
