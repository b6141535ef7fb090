using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>
/// Which proxies' <c>X-Forwarded-*</c> headers count (<c>Bff:ForwardedHeaders:KnownProxies</c>, addresses or
/// CIDR networks; loopback when none). ASP.NET Core's <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c> alone
/// trusts every sender, so a client could choose its own address and scheme.
/// </summary>
internal sealed class ConfigureKnownProxies(IOptionsMonitor<SecuritySettings> options) : IPostConfigureOptions<ForwardedHeadersOptions>
{
    public void PostConfigure(string? name, ForwardedHeadersOptions forwarded)
    {
        var configured = options.CurrentValue.ForwardedHeaders.KnownProxies;
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var entry in configured.Count > 0 ? configured : ["127.0.0.0/8", "::1/128"])
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                forwarded.KnownProxies.Add(address);
            }
        }
    }
}
