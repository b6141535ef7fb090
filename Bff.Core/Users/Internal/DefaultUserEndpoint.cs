using Bff.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Bff.Users.Internal;

/// <summary>The BFF's user endpoint: the principal's claims as <c>{ type, value }</c> pairs.</summary>
internal sealed class DefaultUserEndpoint(
    IInternalSessionStore store,
    IAuthenticationSchemeProvider schemes,
    TimeProvider time,
    IOptionsMonitor<UserSettings> options) : IUserEndpoint
{
    public async Task ProcessRequestAsync(HttpContext context)
    {
        var result = await UserEndpoint.GetUserAsync(context, store, schemes, time, options.CurrentValue).ConfigureAwait(false);
        await result.ExecuteAsync(context).ConfigureAwait(false);
    }
}
