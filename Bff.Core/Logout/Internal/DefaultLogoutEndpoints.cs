using Bff.Api.Internal;
using Bff.Sessions;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Logout.Internal;

/// <summary>The BFF's logout: guarded by the session's <c>sid</c> or an antiforgery token.</summary>
internal sealed class DefaultLogoutEndpoint(
    IUserSessionService sessions,
    IServerSessionStore store,
    EndSessionUrlBuilder endSession,
    IAntiforgery antiforgery,
    IOptionsMonitor<LogoutSettings> bffOptions,
    IOptionsMonitor<CookieAuthenticationOptions> cookieOptions,
    ILoggerFactory loggerFactory) : ILogoutEndpoint
{
    public Task ProcessRequestAsync(HttpContext context) =>
        LogoutEndpoint.HandleAsync(context, sessions, store, endSession, antiforgery, bffOptions, cookieOptions, loggerFactory).ExecuteAsync(context);
}

/// <summary>The BFF's back-channel logout: a validated, never replayed logout token ends its sessions.</summary>
internal sealed class DefaultBackchannelLogoutEndpoint(
    ILogoutTokenValidator validator,
    IUserSessionService sessions,
    ILoggerFactory loggerFactory) : IBackchannelLogoutEndpoint
{
    public Task ProcessRequestAsync(HttpContext context) =>
        BackchannelLogoutEndpoint.HandleAsync(context, validator, sessions, loggerFactory).ExecuteAsync(context);
}
