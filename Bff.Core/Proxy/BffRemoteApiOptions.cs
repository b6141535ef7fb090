namespace Bff.Proxy;

/// <summary>One remote API the BFF proxies (<c>Bff:RemoteApis:&lt;name&gt;</c>).</summary>
public sealed class BffRemoteApiOptions
{
    /// <summary>The same-origin path prefix, e.g. <c>/api/remote</c>. Defaults to empty.</summary>
    public string Path { get; set; } = "";

    /// <summary>The downstream API's base address. Defaults to none.</summary>
    public Uri? Destination { get; set; }

    /// <summary>
    /// The authentication level (Keycloak's <c>acr</c>) a session needs for this API
    /// (<c>Bff:RemoteApis:&lt;name&gt;:RequiredAcr</c>); below it, 401 ProblemDetails naming the level
    /// (<c>bff:required_acr</c>). Defaults to none.
    /// </summary>
    public string? RequiredAcr { get; set; }
}
