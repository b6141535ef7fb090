namespace Bff.Api.Internal;

/// <summary>
/// Marks an endpoint as a BFF API endpoint: cookie-authenticated calls must carry the
/// anti-forgery header, and failures answer JSON (401/403 ProblemDetails) instead of redirects.
/// Add it with <see cref="BffApiEndpointConventionBuilderExtensions.RequireBffApi{TBuilder}"/>.
/// </summary>
internal interface IBffApiMetadata
{
    /// <summary>Whether cookie-authenticated calls must send <c>X-CSRF: 1</c>. Defaults to <see langword="true"/>.</summary>
    bool RequireAntiforgeryHeader { get; }
}

/// <summary>The default <see cref="IBffApiMetadata"/>.</summary>
/// <param name="RequireAntiforgeryHeader">Whether cookie-authenticated calls must send <c>X-CSRF: 1</c>.</param>
internal sealed record BffApiMetadata(bool RequireAntiforgeryHeader = true) : IBffApiMetadata;
