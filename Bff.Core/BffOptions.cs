using Bff.Logout;
using Bff.Proxy;
using Bff.Sessions;
using Bff.Users;

namespace Bff;

/// <summary>The BFF's own settings, bound from the <c>Bff</c> configuration section.</summary>
public sealed class BffOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Bff";

    /// <summary>
    /// <c>Local</c> ends only the BFF session; <c>Keycloak</c> also ends the identity provider's SSO
    /// session. Defaults to <see cref="BffLogoutMode.Local"/>.
    /// </summary>
    public BffLogoutMode LogoutMode { get; set; } = BffLogoutMode.Local;

    /// <summary>
    /// Request path prefixes answered as an API: 401/403 JSON instead of a redirect to the login or
    /// access-denied page. Defaults to <c>/api</c> and <c>/bff</c>.
    /// </summary>
    public IList<string> ApiPathPrefixes { get; } = new List<string>();

    /// <summary>
    /// The local page the browser is sent to when a login fails (with <c>?error=code</c>).
    /// Defaults to <c>/Error</c>.
    /// </summary>
    public string ErrorPath { get; set; } = "/Error";

    /// <summary>The local page shown when a signed-in user lacks a permission. Defaults to <c>/AccessDenied</c>.</summary>
    public string AccessDeniedPath { get; set; } = "/AccessDenied";

    /// <summary>
    /// The login endpoint's path (<c>Bff:LoginPath</c>); the cookie scheme sends anonymous page
    /// requests here. Defaults to <c>/bff/login</c>.
    /// </summary>
    public string LoginPath { get; set; } = "/bff/login";

    /// <summary>The user endpoint's path (<c>Bff:UserPath</c>). Defaults to <c>/bff/user</c>.</summary>
    public string UserPath { get; set; } = "/bff/user";

    /// <summary>The logout endpoint's path (<c>Bff:LogoutPath</c>). Defaults to <c>/bff/logout</c>.</summary>
    public string LogoutPath { get; set; } = "/bff/logout";

    /// <summary>
    /// The back-channel logout endpoint's path (<c>Bff:BackchannelLogoutPath</c>): the identity
    /// provider client's back-channel logout URL. Defaults to <c>/bff/backchannel</c>.
    /// </summary>
    public string BackchannelLogoutPath { get; set; } = "/bff/backchannel";

    /// <summary>The session management endpoints' path (<c>Bff:SessionsPath</c>). Defaults to <c>/bff/sessions</c>.</summary>
    public string SessionsPath { get; set; } = "/bff/sessions";

    /// <summary>The live session events endpoint's path (<c>Bff:EventsPath</c>). Defaults to <c>/bff/events</c>.</summary>
    public string EventsPath { get; set; } = "/bff/events";

    /// <summary>Server-side session settings (<c>Bff:Session</c>).</summary>
    public BffSessionOptions Session { get; set; } = new();

    /// <summary>Local user mapping settings (<c>Bff:Users</c>).</summary>
    public BffUserOptions Users { get; set; } = new();

    /// <summary>
    /// The origin people reach the BFF at, e.g. <c>https://app.example.com</c> (<c>Bff:PublicOrigin</c>):
    /// every absolute URL the BFF sends is built from it, and requests for any other host get 400.
    /// Defaults to none: URLs follow the request (and <c>AllowedHosts</c> filters hosts).
    /// </summary>
    public Uri? PublicOrigin { get; set; }

    /// <summary>Which proxies' forwarded headers count (<c>Bff:ForwardedHeaders</c>).</summary>
    public Security.BffForwardedHeadersOptions ForwardedHeaders { get; set; } = new();

    /// <summary>Limits on starting logins (<c>Bff:Login</c>): pending login states per browser, the rate limit per address.</summary>
    public Bff.Login.BffLoginOptions Login { get; set; } = new();

    /// <summary>Whether and how groups become roles (<c>Bff:Groups</c>); by default they never do.</summary>
    public Bff.Claims.BffGroupOptions Groups { get; set; } = new();

    /// <summary>Where the roles read at sign-in come from (<c>Bff:Claims</c>).</summary>
    public Bff.Claims.BffClaimsOptions Claims { get; set; } = new();

    /// <summary>
    /// Remote APIs proxied with the user's token (<c>Bff:RemoteApis:&lt;name&gt;</c>). Defaults to none.
    /// </summary>
    public IDictionary<string, BffRemoteApiOptions> RemoteApis { get; } = new Dictionary<string, BffRemoteApiOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The API prefixes in effect: <see cref="ApiPathPrefixes"/>, or <c>/api</c> and <c>/bff</c> when none are set.</summary>
    internal IReadOnlyList<string> EffectiveApiPathPrefixes =>
        ApiPathPrefixes.Count > 0 ? [.. ApiPathPrefixes] : ["/api", "/bff"];
}
