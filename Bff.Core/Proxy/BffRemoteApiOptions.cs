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

    /// <summary>
    /// Which access token the downstream API gets (<c>Bff:RemoteApis:&lt;name&gt;:Token</c>): the
    /// signed-in user's, the BFF's own client-credentials token, the user's when signed in and else
    /// the client's, or none. Defaults to <see cref="RemoteApiTokenType.User"/>.
    /// </summary>
    public RemoteApiTokenType Token { get; set; } = RemoteApiTokenType.User;

    /// <summary>
    /// When set, the user's token is exchanged (RFC 8693 token exchange) for one whose audience is
    /// this client of the identity provider, and the downstream API gets that one
    /// (<c>Bff:RemoteApis:&lt;name&gt;:ExchangeAudience</c>). Only with <see cref="RemoteApiTokenType.User"/>
    /// and <see cref="RemoteApiTokenType.UserOrClient"/>. Defaults to none: the user's own token.
    /// </summary>
    public string? ExchangeAudience { get; set; }
}

/// <summary>The access token a remote API route sends downstream.</summary>
public enum RemoteApiTokenType
{
    /// <summary>The signed-in user's access token (refreshed as needed); anonymous callers get 401.</summary>
    User,

    /// <summary>
    /// The BFF's own token from the client credentials grant, cached until shortly before it expires;
    /// signed-in and anonymous callers alike (the route is as public as its path).
    /// </summary>
    Client,

    /// <summary>The user's token when the caller is signed in, else the BFF's client token.</summary>
    UserOrClient,

    /// <summary>No token at all; anonymous callers may use the route.</summary>
    None,
}
