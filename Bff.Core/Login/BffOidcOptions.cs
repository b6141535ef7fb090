namespace Bff.Login;

/// <summary>
/// The OpenID Connect client settings of the BFF, bound from the <c>Oidc</c> configuration section.
/// </summary>
public sealed class BffOidcOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Oidc";

    /// <summary>
    /// The issuer (Keycloak realm URL), e.g. <c>http://localhost:8080/realms/bff</c>. Required.
    /// Defaults to empty (start-up fails; in development, Bff.AppHost sets it to the DevIdp it starts).
    /// </summary>
    public string Authority { get; set; } = "";

    /// <summary>The client id of the dedicated confidential client. Required. Defaults to empty.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The client secret. Required for a confidential client. Defaults to empty.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// Extra scopes, space separated, requested on top of <c>openid profile email</c>. Defaults to empty.
    /// </summary>
    public string Scopes { get; set; } = "";

    /// <summary>
    /// Accepted ID token signing algorithm(s), space or comma separated. Only asymmetric algorithms
    /// are allowed (a shared-secret HS* or an unsigned <c>none</c> token is refused). Defaults to <c>RS256</c>.
    /// </summary>
    public string SignAlgorithm { get; set; } = "RS256";

    /// <summary>
    /// Optional override of the JWKS endpoint the signing keys are read from. Defaults to the
    /// <c>jwks_uri</c> of the discovery document.
    /// </summary>
    public Uri? JwksUri { get; set; }

    /// <summary>
    /// Optional discovery document URL used by the server itself, when it reaches the identity
    /// provider by another host name than the browser does. Defaults to
    /// <c>{Authority}/.well-known/openid-configuration</c>.
    /// </summary>
    public Uri? MetadataAddress { get; set; }

    /// <summary>
    /// Whether the discovery document and JWKS must be fetched over HTTPS.
    /// Defaults to <see langword="true"/> outside Development, <see langword="false"/> in Development.
    /// </summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>The callback path of the authorization response. Defaults to <c>/signin-oidc</c>.</summary>
    public string CallbackPath { get; set; } = "/signin-oidc";

    /// <summary>The callback path after RP-initiated logout. Defaults to <c>/signout-callback-oidc</c>.</summary>
    public string SignedOutCallbackPath { get; set; } = "/signout-callback-oidc";

    /// <summary>
    /// When the userinfo endpoint is called at sign-in (<c>Oidc:UserInfo</c>): <c>Auto</c> calls it when the ID
    /// token has none of the user-name claims (<c>Bff:Users:UserNameClaims</c>), as providers that release profile
    /// claims only from userinfo need; <c>Always</c> on every sign-in; <c>Never</c> not at all. Its claims are
    /// added to the ID token's (which win), and a userinfo <c>sub</c> other than the ID token's refuses the login.
    /// Defaults to <see cref="BffUserInfoMode.Auto"/>.
    /// </summary>
    public BffUserInfoMode UserInfo { get; set; } = BffUserInfoMode.Auto;

    /// <summary>The accepted signing algorithms, parsed from <see cref="SignAlgorithm"/>.</summary>
    internal IReadOnlyList<string> SignAlgorithms =>
        SignAlgorithm.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The extra scopes, parsed from <see cref="Scopes"/>.</summary>
    internal IReadOnlyList<string> ExtraScopes =>
        Scopes.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>When the BFF calls the provider's userinfo endpoint at sign-in (<c>Oidc:UserInfo</c>).</summary>
public enum BffUserInfoMode
{
    /// <summary>When the ID token has no user-name claim.</summary>
    Auto = 0,

    /// <summary>On every sign-in.</summary>
    Always = 1,

    /// <summary>Never.</summary>
    Never = 2,
}
