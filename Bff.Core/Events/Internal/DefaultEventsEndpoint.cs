using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bff.Events.Internal;

/// <summary>The BFF's events endpoint: the session's frames from the <see cref="SessionEventHub"/>.</summary>
internal sealed class DefaultEventsEndpoint(SessionEventHub hub, ILoggerFactory loggerFactory) : IEventsEndpoint
{
    public Task ProcessRequestAsync(HttpContext context) => SessionEventsEndpoint.StreamAsync(context, hub, loggerFactory);
}
