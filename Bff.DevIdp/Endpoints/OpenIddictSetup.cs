using Bff.DevIdp.Login;
using Bff.DevIdp.Logout;
using Bff.DevIdp.Tokens;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlers;

namespace Bff.DevIdp.Endpoints;

/// <summary>
/// OpenIddict's server in degraded mode (no database): OpenIddict keeps signing, token formats, PKCE and
/// code/refresh token validation; the handlers registered here do what its managers would have done
/// (clients, secrets, redirect URIs, one-time codes, refresh token rotation) from the realm files.
/// </summary>
internal static class OpenIddictSetup
{
    public const string AuthorizePath = "/protocol/openid-connect/auth";
    public const string TokenPath = "/protocol/openid-connect/token";
    public const string UserInfoPath = "/protocol/openid-connect/userinfo";
    public const string LogoutPath = "/protocol/openid-connect/logout";

    /// <summary>Keycloak's pushed authorization request endpoint, under the realm.</summary>
    public const string PushedAuthorizationPath = "/protocol/openid-connect/ext/par/request";

    public static IServiceCollection AddDevIdpOpenIddict(this IServiceCollection services, DevIdpState state, bool pushedAuthorization = true)
    {
        services.AddOpenIddict().AddServer(options =>
        {
            // Relative to the base URI, which RealmRouting makes /realms/{realm}/.
            options.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                .SetUserInfoEndpointUris(UserInfoPath.TrimStart('/'))
                .SetEndSessionEndpointUris(LogoutPath.TrimStart('/'))
                .SetJsonWebKeySetEndpointUris("protocol/openid-connect/certs")
                .SetRevocationEndpointUris("protocol/openid-connect/revoke")
                .SetIntrospectionEndpointUris("protocol/openid-connect/token/introspect")
                .SetConfigurationEndpointUris(".well-known/openid-configuration");

            // Keycloak advertises pushed authorization requests (RFC 9126) at this path, and ASP.NET's
            // OpenID Connect handler pushes whenever discovery advertises it: the BFF's logins against a
            // real Keycloak go through PAR, so they do here too (DevIdp:PushedAuthorization=false turns
            // it off, for a provider without PAR).
            if (pushedAuthorization)
            {
                options.SetPushedAuthorizationEndpointUris(PushedAuthorizationPath.TrimStart('/'));
            }

            options.AllowAuthorizationCodeFlow()
                .AllowRefreshTokenFlow()
                .AllowPasswordFlow()
                .AllowClientCredentialsFlow()
                .AllowTokenExchangeFlow();

            options.EnableDegradedMode();

            // Keycloak's access tokens are signed JWTs that resource servers read; never encrypted.
            options.DisableAccessTokenEncryption();
            options.AddSigningKey(state.SigningKey);
            options.AddEncryptionKey(state.EncryptionKey);

            // Keycloak ignores scopes it does not know; GrantedScopes decides what is granted.
            options.DisableScopeValidation();

            // A token exchange's audience is any enabled client of the realm, checked by TokenExchangeGrant with
            // Keycloak's answers; OpenIddict's own check knows only audiences registered up front.
            options.DisableAudienceValidation();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, Scopes.Address, Scopes.Phone);
            options.RegisterClaims(
                Claims.Subject, Claims.Name, Claims.GivenName, Claims.FamilyName, Claims.PreferredUsername,
                Claims.Email, Claims.EmailVerified, "groups", "realm_access", "resource_access", "sid", "azp", "typ", "acr");
            options.SetAuthorizationCodeLifetime(TimeSpan.FromSeconds(60));

            options.Configure(o =>
            {
                // PKCE S256 only: "plain" sends the verifier itself through the browser.
                o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain);
                o.TimeProvider = state.TimeProvider;
            });

            options.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableUserInfoEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .EnableErrorPassthrough()
                // Development and tests run on http://127.0.0.1 and http://localhost.
                .DisableTransportSecurityRequirement();

            options.AddEventHandler<ProcessRequestContext>(b => b.UseSingletonHandler<RealmIssuerHandler>()
                .SetOrder(OpenIddictServerAspNetCoreHandlers.ResolveRequestUri.Descriptor.Order + 1));
            options.AddEventHandler<ValidateAuthorizationRequestContext>(b => b.UseSingletonHandler<AuthorizationRequestValidator>()
                .SetOrder(Authentication.ValidateClientRedirectUri.Descriptor.Order));
            options.AddEventHandler<ValidateTokenRequestContext>(b => b.UseSingletonHandler<ClientAuthenticator>()
                .SetOrder(Exchange.ValidateAuthentication.Descriptor.Order - 1));
            options.AddEventHandler<ValidateTokenRequestContext>(b => b.UseSingletonHandler<TokenExchangeValidator>()
                .SetOrder(Exchange.ValidateAuthorizedParty.Descriptor.Order - 1));
            options.AddEventHandler<ValidatePushedAuthorizationRequestContext>(b => b.UseSingletonHandler<ClientAuthenticator>()
                .SetOrder(Authentication.ValidatePushedAuthentication.Descriptor.Order - 1));
            options.AddEventHandler<ValidatePushedAuthorizationRequestContext>(b => b.UseSingletonHandler<AuthorizationRequestValidator>()
                .SetOrder(Authentication.ValidatePushedClientRedirectUri.Descriptor.Order));
            options.AddEventHandler<ValidateIntrospectionRequestContext>(b => b.UseSingletonHandler<ClientAuthenticator>()
                .SetOrder(Introspection.ValidateAuthentication.Descriptor.Order - 1));
            options.AddEventHandler<ValidateRevocationRequestContext>(b => b.UseSingletonHandler<ClientAuthenticator>()
                .SetOrder(Revocation.ValidateAuthentication.Descriptor.Order - 1));
            options.AddEventHandler<ValidateTokenContext>(b => b.UseSingletonHandler<GrantValidator>()
                .SetOrder(Protection.ValidateExpirationDate.Descriptor.Order + 1));
            options.AddEventHandler<ProcessSignInContext>(b => b.UseSingletonHandler<RefreshTokenIssuer>()
                .SetOrder(EvaluateGeneratedTokens.Descriptor.Order + 1));
            options.AddEventHandler<ProcessSignInContext>(b => b.UseSingletonHandler<TokenTypeClaimStamper>()
                .SetOrder(GenerateAccessToken.Descriptor.Order - 1));
            options.AddEventHandler<ProcessSignInContext>(b => b.UseSingletonHandler<MappedClaimsStamper>()
                .SetOrder(GenerateAccessToken.Descriptor.Order - 2));
            options.AddEventHandler<ProcessSignInContext>(b => b.UseSingletonHandler<ExchangedTokenStamper>()
                .SetOrder(GenerateIssuedToken.Descriptor.Order - 1));
            options.AddEventHandler<ApplyTokenResponseContext>(b => b.UseSingletonHandler<KeycloakErrorStatus>()
                .SetOrder(OpenIddictServerAspNetCoreHandlers.AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1));
            options.AddEventHandler<HandleIntrospectionRequestContext>(b => b.UseSingletonHandler<IntrospectionClaims>()
                .SetOrder(Introspection.AttachApplicationClaims.Descriptor.Order + 1));
            options.AddEventHandler<ApplyTokenResponseContext>(b => b.UseSingletonHandler<ExpiresInNormalizer>()
                .SetOrder(int.MinValue + 100_000));
            options.AddEventHandler<HandleRevocationRequestContext>(b => b.UseSingletonHandler<RevocationHandler>()
                .SetOrder(int.MinValue + 100_000));
            options.AddEventHandler<ValidateEndSessionRequestContext>(b => b.UseSingletonHandler<EndSessionRequestValidator>()
                .SetOrder(Session.ValidateClientPostLogoutRedirectUri.Descriptor.Order));
            options.AddEventHandler<HandleConfigurationRequestContext>(b => b.UseSingletonHandler<LogoutDiscoveryMetadata>());
        });

        return services;
    }
}

/// <summary>Makes the issuer <c>{base}/realms/{realm}</c>, without the trailing slash OpenIddict's base URI has.</summary>
internal sealed class RealmIssuerHandler : IOpenIddictServerHandler<ProcessRequestContext>
{
    public ValueTask HandleAsync(ProcessRequestContext context)
    {
        if (context.BaseUri is { } baseUri && baseUri.AbsolutePath.Length > 1 && baseUri.AbsoluteUri.EndsWith('/'))
        {
            context.BaseUri = new Uri(baseUri.AbsoluteUri.TrimEnd('/'), UriKind.Absolute);
        }

        return ValueTask.CompletedTask;
    }
}
