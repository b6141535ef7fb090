using System.Xml.Linq;
using Bff.Sessions;

namespace Bff.Tests.Build;

/// <summary>
/// Bff.Core's public types are what an app configures, calls and replaces, and nothing else. The
/// list below is the whole surface, by what an app does with each type; a type that becomes public
/// fails here until it is added (and so reviewed), and one that stops being public fails until it
/// is removed (a breaking change for every app using the package).
/// </summary>
public sealed class PublicSurfaceTests
{
    /// <summary>Options an app binds (sections of <c>Oidc</c>, <c>Bff</c>, <c>ConnectionStrings</c>, <c>DataProtection</c>) and the values they take.</summary>
    private static readonly string[] Options =
    [
        "Bff.BffOptions",
        "Bff.Account.BffAccountOptions",
        "Bff.Claims.BffClaimsOptions",
        "Bff.Claims.BffGroupOptions",
        "Bff.Claims.BffRolesSource",
        "Bff.Events.BffEventsOptions",
        "Bff.Health.BffStartupCheckOptions",
        "Bff.Login.BffLoginOptions",
        "Bff.Login.BffLoginRateLimitOptions",
        "Bff.Login.BffOidcOptions",
        "Bff.Login.BffUserInfoMode",
        "Bff.Logout.BackchannelLogoutOptions",
        "Bff.Logout.BffLogoutMode",
        "Bff.Proxy.BffRemoteApiOptions",
        "Bff.Proxy.RemoteApiTokenType",
        "Bff.Security.BffApiOptions",
        "Bff.Security.BffBearerClientOptions",
        "Bff.Security.BffDataProtectionOptions",
        "Bff.Security.BffForwardedHeadersOptions",
        "Bff.Security.BffSecurityHeadersOptions",
        "Bff.Security.KeyCertificateFile",
        "Bff.Sessions.BffSessionOptions",
        "Bff.Sessions.BffStorageOptions",
        "Bff.Sessions.SessionStorageKind",
        "Bff.Sessions.SessionStorageOptions",
        "Bff.Telemetry.BffTelemetryOptions",
        "Bff.Tokens.BffTokenOptions",
        "Bff.Users.BffUserOptions",
        "Bff.Users.UserLinkMode",
    ];

    /// <summary>The builder and the extension methods an app calls to register and map the BFF.</summary>
    private static readonly string[] Registration =
    [
        "Microsoft.Extensions.DependencyInjection.BffBuilder",
        "Microsoft.Extensions.DependencyInjection.BffServiceCollectionExtensions",
        "Microsoft.Extensions.DependencyInjection.BffHealthServiceCollectionExtensions",
        "Microsoft.AspNetCore.Builder.BffEndpointRouteBuilderExtensions",
        "Microsoft.AspNetCore.Builder.BffExceptionAnswersExtensions",
        "Microsoft.AspNetCore.Builder.BffHealthEndpointRouteBuilderExtensions",
        "Microsoft.AspNetCore.Builder.BffSecurityHeadersExtensions",
        "Microsoft.AspNetCore.Builder.BffStorageOutageExtensions",
        "Bff.Api.BffApiEndpointConventionBuilderExtensions",
        "Bff.Login.BffRequireAcrAttribute",
        "Bff.Login.BffRequireAcrExtensions",
        "Bff.Proxy.BffProxyEndpointRouteBuilderExtensions",
        "Bff.Tokens.TokenHttpClientBuilderExtensions",
    ];

    /// <summary>Contracts an app implements to replace a piece (endpoint handlers, mappers, storage).</summary>
    private static readonly string[] Replaceable =
    [
        "Bff.Api.IBffEndpoint",
        "Bff.Account.IAccountEndpoint",
        "Bff.Events.IEventsEndpoint",
        "Bff.Login.ILoginEndpoint",
        "Bff.Logout.IBackchannelLogoutEndpoint",
        "Bff.Logout.ILogoutEndpoint",
        "Bff.Logout.ILogoutTokenReplayCache",
        "Bff.Sessions.ISessionsEndpoint",
        "Bff.Sessions.ISessionStorage",
        "Bff.Sessions.ISessionStorageCleanup",
        "Bff.Sessions.ISessionStorageNotifications",
        "Bff.Users.IUserEndpoint",
        "Bff.Users.IUserMapper",
        "Bff.Users.IUserStore",
        "Bff.Claims.IKeycloakClaimsMapper",
        "Bff.Tokens.IUserTokenManager",
    ];

    /// <summary>Services and helpers an app calls from its own pages and handlers.</summary>
    private static readonly string[] Services =
    [
        "Bff.Sessions.BffDatabase",
        "Bff.Sessions.IServerSessionStore",
        "Bff.Sessions.IUserSessionService",
        "Bff.Sessions.BffSessionHttpContextExtensions",
        "Bff.Tokens.IClientTokenManager",
        "Bff.Tokens.ITokenExchangeManager",
    ];

    /// <summary>Types those contracts and services take or return, and the names an app matches on.</summary>
    private static readonly string[] Exposed =
    [
        "Bff.BffAuthenticationDefaults",
        "Bff.Claims.BffClaimTypes",
        "Bff.Claims.KeycloakAuthorization",
        "Bff.Health.BffHealthChecks",
        "Bff.Login.LoginErrors",
        "Bff.Sessions.ServerSession",
        "Bff.Sessions.SessionEndReason",
        "Bff.Sessions.SessionFilter",
        "Bff.Sessions.SessionPublicId",
        "Bff.Sessions.SessionTokens",
        "Bff.Sessions.StoredSession",
        "Bff.Sessions.StoredSessionFilter",
        "Bff.Sessions.UserSessionInfo",
        "Bff.Telemetry.BffTelemetry",
        "Bff.Tokens.TokenErrorKind",
        "Bff.Tokens.TokenRevocationResult",
        "Bff.Tokens.UserAccessTokenUnavailableException",
        "Bff.Tokens.UserTokenRequestParameters",
        "Bff.Tokens.UserTokenResult",
        "Bff.Users.BffUser",
        "Bff.Users.UserConflictException",
        "Bff.Users.UserLoginInfo",
        "Bff.Users.UserMappingResult",
        "Bff.Users.UserNameFolding",
    ];

    private static readonly string[] Approved = [.. Options, .. Registration, .. Replaceable, .. Services, .. Exposed];

    private static readonly string[] Public = [.. typeof(IServerSessionStore).Assembly.GetExportedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_public_type_is_on_the_approved_list()
    {
        Assert.Empty(Public.Except(Approved, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_approved_type_is_public()
    {
        Assert.Empty(Approved.Except(Public, StringComparer.Ordinal));
    }

    [Fact]
    public void Public_docs_point_only_at_public_types()
    {
        // The package's XML docs are all an app reads of the BFF in its editor: a cref from a public
        // member to an internal type shows there as a name it can neither open nor use.
        var assembly = typeof(IServerSessionStore).Assembly;
        var own = assembly.GetTypes().Select(t => t.FullName!.Replace('+', '.')).ToHashSet(StringComparer.Ordinal);
        var exported = assembly.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.')).ToHashSet(StringComparer.Ordinal);
        var docs = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml"));

        var wrong = docs.Descendants("member")
            .Where(member => exported.Contains(DeclaringType((string)member.Attribute("name")!)))
            .SelectMany(member => member.Descendants().Attributes("cref")
                .Select(cref => (Member: (string)member.Attribute("name")!, Target: DeclaringType(cref.Value))))
            .Where(pair => own.Contains(pair.Target) && !exported.Contains(pair.Target))
            .Select(pair => $"{pair.Member} -> {pair.Target}")
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(wrong.Count == 0, $"Public docs that point at internal types: {string.Join("; ", wrong)}");
    }

    // A documentation id ("T:Ns.Type", "M:Ns.Type.Method(Args)", "P:Ns.Type.Name") to the type it names or the member's type.
    private static string DeclaringType(string id)
    {
        var name = id[2..];
        var args = name.IndexOf('(', StringComparison.Ordinal);
        name = args < 0 ? name : name[..args];
        return id.StartsWith("T:", StringComparison.Ordinal) ? name : name[..name.LastIndexOf('.')];
    }

    [Fact]
    public void Apps_read_sessions_and_replace_tokens_only()
    {
        // The store's writes (sign-in, renewal, compare-and-set refresh, deletion) are the BFF's own:
        // an app ends sessions through IUserSessionService, which also revokes the refresh token.
        var methods = typeof(IServerSessionStore).GetMethods().Select(m => m.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["FindAsync", "GetAsync", "UpdateTokensAsync"], methods);
    }

    [Fact]
    public void Each_approved_type_is_listed_once()
    {
        Assert.Empty(Approved.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Equal(88, Approved.Length);
    }
}
