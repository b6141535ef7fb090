namespace Bff.Security;

/// <summary>Forwarded-header settings, bound from <c>Bff:ForwardedHeaders</c>.</summary>
public sealed class BffForwardedHeadersOptions
{
    /// <summary>
    /// The proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are honoured when
    /// <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>: addresses (<c>10.0.0.5</c>) or CIDR networks
    /// (<c>10.0.0.0/8</c>) (<c>Bff:ForwardedHeaders:KnownProxies:&lt;n&gt;</c>). Defaults to loopback only.
    /// </summary>
    public IList<string> KnownProxies { get; } = new List<string>();
}
