namespace Bff.Proxy;

/// <summary>One remote API the BFF proxies (<c>Bff:RemoteApis:&lt;name&gt;</c>).</summary>
public sealed class BffRemoteApiOptions
{
    /// <summary>The same-origin path prefix, e.g. <c>/api/remote</c>. Defaults to empty.</summary>
    public string Path { get; set; } = "";

    /// <summary>The downstream API's base address. Defaults to none.</summary>
    public Uri? Destination { get; set; }
}
