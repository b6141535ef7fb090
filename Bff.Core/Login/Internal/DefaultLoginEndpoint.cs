using Bff.Api.Internal;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bff.Login.Internal;

/// <summary>The BFF's login: a pushed authorization request with PKCE S256 to a local return URL.</summary>
internal sealed class DefaultLoginEndpoint(
    IOptionsMonitor<OpenIdConnectOptions> oidcOptions,
    IOptionsMonitor<LoginSettings> bffOptions,
    ILoggerFactory loggerFactory) : ILoginEndpoint
{
    public Task ProcessRequestAsync(HttpContext context) =>
        LoginEndpoint.HandleAsync(context, oidcOptions, bffOptions, loggerFactory).ExecuteAsync(context);
}
