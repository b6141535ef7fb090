namespace Bff.Security;

/// <summary>
/// Response headers the BFF adds to every answer (configuration section <c>Bff:SecurityHeaders</c>).
/// An endpoint that sets one of these headers itself (the SPA sets its own Content-Security-Policy)
/// keeps its value.
/// </summary>
public sealed class BffSecurityHeadersOptions
{
    /// <summary>The configuration section, under <c>Bff</c>.</summary>
    public const string SectionName = "Bff:SecurityHeaders";

    /// <summary>
    /// The Content-Security-Policy of pages. Scripts and styles only from this origin: no
    /// <c>'unsafe-inline'</c>, so an injected <c>&lt;script&gt;</c> or <c>onclick=</c> does not run.
    /// Unless it has a <c>form-action</c> directive of its own, the BFF appends
    /// <c>form-action 'self' {origin of Oidc:Authority} {FormActionOrigins}</c>: forms post here, and the
    /// sign-out form's redirect may go on to the identity provider, nowhere else. A form-action that allows
    /// any host (<c>*</c>, <c>https:</c>) is refused at start-up. Defaults to <c>default-src 'self';
    /// script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none';
    /// base-uri 'none'; frame-ancestors 'none'</c>. Empty sends no header.
    /// </summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Origins (<c>https://host[:port]</c>) that the CSP's <c>form-action</c> allows besides <c>'self'</c> and
    /// the origin of <c>Oidc:Authority</c>: needed only when the identity provider's authorization or
    /// end_session endpoint, as its discovery document names them, lives on another origin than
    /// <c>Oidc:Authority</c> (the start-up check warns when it does). Defaults to empty.
    /// </summary>
    public IList<string> FormActionOrigins { get; } = [];

    /// <summary>X-Frame-Options, for browsers without CSP <c>frame-ancestors</c>. Defaults to <c>DENY</c>.</summary>
    public string FrameOptions { get; set; } = "DENY";

    /// <summary>
    /// Referrer-Policy. Defaults to <c>same-origin</c>: URLs (which may carry a returnUrl or a sid)
    /// never leak to other sites.
    /// </summary>
    public string ReferrerPolicy { get; set; } = "same-origin";

    /// <summary>
    /// Path prefixes whose answers are always <c>Cache-Control: no-store</c>, whatever the endpoint
    /// set: they are user-specific. Defaults to <c>/bff</c>, <c>/api</c>, <c>/signin-oidc</c>,
    /// <c>/signout-callback-oidc</c>.
    /// </summary>
    public IList<string> NoStorePaths { get; } = ["/bff", "/api", "/signin-oidc", "/signout-callback-oidc"];

    /// <summary>
    /// When true, any answer to a signed-in request that set no Cache-Control of its own (pages) is
    /// <c>no-store</c>, so a shared cache or the back button after logout never shows a personal
    /// page. Static files keep their own caching. Defaults to true.
    /// </summary>
    public bool NoStoreWhenAuthenticated { get; set; } = true;
}
