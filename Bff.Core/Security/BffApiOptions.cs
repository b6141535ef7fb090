namespace Bff.Security;

/// <summary>Settings of the API's bearer-token authentication, bound from the <c>Bff</c> section.</summary>
public sealed class BffApiOptions
{
    /// <summary>
    /// Whether the API accepts <c>Authorization: Bearer</c> access tokens from non-browser clients
    /// (<c>Bff:AcceptBearerTokens</c>). Defaults to <see langword="true"/>.
    /// </summary>
    public bool AcceptBearerTokens { get; set; } = true;

    /// <summary>
    /// The clock tolerance when checking a bearer token's lifetime (<c>Bff:BearerClockSkew</c>).
    /// Defaults to 30 seconds (ASP.NET's default of 5 minutes keeps expired tokens alive too long).
    /// </summary>
    public TimeSpan BearerClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Which clients' bearer tokens the API accepts (<c>Bff:Api</c>).</summary>
    public BffBearerClientOptions Api { get; set; } = new();
}

/// <summary>The clients allowed to call the API with a bearer token, bound from <c>Bff:Api</c>.</summary>
/// <remarks>
/// Important: the audience does not say who may call. Keycloak adds <c>aud: bff</c> to the access
/// tokens of any client of the realm whenever the user holds <c>bff</c> client roles (audience
/// resolution), so without this list every client with full scope could call the API as its users.
/// </remarks>
public sealed class BffBearerClientOptions
{
    /// <summary>
    /// The client ids whose access tokens the API accepts, matched exactly against the token's
    /// authorized party (<c>azp</c>, or <c>client_id</c> when a provider sets only that)
    /// (<c>Bff:Api:AllowedBearerClients:&lt;n&gt;</c>). A list replaces the default. Defaults to the
    /// BFF's own client id (<c>Oidc:ClientId</c>).
    /// </summary>
    public IList<string> AllowedBearerClients { get; } = new List<string>();
}
