using Bff.Sessions.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Events.Internal;

/// <summary>Registers the session lifecycle signal and the event streams.</summary>
internal static class SessionEventsServiceCollectionExtensions
{
    public static IServiceCollection AddBffSessionEvents(this IServiceCollection services, IConfiguration bffSection)
    {
        services.AddOptions<BffEventsOptions>().Bind(bffSection.GetSection("Events")).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BffEventsOptions>, BffEventsOptionsValidator>());
        services.TryAddSingleton<SessionLifecycle>();
        services.TryAddSingleton<SessionEventHub>();

        // Built at start-up, not at the first stream: it relays this instance's session ends to the
        // others from the first one on.
        services.AddHostedService<SessionEventHubStarter>();
        return services;
    }

    private sealed class SessionEventHubStarter(SessionEventHub hub) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(hub);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
