using Bff.Api.Internal;
using Bff.Login.Internal;
using Bff.Sessions;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Account.Internal;

/// <summary>The BFF's account actions: the login's pushed authorization request with PKCE S256, plus <c>kc_action</c>.</summary>
internal sealed class DefaultAccountEndpoint(
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptionsMonitor<LoginSettings> bffOptions,
    IOptionsMonitor<BffAccountOptions> accountOptions,
    IUserSessionService userSessions,
    ILogger<DefaultAccountEndpoint> logger) : IAccountEndpoint
{
    public Task ProcessRequestAsync(HttpContext context) =>
        AccountEndpoint.HandleAsync(context, oidcOptions, bffOptions, accountOptions, userSessions, logger).ExecuteAsync(context);
}
