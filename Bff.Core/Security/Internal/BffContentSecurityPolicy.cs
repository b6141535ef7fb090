namespace Bff.Security.Internal;

/// <summary>
/// Endpoint metadata: this endpoint's own Content-Security-Policy, which the security headers
/// middleware writes instead of <see cref="BffSecurityHeadersOptions.ContentSecurityPolicy"/>. The
/// middleware is the one writer of the header (a handler's own header is replaced), so a page's
/// policy is declared where the endpoint is mapped, never overridden silently on the way out.
/// Add it with <c>.WithBffContentSecurityPolicy(policy)</c>.
/// </summary>
/// <param name="Policy">The whole header value.</param>
internal sealed record BffContentSecurityPolicy(string Policy);
