namespace Bff.Web.Extensions;

/// <summary>
/// A cookie builder that marks its cookie Secure on every request, like the session cookie's
/// <see cref="CookieSecurePolicy.Always"/>, but reports <see cref="CookieSecurePolicy.SameAsRequest"/>.
/// </summary>
/// <remarks>
/// Why: antiforgery refuses to run at all (InvalidOperationException, so every page with a form
/// answers 500) when its cookie policy is <see cref="CookieSecurePolicy.Always"/> and the request is
/// plain http, which is the case on http://localhost in development and behind a TLS-terminating proxy
/// without forwarded headers. Browsers accept Secure (and <c>__Host-</c>) cookies on http://localhost,
/// so the cookie can stay Secure everywhere; only that check is side-stepped.
/// </remarks>
internal sealed class AlwaysSecureCookieBuilder : CookieBuilder
{
    public AlwaysSecureCookieBuilder() => SecurePolicy = CookieSecurePolicy.SameAsRequest;

    public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
    {
        var options = base.Build(context, expiresFrom);
        options.Secure = true;
        return options;
    }
}
