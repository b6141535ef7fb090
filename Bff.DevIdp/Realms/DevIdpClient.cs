using Bff.DevIdp.Mappers;

namespace Bff.DevIdp.Realms;

/// <summary>
/// A client of a realm as the DevIdp uses it, read from the realm file. Tests may change the URI lists at run
/// time through <see cref="DevIdpServer.ConfigureClient"/> (the BFF under test listens on a random port).
/// </summary>
public sealed class DevIdpClient
{
    internal DevIdpClient(string clientId)
    {
        ClientId = clientId;
    }

    /// <summary>The client_id.</summary>
    public string ClientId { get; }

    /// <summary>The client's <c>acr.loa.map</c> attribute; null: the realm's map applies.</summary>
    public IReadOnlyDictionary<string, int>? AcrLoaMap { get; set; }

    /// <summary>Whether the client may be used at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Public clients have no secret.</summary>
    public bool PublicClient { get; set; }

    /// <summary>The client secret of a confidential client.</summary>
    public string? Secret { get; set; }

    /// <summary>Whether the authorization code flow is allowed.</summary>
    public bool StandardFlowEnabled { get; set; } = true;

    /// <summary>Whether the resource owner password grant is allowed.</summary>
    public bool DirectAccessGrantsEnabled { get; set; }

    /// <summary>Whether the client credentials grant is allowed (a service-account user exists).</summary>
    public bool ServiceAccountsEnabled { get; set; }

    /// <summary>
    /// Whether the client may exchange a user's access token for one aimed at another client (attribute
    /// <c>standard.token.exchange.enabled</c>, Keycloak 26.2+'s standard token exchange; absent is false).
    /// </summary>
    public bool StandardTokenExchangeEnabled { get; set; }

    /// <summary>
    /// The client's <c>rootUrl</c>: relative redirect URIs (<c>/*</c>, <c>/signin-oidc</c>) resolve against it, and
    /// <c>${authBaseUrl}</c> / <c>${authAdminUrl}</c> in it mean the DevIdp's own address. Null: the DevIdp's address.
    /// </summary>
    public string? RootUrl { get; set; }

    /// <summary>Registered redirect URIs as Keycloak matches them: exact, <c>*</c>, a trailing <c>*</c>, relative to <see cref="RootUrl"/>.</summary>
    public IReadOnlyList<string> RedirectUris { get; set; } = [];

    /// <summary>
    /// Registered post-logout redirect URIs (attribute <c>post.logout.redirect.uris</c>, <c>##</c>-joined), matched like
    /// <see cref="RedirectUris"/>; <c>+</c> stands for the redirect URIs.
    /// </summary>
    public IReadOnlyList<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>Where back-channel logout tokens are posted (attribute <c>backchannel.logout.url</c>), if anywhere.</summary>
    public Uri? BackchannelLogoutUrl { get; set; }

    /// <summary>The PKCE method the client must use (attribute <c>pkce.code.challenge.method</c>), if any.</summary>
    public string? RequiredPkceMethod { get; set; }

    /// <summary>Whether authorization requests must come through PAR (attribute <c>require.pushed.authorization.requests</c>).</summary>
    public bool RequirePushedAuthorizationRequests { get; set; }

    /// <summary>The client's access token lifespan (attribute <c>access.token.lifespan</c>); null: the realm's.</summary>
    public TimeSpan? AccessTokenLifespan { get; set; }

    /// <summary>Attribute <c>client.session.idle.timeout</c>: refresh tokens of this client go idle sooner; null: the realm's setting.</summary>
    public TimeSpan? ClientSessionIdleTimeout { get; set; }

    /// <summary>Attribute <c>client.session.max.lifespan</c>; null: the realm's setting.</summary>
    public TimeSpan? ClientSessionMaxLifespan { get; set; }

    /// <summary>Whether back-channel logout tokens carry <c>sid</c> (attribute <c>backchannel.logout.session.required</c>; absent is false, as in Keycloak).</summary>
    public bool BackchannelLogoutSessionRequired { get; set; }

    /// <summary>Whether refresh tokens are issued (attribute <c>use.refresh.tokens</c>, default true).</summary>
    public bool UseRefreshTokens { get; set; } = true;

    /// <summary>
    /// Whether access tokens are lightweight (attribute <c>client.use.lightweight.access.token.enabled</c>, Keycloak
    /// 24+): only mappers marked <c>lightweight.claim</c> write into them; introspection still sees every claim.
    /// </summary>
    public bool LightweightAccessToken { get; set; }

    /// <summary>The client's web origins as the allowed-origins mapper writes them (<c>+</c> resolved to the redirect URIs' origins).</summary>
    internal IReadOnlyList<string> WebOrigins { get; set; } = [];

    /// <summary>Client scopes always in force.</summary>
    internal IReadOnlyList<ClientScope> DefaultClientScopes { get; set; } = [];

    /// <summary>Client scopes in force when the authorization request asks for them.</summary>
    internal IReadOnlyList<ClientScope> OptionalClientScopes { get; set; } = [];

    /// <summary>The client's own (dedicated) protocol mappers, always in force.</summary>
    internal IReadOnlyList<ProtocolMapperDefinition> ProtocolMappers { get; set; } = [];
}

